import type { RegistryLogEntry } from '../../../shared/contract/registry.ts';
import type { RegistryReader } from './model-reads.ts';
import { requireModel } from './model-reads.ts';
import { modelDir } from './model-records.ts';
import { readRegistryCommit } from './registry-commits.ts';

/**
 * A model's audit history, newest first: every commit that changed `models/<name>/`, read back
 * from its trailers. A commit made by hand (a git client, a merge) has no trailers; it is shown
 * as an edit with its own title, so nothing that changed the model is hidden.
 */
export async function modelLog(workspace: RegistryReader, name: string): Promise<RegistryLogEntry[]> {
  await requireModel(workspace, name);
  const commits = await workspace.git.history(modelDir(name));
  return commits.map((commit) => {
    const { title, body, trailers } = readRegistryCommit(commit.message);
    const forThisModel = trailers?.model === name ? trailers : null;
    return {
      commit: commit.oid,
      date: commit.date,
      action: forThisModel?.action ?? 'edit-model',
      version: forThisModel?.version ?? null,
      alias: forThisModel?.alias ?? null,
      title,
      passed: forThisModel?.check === undefined ? null : forThisModel.check === 'passed',
      overrideReason: forThisModel?.override ? overrideReason(body) : null,
    };
  });
}

/** An override's reason: everything after "Override: ", which follows the check's summary (promote-model.ts). */
export function overrideReason(body: string): string {
  const start = body.startsWith('Override: ') ? 0 : body.indexOf('\n\nOverride: ');
  return start === -1 ? body.trim() : body.slice(body.indexOf('Override: ', start) + 'Override: '.length).trim();
}
