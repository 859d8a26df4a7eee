import type { BlobTransferProblem, TransferReport } from '../../../shared/contract/remote.ts';
import { reachPhase } from '../base/phases.ts';
import { failedTo } from '../errors.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import type { ChosenRemote } from './choose-remote.ts';
import { inParallel } from './in-parallel.ts';
import { heldHere, type NeededBlob } from './needed-blobs.ts';
import { PARALLEL_COPIES } from './push-blobs.ts';
import type { TransferProgress } from './transfer-progress.ts';

/**
 * `data pull`: fetch every blob the versions need that this machine lacks. Each one streams into
 * the local store's temp folder while it is hashed, and enters the store only when its SHA-256
 * and size are the ones its version records: a damaged remote blob is refused, named and not
 * stored, and the others go on. A disk that refuses a write stops the pull with nothing half-kept.
 */
export async function pullBlobs(blobs: BlobStore, needed: readonly NeededBlob[], remote: ChosenRemote, progress: TransferProgress): Promise<TransferReport> {
  await remote.store.assertReachable(remote.label);
  const held = await heldHere(blobs, needed);
  const toFetch = needed.filter((blob) => !held.has(blob.hash));
  const problems: BlobTransferProblem[] = [];
  const report: TransferReport = { direction: 'pull', remote: { name: remote.name, url: remote.url }, needed: needed.length, alreadyThere: needed.length - toFetch.length, copied: 0, copiedBytes: 0, problems };

  progress.start(toFetch);
  await inParallel(toFetch, PARALLEL_COPIES, async (blob) => {
    const what = blob.usedBy.join(', ');
    const problem = (kind: BlobTransferProblem['problem'], detail: string) =>
      problems.push({ contentHash: blob.hash as `sha256:${string}`, bytes: blob.bytes, usedBy: blob.usedBy, problem: kind, detail });
    try {
      const source = await remote.store.open(blob.hash);
      if (source === null) {
        problem('missing-everywhere', `Neither this machine nor ${remote.label} has the bytes of ${what} (${blob.hash}): push them from the machine that made that version.`);
      } else {
        const found = await storeIfIntact(blobs, blob, source);
        if (found === 'stored') {
          report.copied += 1;
          report.copiedBytes += blob.bytes;
        } else {
          problem('damaged-on-remote', `The copy of ${what} on ${remote.label} (${remote.store.where(blob.hash)}) ${found}, so it was not stored. Push it again from a machine that has it intact.`);
        }
      }
    } catch (error) {
      throw failedTo(`pull the bytes of ${what} from ${remote.label}`, error, `${report.copied} blob${report.copied === 1 ? ' was' : 's were'} stored whole before this; nothing half-written was kept. Run the pull again to fetch the rest.`);
    }
    progress.done(blob);
  });
  problems.sort((a, b) => a.usedBy[0]!.localeCompare(b.usedBy[0]!));
  return report;
}

/**
 * Stream the remote's bytes into a new local blob, then keep it only if they are what the
 * version recorded. Returns 'stored', or why they were refused. Never reads past the recorded
 * size, so a huge file on the remote cannot fill this disk.
 */
async function storeIfIntact(blobs: BlobStore, blob: NeededBlob, source: AsyncIterable<Uint8Array>): Promise<'stored' | string> {
  const writer = await blobs.begin();
  try {
    let tooLong = false;
    for await (const chunk of source) {
      if (writer.bytes + chunk.byteLength > blob.bytes) {
        tooLong = true;
        break;
      }
      await writer.write(chunk);
    }
    await writer.finish();
    if (tooLong) return `holds more than the recorded ${blob.bytes} bytes`;
    if (writer.bytes !== blob.bytes) return `holds ${writer.bytes} of the recorded ${blob.bytes} bytes`;
    if (writer.digest() !== blob.hash) return `does not match its content hash ${blob.hash}`;
    await reachPhase('remote:blob-verified');
    await writer.commit();
    return 'stored';
  } finally {
    await writer.discard();
  }
}
