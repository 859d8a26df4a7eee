import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_RETRAIN_POLICY_BYTES, RetrainPolicyV1, retrainPolicyFile, type RetrainPolicy } from '../../../shared/contract/retraining.ts';
import { failedTo, failure } from '../errors.ts';
import { versionedRecord } from '../storage/versioned-record.ts';
import type { Workspace } from '../workspace/workspace.ts';

/**
 * A model's retraining policy: `retraining/<model>.json` in the workspace, committed through
 * Lathe (under the write lock) and read from the working tree, so a hand edit counts at once and
 * a broken one is refused naming the file and the field. No file: the default, which is off.
 */
export const retrainPolicyRecord = versionedRecord<RetrainPolicy>({ kind: 'retraining policy', versions: [RetrainPolicyV1], migrations: [] });

export function defaultPolicy(model: string): RetrainPolicy {
  return {
    schemaVersion: 1,
    model,
    enabled: false,
    triggers: { alerts: [], newData: false, everyHours: null },
    plan: 'auto',
    deploy: null,
    approval: { train: 'auto', register: 'auto', deploy: 'ask' },
    caps: { maxRunsPerDay: 3, cooldownMinutes: 60 },
  };
}

export async function readPolicy(workspace: Workspace, model: string): Promise<{ policy: RetrainPolicy; exists: boolean; file: string }> {
  const file = retrainPolicyFile(model);
  const text = await policyText(workspace, file);
  if (text === null) return { policy: defaultPolicy(model), exists: false, file };
  const policy = retrainPolicyRecord.parse(text, file);
  if (policy.model !== model) {
    throw failure('PARSE_ERROR', `${file} is not a valid retraining policy: model: it says "${policy.model}", but the file is ${model}'s.`, {
      hint: `Set "model" to "${model}", or move the file to ${retrainPolicyFile(policy.model)}.`,
      location: { file, field: 'model' },
    });
  }
  return { policy, exists: true, file };
}

/** Commit the policy (unchanged when the file already says the same, on disk and in git). */
export async function savePolicy(workspace: Workspace, policy: RetrainPolicy): Promise<{ status: 'committed' | 'unchanged'; commit: string | null }> {
  const file = retrainPolicyFile(policy.model);
  const content = retrainPolicyRecord.serialize(policy);
  try {
    return await workspace.lock.run(
      async () => {
        if ((await workspace.stillHere()) === 'replaced') {
          throw failure('CONFLICT', `The workspace folder ${workspace.dir} was replaced by another folder; the policy was not saved.`, { hint: 'Open the workspace again and save once more.' });
        }
        const committed = await workspace.git.readFile(file);
        if (committed === content && (await policyText(workspace, file).catch(() => null)) === content) return { status: 'unchanged' as const, commit: null };
        const commit = await workspace.git.commit([{ path: file, content }], `${committed === null ? 'Add' : 'Change'} the retraining policy of ${policy.model}${policy.enabled ? '' : ' (off)'}`);
        return { status: 'committed' as const, commit };
      },
      { purpose: `saving the retraining policy of ${policy.model}` },
    );
  } catch (error) {
    throw failedTo(`save ${file}`, error, 'The file was left as it was.');
  }
}

async function policyText(workspace: Workspace, file: string): Promise<string | null> {
  const path = join(workspace.dir, file);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw failure('INVALID_INPUT', `${file} in the workspace is not a file.`, { location: { file } });
    if (info.size > MAX_RETRAIN_POLICY_BYTES) {
      throw failure('TOO_LARGE', `${file} is ${info.size.toLocaleString('en')} bytes; a retraining policy is at most ${MAX_RETRAIN_POLICY_BYTES / 1024} KiB.`, { location: { file } });
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw failedTo(`read ${file}`, error, 'Nothing was changed.');
  }
}
