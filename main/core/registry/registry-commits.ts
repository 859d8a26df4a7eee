import { RegistryAction } from '../../../shared/contract/registry.ts';
import { failedTo, failure } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { FileChange } from '../workspace/git-repo.ts';
import type { Workspace } from '../workspace/workspace.ts';

/**
 * Every registry change is one commit, made under the workspace's write lock, whose message
 * ends in trailers that say what changed, as dataset imports do:
 *
 *   Promote churn@3 to champion (check failed; overridden)
 *
 *   The reason, as the person wrote it.
 *
 *   Lathe-Model: churn
 *   Lathe-Version: 3
 *   Lathe-Action: promote
 *   Lathe-Alias: champion
 *   Lathe-Check: failed
 *   Lathe-Override: yes
 *
 * `models:log` reads the history back from these, so `git log -- models/churn` and the app show
 * the same story.
 */
export interface RegistryTrailers {
  model: string;
  action: RegistryAction;
  version?: number | undefined;
  alias?: string | undefined;
  run?: string | undefined;
  check?: 'passed' | 'failed' | undefined;
  override?: boolean | undefined;
}

export function registryCommitMessage(title: string, body: string | null, trailers: RegistryTrailers): string {
  const lines = [`Lathe-Model: ${trailers.model}`];
  if (trailers.version !== undefined) lines.push(`Lathe-Version: ${trailers.version}`);
  lines.push(`Lathe-Action: ${trailers.action}`);
  if (trailers.alias !== undefined) lines.push(`Lathe-Alias: ${trailers.alias}`);
  if (trailers.run !== undefined) lines.push(`Lathe-Run: ${trailers.run}`);
  if (trailers.check !== undefined) lines.push(`Lathe-Check: ${trailers.check}`);
  if (trailers.override) lines.push('Lathe-Override: yes');
  const text = body?.trim();
  return `${title}\n\n${text ? `${text}\n\n` : ''}${lines.join('\n')}\n`;
}

export interface ReadCommit {
  title: string;
  /** The text between the title and the trailers (a description, an override's reason). */
  body: string;
  trailers: RegistryTrailers | null;
}

/** Split a registry commit's message back into its title, body and trailers (null when it has none: a hand-made commit). */
export function readRegistryCommit(message: string): ReadCommit {
  const lines = message.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  const title = lines[0] ?? '';
  let end = lines.length;
  const found: Record<string, string> = {};
  while (end > 1) {
    const match = /^(Lathe-[A-Za-z]+): (.*)$/.exec(lines[end - 1]!);
    if (!match) break;
    found[match[1]!] = match[2]!;
    end -= 1;
  }
  const body = lines.slice(1, end).join('\n').trim();
  // A gate run's report is committed with `Lathe-Gates: pass|warn|fail` in place of an action (gate-results.ts).
  const gates = found['Lathe-Gates'];
  const action = RegistryAction.safeParse(found['Lathe-Action'] ?? (gates === undefined ? undefined : 'gates'));
  if (!found['Lathe-Model'] || !action.success) return { title, body, trailers: null };
  const version = Number(found['Lathe-Version']);
  const check = gates === undefined ? found['Lathe-Check'] : gates === 'fail' ? 'failed' : 'passed';
  return {
    title,
    body,
    trailers: {
      model: found['Lathe-Model'],
      action: action.data,
      version: Number.isInteger(version) && version > 0 ? version : undefined,
      alias: found['Lathe-Alias'],
      run: found['Lathe-Run'],
      check: check === 'passed' || check === 'failed' ? check : undefined,
      override: found['Lathe-Override'] === 'yes',
    },
  };
}

export interface RegistryChange<T> {
  /** The files to commit; an empty list commits nothing (the change was already there). */
  files: readonly FileChange[];
  message: string;
  /** What the caller returns, given the commit (null when nothing was committed). */
  result: (commit: string | null) => T;
}

/**
 * Decide and commit one registry change under the workspace's write lock: `decide` reads the
 * registry as it is now (so two writers never both think they hold version 7) and says what to
 * write. Any failure — a refusal, a full disk at the commit, the branch moved by a git client —
 * leaves the registry as it was, and says so.
 */
export async function changeRegistry<T>(workspace: Workspace, doing: string, name: string, decide: () => Promise<RegistryChange<T>>, events?: EventHub): Promise<T> {
  try {
    const { value, changed } = await workspace.lock.run(
      async () => {
        if ((await workspace.stillHere()) === 'replaced') {
          throw failure('CONFLICT', `The workspace folder ${workspace.dir} was replaced by another folder while Lathe was working in it.`, { hint: 'Open the workspace again and repeat the change.' });
        }
        const change = await decide();
        if (change.files.length === 0) return { value: change.result(null), changed: false };
        const commit = await workspace.git.commit(change.files, change.message);
        return { value: change.result(commit), changed: true };
      },
      { purpose: doing },
    );
    if (changed) events?.emit('models:changed', { workspace: workspace.dir, name });
    return value;
  } catch (error) {
    throw failedTo(doing, error, 'Nothing was changed; the registry is as it was.');
  }
}
