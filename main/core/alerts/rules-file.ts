import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ALERT_RULES_FILE, ALERT_RULE_KINDS, AlertRule, MAX_ALERT_RULES, type AlertRuleSet } from '../../../shared/contract/alerts.ts';
import { failedTo, failure } from '../errors.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { DEFAULT_ALERT_RULES } from './default-rules.ts';

/**
 * `lathe.alerts.json` at the workspace's root: the alert rules, committed so that a clone and a
 * reviewer see them, edited by hand or through `alerts:save-rules`. Read from the folder (what a
 * person just edited), like lathe.pipeline.json; a workspace without one has the default rules.
 *
 *   { "schemaVersion": 1, "rules": [{ "id": "drift", "kind": "feature-drift", "feature": "*", "windows": 2 }] }
 *
 * A file that does not parse is refused as a whole, naming the file, the rule (1-based, with its
 * id) and the field: half a rule set would watch less than the user thinks.
 */
export const MAX_RULES_FILE_BYTES = 256 * 1024;
const SCHEMA_VERSION = 1;

export async function readAlertRules(workspace: Workspace): Promise<AlertRuleSet> {
  const path = join(workspace.dir, ALERT_RULES_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { source: 'defaults', file: ALERT_RULES_FILE, rules: [...DEFAULT_ALERT_RULES] };
    throw failedTo(`read ${ALERT_RULES_FILE}`, error, 'No alert rule was judged.');
  }
  return { source: 'file', file: ALERT_RULES_FILE, rules: parseAlertRules(text) };
}

/** The rules in a file's text, or a PARSE_ERROR / INVALID_INPUT naming the file, the rule and the field. */
export function parseAlertRules(text: string): AlertRule[] {
  if (Buffer.byteLength(text) > MAX_RULES_FILE_BYTES) {
    throw failure('TOO_LARGE', `${ALERT_RULES_FILE} is ${Buffer.byteLength(text)} bytes; an alert rules file is at most ${MAX_RULES_FILE_BYTES / 1024} KiB.`, { location: { file: ALERT_RULES_FILE } });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw failure('PARSE_ERROR', `${ALERT_RULES_FILE} is not valid JSON: ${(error as Error).message}.`, {
      hint: `Fix the file (or delete it to go back to the default rules); it looks like {"schemaVersion": 1, "rules": [ … ]}.`,
      location: { file: ALERT_RULES_FILE, ...lineOf(text, error as Error) },
    });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fileProblem('the file must hold one object: {"schemaVersion": 1, "rules": [ … ]}', '');
  const record = raw as Record<string, unknown>;
  if (typeof record.schemaVersion === 'number' && record.schemaVersion > SCHEMA_VERSION) {
    throw failure('UNAVAILABLE', `${ALERT_RULES_FILE} was written by a newer Lathe (alert rules version ${record.schemaVersion}; this Lathe reads up to ${SCHEMA_VERSION}).`, {
      hint: 'Update Lathe to read it.',
      location: { file: ALERT_RULES_FILE, field: 'schemaVersion' },
    });
  }
  if (record.schemaVersion !== SCHEMA_VERSION) throw fileProblem(`schemaVersion must be ${SCHEMA_VERSION}`, 'schemaVersion');
  const unknownKeys = Object.keys(record).filter((name) => name !== 'schemaVersion' && name !== 'rules');
  if (unknownKeys.length) throw fileProblem(`"${unknownKeys[0]}" is not a field of the file (it has "schemaVersion" and "rules")`, unknownKeys[0]!);
  if (!Array.isArray(record.rules)) throw fileProblem('"rules" must be a list of rules', 'rules');
  if (record.rules.length > MAX_ALERT_RULES) throw fileProblem(`at most ${MAX_ALERT_RULES} rules (it has ${record.rules.length})`, 'rules');
  return checkRules(record.rules);
}

/** Each rule checked on its own, so that the error names which one; ids must differ. */
export function checkRules(rules: readonly unknown[]): AlertRule[] {
  const problems: { field: string; message: string }[] = [];
  const checked: AlertRule[] = [];
  const ids = new Map<string, number>();
  rules.forEach((rule, index) => {
    const name = ruleName(rule, index);
    const id = (rule as { id?: unknown } | null)?.id;
    if (typeof id === 'string') {
      const first = ids.get(id);
      if (first !== undefined) problems.push({ field: `rules[${index}].id`, message: `${name}: rule ${first + 1} has the same id; each rule needs its own` });
      else ids.set(id, index);
    }
    const kind = (rule as { kind?: unknown } | null)?.kind;
    if (typeof rule === 'object' && rule !== null && !ALERT_RULE_KINDS.includes(kind as never)) {
      problems.push({ field: `rules[${index}].kind`, message: `${name}: kind ${JSON.stringify(kind) ?? 'is missing'}${kind === undefined ? '' : ' is not a rule kind'}; use one of ${ALERT_RULE_KINDS.join(', ')}` });
      return;
    }
    const parsed = AlertRule.safeParse(rule);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.');
        problems.push({ field: `rules[${index}]${field ? `.${field}` : ''}`, message: `${name}${field ? `, field "${field}"` : ''}: ${issue.message}` });
      }
      return;
    }
    checked.push(parsed.data);
  });
  const first = problems[0];
  if (first) {
    throw failure('INVALID_INPUT', `${ALERT_RULES_FILE}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''}.`, {
      hint: 'Fix the rule in the file (or delete the file to go back to the default rules); `lathe alerts rules` checks it.',
      location: { file: ALERT_RULES_FILE, field: first.field },
      issues: problems.map((problem) => ({ path: problem.field, message: problem.message })),
    });
  }
  return checked;
}

export function serializeAlertRules(rules: readonly AlertRule[]): string {
  return `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, rules }, null, 2)}\n`;
}

/**
 * Write the rules and commit them under the workspace lock (as lathe.remotes.json and
 * lathe.pipeline.json are): atomically, on the branch only if nobody moved it meanwhile. The same
 * rules as committed and on disk make no commit.
 */
export async function saveAlertRules(workspace: Workspace, rules: readonly unknown[], message: string | undefined): Promise<{ status: 'committed' | 'unchanged'; commit: string | null; rules: AlertRuleSet }> {
  const checked = checkRules(rules);
  const content = serializeAlertRules(checked);
  try {
    return await workspace.lock.run(
      async () => {
        if ((await workspace.stillHere()) === 'replaced') {
          throw failure('CONFLICT', `The workspace folder ${workspace.dir} was replaced by another folder; the alert rules were not saved.`, { hint: 'Open the workspace again and save once more.' });
        }
        const committed = await workspace.git.readFile(ALERT_RULES_FILE);
        const saved: AlertRuleSet = { source: 'file', file: ALERT_RULES_FILE, rules: checked };
        if (committed === content && (await readText(join(workspace.dir, ALERT_RULES_FILE))) === content) return { status: 'unchanged' as const, commit: null, rules: saved };
        const commit = await workspace.git.commit([{ path: ALERT_RULES_FILE, content }], message?.trim() || `${committed === null ? 'Add' : 'Change'} the alert rules (${checked.length} rule${checked.length === 1 ? '' : 's'})`);
        return { status: 'committed' as const, commit, rules: saved };
      },
      { purpose: 'saving the alert rules' },
    );
  } catch (error) {
    throw failedTo(`save ${ALERT_RULES_FILE}`, error, 'The file was left as it was.');
  }
}

function ruleName(rule: unknown, index: number): string {
  const id = (rule as { id?: unknown } | null)?.id;
  return `rule ${index + 1}${typeof id === 'string' && id.length <= 64 ? ` ("${id}")` : ''}`;
}

function fileProblem(message: string, field: string) {
  return failure('INVALID_INPUT', `${ALERT_RULES_FILE}: ${message}.`, {
    hint: 'Fix the file (or delete it to go back to the default rules); `lathe alerts rules` checks it.',
    location: { file: ALERT_RULES_FILE, ...(field ? { field } : {}) },
  });
}

/**
 * The line of a JSON syntax error. V8 says "(line 3 column 5)" or "at position 42" for some
 * errors; for an unexpected token it quotes the text around it, the token 10 characters in when
 * the quote starts with "...".
 */
function lineOf(text: string, error: Error): { line?: number } {
  const lineAt = (offset: number) => ({ line: text.slice(0, offset).split('\n').length });
  const line = /\(line (\d+) column \d+\)/.exec(error.message)?.[1];
  if (line) return { line: Number(line) };
  const position = /at position (\d+)/.exec(error.message)?.[1];
  if (position) return lineAt(Number(position));
  const quoted = /^Unexpected token '(.+?)', (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/.exec(error.message);
  if (quoted) {
    const [, token = '', cut, context = ''] = quoted;
    const start = text.indexOf(context);
    if (start >= 0) return lineAt(start + (cut ? 10 : Math.max(0, context.indexOf(token))));
  }
  if (/Unexpected end of JSON input/.test(error.message)) return lineAt(text.trimEnd().length);
  return {};
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
