import { z } from 'zod';
import { ContentHash } from './datasets.ts';
import { defineCall } from './define.ts';
import { WorkspacePath } from './workspace.ts';

/** The workspace's content-addressed store (.lathe/objects): checking it and clearing it out. */

export const BlobProblem = z.object({
  contentHash: ContentHash,
  /** missing: no file; truncated: shorter than recorded; altered: bytes differ from the hash; unreadable: the disk refused. */
  problem: z.enum(['missing', 'truncated', 'altered', 'unreadable']),
  expectedBytes: z.number().int().nonnegative(),
  /** What is there now; null when nothing is (missing) or it could not be read. */
  actualBytes: z.number().int().nonnegative().nullable(),
  /** Who needs these bytes: "penguins@3", … */
  usedBy: z.array(z.string()),
  /** The file holding them. */
  path: z.string(),
  detail: z.string().optional(),
});
export type BlobProblem = z.infer<typeof BlobProblem>;

export const StoreVerifyReport = z.object({
  /** Blobs that some commit names, each hashed again. */
  checked: z.number().int().nonnegative(),
  checkedBytes: z.number().int().nonnegative(),
  intact: z.number().int().nonnegative(),
  problems: z.array(BlobProblem),
});
export type StoreVerifyReport = z.infer<typeof StoreVerifyReport>;

export const StoreGcReport = z.object({
  dryRun: z.boolean(),
  /** Blobs no commit names: removed, or (dry run) to be removed. */
  unreferenced: z.array(z.object({ contentHash: ContentHash, bytes: z.number().int().nonnegative() })),
  unreferencedBytes: z.number().int().nonnegative(),
  /** Blobs kept because a commit (on a branch, a tag or in git's reflog) names them. */
  kept: z.number().int().nonnegative(),
  keptBytes: z.number().int().nonnegative(),
});
export type StoreGcReport = z.infer<typeof StoreGcReport>;

export const storeVerify = defineCall(
  'store:verify',
  "Hash every stored blob a commit names again, and list the missing, cut-short and altered ones",
  z.object({ workspace: WorkspacePath }),
  StoreVerifyReport,
);

export const storeGc = defineCall(
  'store:gc',
  'Remove the stored blobs no commit names (dryRun: only list them)',
  z.object({ workspace: WorkspacePath, dryRun: z.boolean().optional() }),
  StoreGcReport,
);
