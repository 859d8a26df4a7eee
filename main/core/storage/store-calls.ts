import type { Handlers } from '../dispatch.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { BlobReference, BlobReferenceSource } from './blob-references.ts';
import { collectGarbage } from './collect-garbage.ts';
import { verifyStore } from './verify-store.ts';

/** Checking and clearing out the content-addressed store; `sources` say which blobs are needed. */
export function storeCalls(workspaces: OpenWorkspaces, sources: readonly BlobReferenceSource<Workspace>[]): Handlers {
  const referencesIn = async (workspace: Workspace): Promise<BlobReference[]> => (await Promise.all(sources.map((source) => source(workspace)))).flat();
  return {
    'store:verify': async ({ workspace: path }) => {
      const workspace = await workspaces.at(path);
      return verifyStore(workspace.blobs, await referencesIn(workspace));
    },
    'store:gc': async ({ workspace: path, dryRun }) => {
      const workspace = await workspaces.at(path);
      const collect = async () => collectGarbage(workspace.blobs, await referencesIn(workspace), { dryRun: dryRun ?? false });
      // Removing waits for any import to finish, so bytes it is about to commit are never taken.
      return dryRun ? collect() : workspace.lock.run(collect, { purpose: 'removing unused data' });
    },
  };
}
