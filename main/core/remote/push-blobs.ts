import type { BlobTransferProblem, TransferReport } from '../../../shared/contract/remote.ts';
import { failedTo, LatheFailure } from '../errors.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { ChosenRemote } from './choose-remote.ts';
import { heldLocally, neededBlobs } from './needed-blobs.ts';
import type { TransferProgress } from './transfer-progress.ts';

/**
 * `data push`: copy to the remote every blob the versions need that its listing lacks. Each one
 * is hashed again as it streams out of the local store, so damaged local bytes are refused
 * (named, not sent) while the rest go on; what the remote already lists is not read at all.
 * A disk that refuses a write (either side) stops the push: the blob in flight is not placed,
 * those placed before stay whole, and running it again sends only what is still missing.
 */
export async function pushBlobs(workspace: Workspace, remote: ChosenRemote, options: { allVersions: boolean; progress: TransferProgress }): Promise<TransferReport> {
  await remote.store.assertReachable(remote.label);
  const needed = await neededBlobs(workspace, options);
  const there = await remote.store.present();
  const toSend = needed.filter((blob) => !there.has(blob.hash));
  const problems: BlobTransferProblem[] = [];
  const report: TransferReport = { direction: 'push', remote: { name: remote.name, url: remote.url }, needed: needed.length, alreadyThere: needed.length - toSend.length, copied: 0, copiedBytes: 0, problems };
  await remote.store.sweepAbandoned().catch(() => undefined);

  options.progress.start(toSend);
  for (const blob of toSend) {
    const what = blob.usedBy.join(', ');
    if (!(await heldLocally(workspace.blobs, blob))) {
      const damaged = await workspace.blobs.has(blob.hash);
      problems.push({
        contentHash: blob.hash as `sha256:${string}`,
        bytes: blob.bytes,
        usedBy: blob.usedBy,
        problem: damaged ? 'damaged-here' : 'missing-everywhere',
        detail: damaged
          ? `The stored bytes of ${what} are not the recorded ${blob.bytes} bytes here, so they were not sent.`
          : `Neither this machine nor ${remote.label} has the bytes of ${what}.`,
      });
      options.progress.done(blob);
      continue;
    }
    try {
      await remote.store.put(blob.hash, workspace.blobs.readVerified(blob.hash, blob.bytes, what));
      report.copied += 1;
      report.copiedBytes += blob.bytes;
    } catch (error) {
      if (error instanceof LatheFailure && error.error.code === 'DATA_DAMAGED') {
        problems.push({ contentHash: blob.hash as `sha256:${string}`, bytes: blob.bytes, usedBy: blob.usedBy, problem: 'damaged-here', detail: `${error.error.message} They were not sent.` });
      } else {
        throw failedTo(`push the bytes of ${what} to ${remote.label}`, error, `${report.copied} blob${report.copied === 1 ? ' was' : 's were'} pushed whole before this; nothing half-written is left under a blob's name. Run the push again to send the rest.`);
      }
    }
    options.progress.done(blob);
  }
  return report;
}
