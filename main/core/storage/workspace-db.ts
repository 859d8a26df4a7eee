import { DatabaseSync } from 'node:sqlite';
import { failure } from '../errors.ts';

/**
 * The workspace's SQLite database, `.lathe/lathe.db` (WAL): indexes and caches of what git and
 * the blob store hold, and later the high-volume telemetry (metrics per step). Its schema grows
 * by numbered migrations, each run once, in order, inside a transaction; `PRAGMA user_version`
 * records how far a database has come. A database from a newer Lathe is refused, not guessed at.
 */
export const migrations: readonly string[] = [
  // 1: blobs whose bytes were hashed and matched, with the file's identity at that moment, so a
  //    file that has not changed since is not hashed again before every preview.
  `CREATE TABLE blob_checks (
     hash TEXT PRIMARY KEY,
     size INTEGER NOT NULL,
     mtime_ns TEXT NOT NULL,
     ctime_ns TEXT NOT NULL,
     inode TEXT NOT NULL,
     checked_at TEXT NOT NULL
   ) STRICT`,
];

export class WorkspaceDb {
  readonly file: string;
  readonly #db: DatabaseSync;

  private constructor(file: string, db: DatabaseSync) {
    this.file = file;
    this.#db = db;
  }

  static open(file: string): WorkspaceDb {
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(file, { timeout: 2_000 });
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
      migrate(db, file);
      return new WorkspaceDb(file, db);
    } catch (error) {
      db?.close();
      throw dbFailure(error, file);
    }
  }

  /** Run `work` against the database; its errors name the file. */
  use<T>(work: (db: DatabaseSync) => T): T {
    try {
      return work(this.#db);
    } catch (error) {
      throw dbFailure(error, this.file);
    }
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

function migrate(db: DatabaseSync, file: string): void {
  const { user_version: at } = db.prepare('PRAGMA user_version').get() as { user_version: number };
  if (at > migrations.length) {
    throw failure('UNAVAILABLE', `${file} was written by a newer Lathe (database version ${at}; this Lathe knows up to ${migrations.length}).`, {
      hint: 'Update Lathe to open this workspace.',
    });
  }
  for (let version = at + 1; version <= migrations.length; version += 1) {
    db.exec('BEGIN IMMEDIATE');
    try {
      // Another process may have migrated meanwhile: check again inside the write transaction.
      const { user_version: now } = db.prepare('PRAGMA user_version').get() as { user_version: number };
      if (now < version) {
        db.exec(migrations[version - 1]!);
        db.exec(`PRAGMA user_version = ${version}`);
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}

function dbFailure(error: unknown, file: string) {
  if (error instanceof Error && error.name === 'LatheFailure') return error;
  const code = ((error as { errcode?: number }).errcode ?? 0) & 0xff; // the primary result code
  const message = (error as Error).message;
  if (code === 26 || code === 11) {
    return failure('DATA_DAMAGED', `The workspace database ${file} is damaged: ${message}.`, {
      hint: 'Move that file aside (Lathe makes a new one). Data in git and in .lathe/objects is not affected.',
      location: { file },
    });
  }
  if (code === 5 || code === 6) {
    return failure('CONFLICT', `The workspace database ${file} is locked by another program: ${message}.`, {
      hint: 'Close the program holding it (a database browser?), then try again.',
      location: { file },
    });
  }
  return failure('DISK_ERROR', `The workspace database ${file} could not be used: ${message}.`, { location: { file } });
}
