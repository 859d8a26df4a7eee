import type { BlobReference } from '../storage/blob-references.ts';
import type { Workspace } from '../workspace/workspace.ts';

/**
 * The blobs runs' artifacts name, so store:gc keeps them and store:verify checks them. Runs
 * live in the workspace database, not in git: every run counts, deleted ones too (a deleted run
 * can be restored, with its artifacts). A database that cannot be read stops gc with its error
 * rather than letting it guess that these bytes are unused.
 */
export async function runArtifactReferences(workspace: Workspace): Promise<BlobReference[]> {
  const rows = workspace.db.use((sql) =>
    sql.prepare('SELECT r.id, r.name, a.path, a.content_hash, a.bytes FROM artifacts a JOIN runs r ON r.seq = a.run ORDER BY r.seq, a.path').all(),
  ) as { id: string; name: string; path: string; content_hash: string; bytes: number }[];
  return rows.map((row) => ({ hash: row.content_hash, bytes: row.bytes, usedBy: `run ${row.name} (${row.id.slice(0, 8)}): ${row.path}` }));
}
