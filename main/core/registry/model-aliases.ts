import type { AliasChange } from '../../../shared/contract/registry.ts';
import { failure } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { aliasesPath, aliasesRecord } from './model-records.ts';
import { readAliases, requireModel } from './model-reads.ts';
import { changeRegistry, registryCommitMessage } from './registry-commits.ts';
import { parseModelRef, resolveModelVersion } from './resolve-model-version.ts';

/**
 * Point `alias` at the version `ref` names (`churn@3`, or `churn@challenger` to copy where
 * another alias points), as MLflow 2's set_registered_model_alias: an alias names one version
 * at a time, and setting it again moves it. The number is resolved under the lock and written,
 * so the commit says exactly which version it pointed at. Setting it where it already is
 * commits nothing.
 */
export async function setAlias(workspace: Workspace, refText: string, alias: string, events?: EventHub): Promise<AliasChange> {
  const ref = parseModelRef(refText);
  return changeRegistry(
    workspace,
    `point ${ref.name}@${alias} at ${refText}`,
    ref.name,
    async () => {
      const target = await resolveModelVersion(workspace, ref);
      return aliasMove(workspace, ref.name, alias, target.version, registryCommitMessage(`Point ${ref.name}@${alias} at version ${target.version}`, null, {
        model: ref.name,
        version: target.version,
        action: 'set-alias',
        alias,
      }));
    },
    events,
  );
}

/** Remove an alias; an alias the model does not have is NOT_FOUND, naming the ones it has. */
export async function removeAlias(workspace: Workspace, name: string, alias: string, events?: EventHub): Promise<AliasChange> {
  return changeRegistry(
    workspace,
    `remove the alias ${alias} from ${name}`,
    name,
    async () => {
      await requireModel(workspace, name);
      const aliases = await readAliases(workspace, name);
      const previous = aliases[alias];
      if (previous === undefined) {
        const known = Object.keys(aliases).sort();
        throw failure('NOT_FOUND', `${name} has no alias "${alias}" to remove.`, {
          hint: known.length > 0 ? `Its aliases: ${known.join(', ')}.` : 'It has no aliases.',
          location: { field: 'alias' },
        });
      }
      const rest = Object.fromEntries(Object.entries(aliases).filter(([other]) => other !== alias));
      return {
        files: [{ path: aliasesPath(name), content: aliasesRecord.serialize({ schemaVersion: 1, aliases: sorted(rest) }) }],
        message: registryCommitMessage(`Remove ${name}@${alias} (was version ${previous})`, null, { model: name, version: previous, action: 'remove-alias', alias }),
        result: (commit) => ({ name, alias, version: null, previous, commit }),
      };
    },
    events,
  );
}

/** The change that points `alias` at `version`, as a commit to make (none when it is already there). */
export async function aliasMove(workspace: Workspace, name: string, alias: string, version: number, message: string, extraFiles: { path: string; content: string }[] = []) {
  const aliases = await readAliases(workspace, name);
  const previous = aliases[alias] ?? null;
  const unchanged = previous === version && extraFiles.length === 0;
  return {
    files: unchanged ? [] : [{ path: aliasesPath(name), content: aliasesRecord.serialize({ schemaVersion: 1, aliases: sorted({ ...aliases, [alias]: version }) }) }, ...extraFiles],
    message,
    result: (commit: string | null): AliasChange => ({ name, alias, version, previous, commit }),
  };
}

/** Aliases in name order, so the file diffs cleanly. */
function sorted(aliases: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(aliases).sort(([a], [b]) => a.localeCompare(b)));
}
