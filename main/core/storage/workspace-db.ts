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
  // 2: experiment tracking (main/core/tracking), MLflow's data model. Runs live only here, not
  //    in git. Metric points are stored in columnar blocks (see tracking/metric-blocks.ts):
  //    metric_series holds one row per (run, key) with its latest point and where its blocks
  //    end, and whether its points were logged in step order (then reading need not sort);
  //    a NaN latest value is NULL (SQLite stores NaN as NULL).
  `CREATE TABLE experiments (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL,
     lifecycle TEXT NOT NULL DEFAULT 'active' CHECK (lifecycle IN ('active', 'deleted'))
   ) STRICT;
   INSERT INTO experiments (id, name, created_at) VALUES (0, 'Default', CAST(unixepoch('subsec') * 1000 AS INTEGER));
   CREATE TABLE experiment_tags (
     experiment INTEGER NOT NULL REFERENCES experiments (id),
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (experiment, key)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE runs (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     experiment INTEGER NOT NULL REFERENCES experiments (id),
     name TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED')),
     start_time INTEGER NOT NULL,
     end_time INTEGER,
     lifecycle TEXT NOT NULL DEFAULT 'active' CHECK (lifecycle IN ('active', 'deleted')),
     user TEXT NOT NULL,
     git_commit TEXT,
     environment TEXT,
     owner_pid INTEGER,
     owner_host TEXT
   ) STRICT;
   CREATE INDEX runs_by_experiment ON runs (experiment, start_time);
   CREATE INDEX runs_running ON runs (status) WHERE status = 'RUNNING';
   CREATE TABLE params (
     run INTEGER NOT NULL REFERENCES runs (seq),
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (run, key)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX params_by_value ON params (key, value);
   CREATE TABLE tags (
     run INTEGER NOT NULL REFERENCES runs (seq),
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (run, key)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX tags_by_value ON tags (key, value);
   CREATE TABLE run_inputs (
     run INTEGER NOT NULL REFERENCES runs (seq),
     name TEXT NOT NULL,
     version INTEGER,
     content_hash TEXT NOT NULL,
     PRIMARY KEY (run, name, content_hash)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE artifacts (
     run INTEGER NOT NULL REFERENCES runs (seq),
     path TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     PRIMARY KEY (run, path)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE metric_series (
     id INTEGER PRIMARY KEY,
     run INTEGER NOT NULL REFERENCES runs (seq),
     key TEXT NOT NULL,
     value REAL,
     step INTEGER NOT NULL,
     timestamp INTEGER NOT NULL,
     points INTEGER NOT NULL,
     next_block INTEGER NOT NULL,
     tail_first INTEGER NOT NULL,
     tail_points INTEGER NOT NULL,
     in_order INTEGER NOT NULL,
     UNIQUE (run, key)
   ) STRICT;
   CREATE INDEX metric_series_by_value ON metric_series (key, value);
   CREATE TABLE metric_blocks (
     series INTEGER NOT NULL REFERENCES metric_series (id),
     seq INTEGER NOT NULL,
     points INTEGER NOT NULL,
     data BLOB NOT NULL,
     PRIMARY KEY (series, seq)
   ) STRICT`,
  // 3: deployments from this workspace (main/core/deploy): one row per deployment, its events in
  //    order, and the agents' metrics kept over time for the Monitoring page. The partial unique
  //    index is what refuses a second deploy of one model to one target while the first is
  //    under way, across processes (the CLI beside a running app).
  `CREATE TABLE deployments (
     id TEXT PRIMARY KEY,
     model TEXT NOT NULL,
     version INTEGER NOT NULL,
     ref TEXT NOT NULL,
     target TEXT NOT NULL,
     target_url TEXT NOT NULL,
     strategy TEXT NOT NULL CHECK (strategy IN ('replace', 'canary', 'ab', 'shadow')),
     spec TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('deploying', 'rolling-out', 'succeeded', 'rolled-back', 'failed')),
     by_user TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     ended_at INTEGER,
     gate TEXT NOT NULL,
     override_reason TEXT,
     bundle_sha256 TEXT,
     previous_version TEXT,
     rollout_id TEXT,
     outcome TEXT NOT NULL,
     owner_pid INTEGER,
     owner_host TEXT
   ) STRICT;
   CREATE INDEX deployments_by_start ON deployments (started_at);
   CREATE UNIQUE INDEX deployments_one_under_way ON deployments (target, model) WHERE state IN ('deploying', 'rolling-out');
   CREATE TABLE deployment_events (
     deployment TEXT NOT NULL REFERENCES deployments (id),
     seq INTEGER NOT NULL,
     at INTEGER NOT NULL,
     kind TEXT NOT NULL,
     message TEXT NOT NULL,
     PRIMARY KEY (deployment, seq)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE monitoring_points (
     target TEXT NOT NULL,
     model TEXT NOT NULL,
     version TEXT NOT NULL,
     at INTEGER NOT NULL,
     seconds REAL NOT NULL,
     requests REAL NOT NULL,
     errors REAL NOT NULL,
     p50_ms REAL,
     p95_ms REAL,
     p99_ms REAL,
     PRIMARY KEY (target, model, at, version)
   ) STRICT, WITHOUT ROWID`,
  // 4: the window summaries fetched from agents (main/core/monitoring): one row per deployment
  //    and window, the open window replaced until it closes; the summary is WindowSummary's JSON.
  //    Beside them, the rest of what the agent said last (settings, reference, recorder, concept
  //    drift, the version serving), so a report can still be shown when the agent is unreachable.
  `CREATE TABLE monitoring_windows (
     target TEXT NOT NULL,
     model TEXT NOT NULL,
     window_index INTEGER NOT NULL,
     started_at INTEGER NOT NULL,
     ended_at INTEGER,
     summary TEXT NOT NULL,
     PRIMARY KEY (target, model, window_index)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX monitoring_windows_by_start ON monitoring_windows (started_at);
   CREATE TABLE monitoring_states (
     target TEXT NOT NULL,
     model TEXT NOT NULL,
     fetched_at INTEGER NOT NULL,
     state TEXT NOT NULL,
     PRIMARY KEY (target, model)
   ) STRICT, WITHOUT ROWID`,
  // 5: alerts raised by the rules over those windows (main/core/alerts): what, when, why, who
  //    acknowledged it and how its webhook delivery went. One open alert per rule, deployment and
  //    subject, across processes: the partial unique index refuses a second.
  `CREATE TABLE alerts (
     id TEXT PRIMARY KEY,
     deployment TEXT NOT NULL,
     rule TEXT NOT NULL,
     rule_kind TEXT NOT NULL,
     severity TEXT NOT NULL,
     subject TEXT NOT NULL,
     state TEXT NOT NULL,
     raised_at INTEGER NOT NULL,
     resolved_at INTEGER,
     resolution TEXT,
     acked_at INTEGER,
     acked_by TEXT,
     summary TEXT NOT NULL,
     detail TEXT NOT NULL,
     delivery TEXT
   ) STRICT;
   CREATE INDEX alerts_by_deployment ON alerts (deployment, state, raised_at);
   CREATE INDEX alerts_by_raised ON alerts (raised_at);
   CREATE UNIQUE INDEX alerts_open_once ON alerts (deployment, rule, subject) WHERE state = 'open'`,
  // 6: retraining (main/core/retraining): each run a trigger started, with its steps and links
  //    as JSON in `detail`; and every event of a model's retraining — triggers (also those the
  //    policy turned away, with `run` null), approvals, steps, outcomes — in order (the timeline).
  `CREATE TABLE retrain_runs (
     id TEXT PRIMARY KEY,
     model TEXT NOT NULL,
     trigger TEXT NOT NULL,
     state TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     ended_at INTEGER,
     detail TEXT NOT NULL
   ) STRICT;
   CREATE INDEX retrain_runs_by_model ON retrain_runs (model, started_at);
   CREATE TABLE retrain_events (
     seq INTEGER PRIMARY KEY,
     model TEXT NOT NULL,
     run TEXT REFERENCES retrain_runs (id),
     at INTEGER NOT NULL,
     kind TEXT NOT NULL,
     message TEXT NOT NULL,
     detail TEXT NOT NULL
   ) STRICT;
   CREATE INDEX retrain_events_by_model ON retrain_events (model, at, seq)`,
];

/**
 * Pages of 16 KiB rather than SQLite's 4 KiB: metric blocks are blobs of tens of KiB, and
 * fewer, larger overflow pages read faster. Only a new, empty file takes it (before its first
 * table and before WAL); an existing database keeps the page size it was made with.
 */
const PAGE_SIZE = 16_384;

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
      db.exec(`PRAGMA page_size = ${PAGE_SIZE}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;`);
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
