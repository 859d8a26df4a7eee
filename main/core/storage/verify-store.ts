import type { BlobProblem, StoreVerifyReport } from '../../../shared/contract/store.ts';
import { groupByBlob, type BlobReference } from './blob-references.ts';
import type { BlobStore } from './blob-store.ts';

/**
 * Hash again every blob that a committed record names, ignoring what was checked before, and
 * say which are missing, cut short, altered or unreadable, and who needs each of them.
 */
export async function verifyStore(blobs: BlobStore, references: readonly BlobReference[]): Promise<StoreVerifyReport> {
  const grouped = [...groupByBlob(references)].sort(([a], [b]) => a.localeCompare(b));
  const problems: BlobProblem[] = [];
  let checkedBytes = 0;
  for (const [hash, { bytes, usedBy }] of grouped) {
    const found = await blobs.inspect(hash, bytes, { trustCache: false });
    if (found.state === 'intact') {
      checkedBytes += found.bytes;
      continue;
    }
    problems.push({
      contentHash: hash as BlobProblem['contentHash'],
      problem: found.state,
      expectedBytes: bytes,
      actualBytes: found.state === 'truncated' || found.state === 'altered' ? found.bytes : null,
      usedBy: usedBy.sort(),
      path: blobs.pathOf(hash),
      ...(found.state === 'unreadable' ? { detail: found.reason } : {}),
    });
  }
  return { checked: grouped.length, checkedBytes, intact: grouped.length - problems.length, problems };
}
