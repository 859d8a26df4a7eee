import { datasetBlobReferences } from '../datasets/dataset-references.ts';
import { modelBlobReferences } from '../registry/registry-references.ts';
import { stat } from 'node:fs/promises';
import { groupByBlob } from '../storage/blob-references.ts';
import { inParallel } from './in-parallel.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { reachableCommits } from '../workspace/reachable-commits.ts';
import type { Workspace } from '../workspace/workspace.ts';

/** A blob some version needs, with every version that needs it ("penguins@1", "penguins-clf@2: model/weights.bin"). */
export interface NeededBlob {
  hash: string;
  bytes: number;
  usedBy: string[];
}

/**
 * The blobs that travel: what the dataset versions and registered model versions at HEAD name
 * (or, with `allVersions`, in every commit a person can still check out), read from git alone.
 * Runs' own artifacts stay on the machine that made them, as the runs database does.
 */
export async function neededBlobs(workspace: Workspace, options: { allVersions: boolean }): Promise<NeededBlob[]> {
  const head = await workspace.git.head();
  const commits = options.allVersions ? await reachableCommits(workspace.git) : head ? [head] : [];
  const references = [...(await datasetBlobReferences(workspace, commits)), ...(await modelBlobReferences(workspace, commits))];
  return [...groupByBlob(references)].map(([hash, { bytes, usedBy }]) => ({ hash, bytes, usedBy: [...new Set(usedBy)] }));
}

/** The blobs this machine holds whole (see heldLocally), checked many at a time. */
export async function heldHere(blobs: BlobStore, needed: readonly NeededBlob[]): Promise<Set<string>> {
  const held = new Set<string>();
  await inParallel(needed, 32, async (blob) => {
    if (await heldLocally(blobs, blob)) held.add(blob.hash);
  });
  return held;
}

/**
 * Does this machine hold the blob whole? Its file is there with the recorded size (a stat, not a
 * hash: bytes are verified as they are read, and a pull replaces a cut-short copy).
 */
export async function heldLocally(blobs: BlobStore, blob: NeededBlob): Promise<boolean> {
  const info = await stat(blobs.pathOf(blob.hash)).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
  return info !== null && info.isFile() && info.size === blob.bytes;
}
