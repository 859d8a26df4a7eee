import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { failure, LatheFailure } from '../../core/errors.ts';
import { DAMAGED_CODES, sqliteCode, STORE_SCHEMA, STORE_SCHEMA_VERSION } from './prediction-store-schema.ts';

/**
 * The prediction store's file, opened (or made) with its tables: WAL, synchronous = NORMAL. A file
 * that is not a healthy database is moved aside (with its -wal and -shm), told through `warn`, and
 * a fresh one made once; a file from a newer agent is refused, not guessed at; a file that cannot
 * be opened at all is DISK_ERROR naming it.
 */
export function openStoreFile(file: string, options: { now: () => number; warn: (text: string) => void }): { db: DatabaseSync; movedAside: number } {
  let movedAside = 0;
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (error) {
    throw cannotOpen(file, error);
  }
  for (;;) {
    let db: DatabaseSync | null = null;
    try {
      db = new DatabaseSync(file);
      // synchronous = OFF: a commit is in the OS's hands when it returns, so a killed agent keeps
      // every record it flushed; only a power cut or OS crash can lose (or damage) the newest ones,
      // and a damaged store is moved aside at the next start. NORMAL fsyncs at each WAL
      // checkpoint, on the serving thread: bench:monitor measured the queued append's worst stall
      // at 17 ms with it and 5 ms without, and one transaction per request's p99 at 558 µs vs 149 µs.
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA busy_timeout = 1000;');
      const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
      if (version > STORE_SCHEMA_VERSION) {
        throw failure('UNAVAILABLE', `The prediction store ${file} was written by a newer Lathe agent (store version ${version}; this agent knows ${STORE_SCHEMA_VERSION}).`, {
          hint: 'Update this agent, or move that file aside to start a fresh store.',
          location: { file },
        });
      }
      db.exec(STORE_SCHEMA);
      db.exec(`PRAGMA user_version = ${STORE_SCHEMA_VERSION}`);
      // Touch the table's last pages: a damaged file usually says so here rather than mid-serving.
      db.prepare('SELECT max(seq) FROM predictions').get();
      return { db, movedAside };
    } catch (error) {
      db?.close();
      if (error instanceof LatheFailure) throw error;
      if (!DAMAGED_CODES.has(sqliteCode(error)) || movedAside > 0) throw cannotOpen(file, error);
      const aside = `${file}.damaged-${new Date(options.now()).toISOString().replaceAll(':', '-')}`;
      try {
        for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
      } catch (moveError) {
        throw cannotOpen(file, moveError);
      }
      movedAside += 1;
      options.warn(`The prediction store ${file} was damaged (${(error as Error).message}); it was moved aside to ${aside} and a fresh store started. Predictions recorded before are in that file.`);
    }
  }
}

function cannotOpen(file: string, error: unknown): LatheFailure {
  const message = error instanceof Error ? error.message : String(error);
  return failure('DISK_ERROR', `The prediction store ${file} cannot be opened: ${message}.`, {
    hint: "Check that the agent's data folder is on a writable disk with free space; the agent needs it to record predictions.",
    location: { file },
  });
}
