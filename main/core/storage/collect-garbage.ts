import type { StoreGcReport } from '../../../shared/contract/store.ts';
import type { BlobReference } from './blob-references.ts';
import type { BlobStore } from './blob-store.ts';

/**
 * Remove the blobs no committed record names (a killed import's bytes, versions whose commits
 * are gone from every branch, tag and reflog). Run it under the workspace lock, with the
 * references read under that same lock, so no import can place and commit bytes in between.
 */
export async function collectGarbage(blobs: BlobStore, references: readonly BlobReference[], options: { dryRun: boolean }): Promise<StoreGcReport> {
  const referenced = new Set(references.map((reference) => reference.hash));
  const report: StoreGcReport = { dryRun: options.dryRun, unreferenced: [], unreferencedBytes: 0, kept: 0, keptBytes: 0 };
  for await (const blob of blobs.list()) {
    if (referenced.has(blob.hash)) {
      report.kept += 1;
      report.keptBytes += blob.bytes;
      continue;
    }
    if (!options.dryRun) await blobs.remove(blob.hash);
    report.unreferenced.push({ contentHash: blob.hash, bytes: blob.bytes });
    report.unreferencedBytes += blob.bytes;
  }
  return report;
}
