/**
 * A blob some committed record names: a dataset version's bytes today, a model's artifacts
 * later. Each capability that stores bytes says which of its records name which blobs; verify
 * and gc ask all of them, so neither ever needs to know what a dataset or a model is.
 */
export interface BlobReference {
  hash: string;
  /** The size the record promises. */
  bytes: number;
  /** Who needs it, in words a person knows: "penguins@3". */
  usedBy: string;
}

export type BlobReferenceSource<W> = (workspace: W) => Promise<BlobReference[]>;

/** References grouped by blob: each blob once, with everything that needs it. */
export function groupByBlob(references: readonly BlobReference[]): Map<string, { bytes: number; usedBy: string[] }> {
  const blobs = new Map<string, { bytes: number; usedBy: string[] }>();
  for (const reference of references) {
    const entry = blobs.get(reference.hash);
    if (entry) entry.usedBy.push(reference.usedBy);
    else blobs.set(reference.hash, { bytes: reference.bytes, usedBy: [reference.usedBy] });
  }
  return blobs;
}
