import { GateSpec } from '../../../shared/contract/gates.ts';
import { failure } from '../errors.ts';
import type { GitRepo } from '../workspace/git-repo.ts';
import { lineAt, lineOfPath } from './json-lines.ts';

/**
 * A model's gate spec is `models/<name>/gates.json` in the workspace's git: reviewed, diffed and
 * pushed like code. A spec a person broke is refused with the file, the JSON path and the line;
 * a model without one is gated by the defaults.
 */
export const GATE_SPEC_VERSION = 1;

export function gateSpecPath(model: string): string {
  return `models/${model}/gates.json`;
}

/** A parsed spec and the text it came from, so later checks (a metric the task lacks, a column the data lacks) can point at a line too. */
export interface LoadedSpec {
  spec: GateSpec;
  path: string;
  exists: boolean;
  /** Where a field of the spec is written: `models/churn/gates.json line 12 (model.require[0])`. */
  locate(path: readonly PropertyKey[]): { file: string; line: number; field: string };
}

export function defaultGateSpec(): GateSpec {
  return GateSpec.parse({ schemaVersion: GATE_SPEC_VERSION });
}

export function serializeGateSpec(spec: GateSpec): string {
  return `${JSON.stringify(GateSpec.parse(spec), null, 2)}\n`;
}

export async function loadGateSpec(git: Pick<GitRepo, 'readFile'>, model: string, commit?: string): Promise<LoadedSpec> {
  const path = gateSpecPath(model);
  const text = await git.readFile(path, commit);
  if (text === null) return { spec: defaultGateSpec(), path, exists: false, locate: (at) => ({ file: path, line: 1, field: fieldName(at) }) };
  return { ...parseGateSpec(text, path), exists: true };
}

export function parseGateSpec(text: string, path: string): Omit<LoadedSpec, 'exists'> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? lineAt(text, Number(position[1])) : null;
    throw failure('PARSE_ERROR', `${path} is not valid JSON${where ? ` (line ${where.line}, column ${where.column})` : ''}: ${message.replace(/ in JSON at position \d+.*$/, '')}.`, {
      hint: 'Fix the JSON by hand, or write a fresh spec with `lathe gates init NAME --replace`.',
      location: { file: path, ...(where ? { line: where.line, column: where.column } : {}) },
    });
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && Number.isInteger(version) && version > GATE_SPEC_VERSION) {
    throw failure('UNAVAILABLE', `${path} was written by a newer Lathe (gate spec version ${version}; this Lathe reads up to ${GATE_SPEC_VERSION}).`, {
      hint: 'Update Lathe to run these gates.',
      location: { file: path, field: 'schemaVersion', line: lineOfPath(text, ['schemaVersion']) },
    });
  }
  const locate = (at: readonly PropertyKey[]) => ({ file: path, line: lineOfPath(text, at), field: fieldName(at) });
  const parsed = GateSpec.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const keys = 'keys' in issue && Array.isArray(issue.keys) && issue.keys.length > 0 ? [...issue.path, issue.keys[0] as string] : issue.path;
      return { at: locate(keys), message: issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}` : issue.message };
    });
    const first = issues[0]!;
    throw failure('PARSE_ERROR', `${path} line ${first.at.line}: ${first.at.field || 'the spec'}: ${first.message}.`, {
      hint: `Fix it in ${path}${issues.length > 1 ? ` (${issues.length} problems in all)` : ''}; \`lathe gates init NAME --replace\` writes the defaults with every field.`,
      location: { file: path, line: first.at.line, field: first.at.field },
      issues: issues.map((issue) => ({ path: issue.at.field, message: `line ${issue.at.line}: ${issue.message}` })),
    });
  }
  return { spec: parsed.data, path, locate };
}

/** `model.require[0]` */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key)), '');
}
