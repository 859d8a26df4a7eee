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

/** The reason an override's commit body starts with ("Override: …", up to the check's summary). */
function overrideReason(body: string): string {
  const match = /^Override: ([\s\S]*?)(?:\n\nCheck: [\s\S]*)?$/.exec(body);
  return (match?.[1] ?? body).trim();
}
