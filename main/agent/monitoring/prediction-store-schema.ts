/**
 * The prediction store's tables (monitoring/predictions.db in the agent's data folder). One row per
 * predicted row of a request; values the model saw and answered are JSON text, so a label "3" and
 * a label 3 stay apart. `expired` remembers the ids that retention deleted, so a label that comes
 * too late is told "expired" rather than "unknown". `counters` keeps what was recorded, labelled
 * and dropped across restarts.
 */
export const STORE_SCHEMA_VERSION = 1;

export const STORE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS predictions (
    seq INTEGER PRIMARY KEY,
    model TEXT NOT NULL,
    request_id TEXT NOT NULL,
    row INTEGER NOT NULL,
    version TEXT NOT NULL,
    at INTEGER NOT NULL,
    window INTEGER NOT NULL,
    inputs TEXT NOT NULL,
    predicted TEXT NOT NULL,
    probabilities TEXT,
    latency_ms REAL NOT NULL,
    label TEXT,
    label_at INTEGER
  ) STRICT;
  CREATE UNIQUE INDEX IF NOT EXISTS predictions_by_request ON predictions (model, request_id, row);
  CREATE INDEX IF NOT EXISTS predictions_by_window ON predictions (model, window);
  CREATE INDEX IF NOT EXISTS predictions_by_age ON predictions (at);
  CREATE TABLE IF NOT EXISTS expired (
    seq INTEGER PRIMARY KEY,
    model TEXT NOT NULL,
    request_id TEXT NOT NULL,
    UNIQUE (model, request_id)
  ) STRICT;
  CREATE TABLE IF NOT EXISTS counters (
    model TEXT NOT NULL,
    name TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (model, name)
  ) STRICT, WITHOUT ROWID;
`;

/** Expired ids remembered (the oldest forgotten first): a label later than this many expiries is "unknown". */
export const EXPIRED_IDS_KEPT = 1_000_000;

/** SQLite's primary result codes that say the file is not a healthy database. */
export const DAMAGED_CODES: ReadonlySet<number> = new Set([11 /* CORRUPT */, 26 /* NOTADB */]);
/** SQLITE_FULL: the disk (or a quota) has no room. */
export const FULL_CODE = 13;

export function sqliteCode(error: unknown): number {
  return ((error as { errcode?: number }).errcode ?? 0) & 0xff;
}
