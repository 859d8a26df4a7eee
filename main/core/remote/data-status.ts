import type { BlobWhere, DataStatus } from '../../../shared/contract/remote.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { ChosenRemote } from './choose-remote.ts';
import { heldHere, neededBlobs } from './needed-blobs.ts';

/**
 * `data status`: for every blob the versions need, is it here, on the remote, or nowhere — from a
 * stat per local blob and one listing of the remote, nothing read. With no remote, only "here".
 */
export async function dataStatus(workspace: Workspace, remote: ChosenRemote | null, options: { allVersions: boolean }): Promise<DataStatus> {
  if (remote) await remote.store.assertReachable(remote.label);
  const needed = await neededBlobs(workspace, options);
  const there = remote ? await remote.store.present() : null;
  const held = await heldHere(workspace.blobs, needed);
  const blobs: BlobWhere[] = needed.map((blob) => ({ contentHash: blob.hash as `sha256:${string}`, bytes: blob.bytes, usedBy: blob.usedBy, local: held.has(blob.hash), remote: there ? there.has(blob.hash) : null }));
  const count = (test: (blob: BlobWhere) => boolean) => blobs.filter(test).length;
  const notPushed = blobs.filter((blob) => blob.local && blob.remote === false);
  return {
    remote: remote ? { name: remote.name, url: remote.url } : null,
    blobs,
    synced: count((blob) => blob.local && blob.remote === true),
    notPushed: notPushed.length,
    remoteOnly: count((blob) => !blob.local && blob.remote === true),
    missing: count((blob) => !blob.local && blob.remote !== true),
    versionsNotPushed: [...new Set(notPushed.flatMap((blob) => blob.usedBy.map((use) => use.replace(/:.*$/, ''))))].sort(),
  };
}
