import type { BlobTransferProblem, TransferReport } from '../../../shared/contract/remote.ts';
import { failedTo, LatheFailure } from '../errors.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import type { ChosenRemote } from './choose-remote.ts';
import { inParallel } from './in-parallel.ts';
import { heldHere, type NeededBlob } from './needed-blobs.ts';
import type { TransferProgress } from './transfer-progress.ts';

/** Blobs copied at once: enough to hide per-file latency (fsync, rename) on a share, few enough to stay gentle on it. */
export const PARALLEL_COPIES = 8;

/**
 * `data push`: copy to the remote every blob the versions need that its listing lacks. Each one
 * is hashed again as it streams out of the local store, so damaged local bytes are refused
 * (named, not sent) while the rest go on; what the remote already lists is not read at all.
 * A disk that refuses a write (either side) stops the push: the blob in flight is not placed,
 * those placed before stay whole, and running it again sends only what is still missing.
 */
export async function pushBlobs(blobs: BlobStore, needed: readonly NeededBlob[], remote: ChosenRemote, progress: TransferProgress): Promise<TransferReport> {
  await remote.store.assertReachable(remote.label);
  const there = await remote.store.present();
  const toSend = needed.filter((blob) => !there.has(blob.hash));
  const problems: BlobTransferProblem[] = [];
  const report: TransferReport = { direction: 'push', remote: { name: remote.name, url: remote.url }, needed: needed.length, alreadyThere: needed.length - toSend.length, copied: 0, copiedBytes: 0, problems };
  await remote.store.sweepAbandoned().catch(() => undefined);

  const held = await heldHere(blobs, toSend);
  progress.start(toSend);
  const copies = inParallel(toSend, PARALLEL_COPIES, async (blob) => {
    const what = blob.usedBy.join(', ');
    if (!held.has(blob.hash)) {
      const damaged = await blobs.has(blob.hash);
      problems.push({
        contentHash: blob.hash as `sha256:${string}`,
        bytes: blob.bytes,
        usedBy: blob.usedBy,
        problem: damaged ? 'damaged-here' : 'missing-everywhere',
        detail: damaged
          ? `The stored bytes of ${what} are not the recorded ${blob.bytes} bytes here, so they were not sent.`
          : `Neither this machine nor ${remote.label} has the bytes of ${what}: push them from the machine that made that version, or import its original file again there.`,
      });
      progress.done(blob);
      return;
    }
    try {
      await remote.store.put(blob.hash, blobs.readVerified(blob.hash, blob.bytes, what));
      report.copied += 1;
      report.copiedBytes += blob.bytes;
    } catch (error) {
      if (error instanceof LatheFailure && error.error.code === 'DATA_DAMAGED') {
        problems.push({ contentHash: blob.hash as `sha256:${string}`, bytes: blob.bytes, usedBy: blob.usedBy, problem: 'damaged-here', detail: `${error.error.message} They were not sent.` });
      } else {
        throw failedTo(`push the bytes of ${what} to ${remote.label}`, error, `${report.copied} blob${report.copied === 1 ? ' was' : 's were'} pushed whole before this; nothing half-written is left under a blob's name. Run the push again to send the rest.`);
      }
    }
    progress.done(blob);
  });
  // The folders renamed into are synced once, at the end, whether or not every copy succeeded.
  try {
    await copies;
  } catch (error) {
    await remote.store.flush().catch(() => undefined);
    throw error;
  }
  await remote.store.flush();
  problems.sort((a, b) => a.usedBy[0]!.localeCompare(b.usedBy[0]!));
  return report;
}
