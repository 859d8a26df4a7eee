import type { BigIntStats } from 'node:fs';
import type { WorkspaceDb } from './workspace-db.ts';

/** What identifies a file's current bytes without reading them: any write changes one of these. */
export interface FileIdentity {
  size: number;
  mtimeNs: string;
  ctimeNs: string;
  inode: string;
}

export function identityOf(stats: BigIntStats): FileIdentity {
  return { size: Number(stats.size), mtimeNs: String(stats.mtimeNs), ctimeNs: String(stats.ctimeNs), inode: `${stats.dev}:${stats.ino}` };
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.inode === b.inode;
}

/**
 * Blobs whose bytes were hashed and matched their name, with the file's identity then (as DVC
 * keeps a hash cache keyed by mtime and inode). A blob whose file still has that identity need
 * not be hashed again before a preview; any write to it (a flipped byte, a truncation, a chmod)
 * changes its ctime, so it is hashed again. `lathe data verify` ignores this and hashes all.
 *
 * The database is a cache here: when it cannot be opened, every check hashes the bytes.
 */
export class BlobChecks {
  readonly #db: () => WorkspaceDb | null;

  constructor(db: () => WorkspaceDb | null) {
    this.#db = db;
  }

  get(hash: string): FileIdentity | null {
    return this.#try((db) => {
      const row = db.use((sql) => sql.prepare('SELECT size, mtime_ns, ctime_ns, inode FROM blob_checks WHERE hash = ?').get(hash)) as
        | { size: number; mtime_ns: string; ctime_ns: string; inode: string }
        | undefined;
      return row ? { size: row.size, mtimeNs: row.mtime_ns, ctimeNs: row.ctime_ns, inode: row.inode } : null;
    }, null);
  }

  set(hash: string, identity: FileIdentity): void {
    this.#try((db) => {
      db.use((sql) =>
        sql
          .prepare('INSERT OR REPLACE INTO blob_checks (hash, size, mtime_ns, ctime_ns, inode, checked_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(hash, identity.size, identity.mtimeNs, identity.ctimeNs, identity.inode, new Date().toISOString()),
      );
    }, undefined);
  }

  forget(hash: string): void {
    this.#try((db) => void db.use((sql) => sql.prepare('DELETE FROM blob_checks WHERE hash = ?').run(hash)), undefined);
  }

  #try<T>(work: (db: WorkspaceDb) => T, fallback: T): T {
    try {
      const db = this.#db();
      return db ? work(db) : fallback;
    } catch {
      return fallback; // a cache that cannot be read is a cache miss
    }
  }
}
