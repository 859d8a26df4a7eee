import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { RecorderStats } from '../../../shared/contract/monitoring.ts';
import { failure, LatheFailure } from '../../core/errors.ts';
import { openStoreFile } from './open-store-file.ts';
import { DAMAGED_CODES, EXPIRED_IDS_KEPT, FULL_CODE, sqliteCode } from './prediction-store-schema.ts';
import { estimateBytes, toStored, type PredictionRow, type StoredPrediction } from './stored-prediction.ts';

export type { StoredPrediction } from './stored-prediction.ts';

export type StoreLabel = string | number;
export type DropReason = 'store-full' | 'disk-error' | 'queue-full';
export type StoreStats = Omit<RecorderStats, 'sampledOut'> & {
  /** Damaged files moved aside at start, since this agent's store was made. */
  movedAside: number;
};

export interface PredictionStoreOptions {
  maxBytes: number;
  retentionMs: number;
  now?: () => number;
  /** Told when a damaged file is moved aside at start. */
  warn?: (text: string) => void;
}

const DAY_MS = 86_400_000;
/** When the cap is reached, prune down to this share of it, so the next appends have room. */
const PRUNE_TO = 0.9;
const ALL = '*';
const INLINE_PRUNE_MS = 1000;
const MEASURE_EVERY = 64;
/** A flush writes what is queued at most this long after it was appended… */
export const FLUSH_MS = 25;
/** …or at once when this many rows wait. */
export const FLUSH_ROWS = 256;
/** Rows waiting beyond this (the disk stalls) are dropped as queue-full rather than held in memory. */
export const MAX_QUEUED_ROWS = 20_000;


/**
 * Every recorded prediction, in a bounded SQLite file in the agent's data folder
 * (monitoring/predictions.db), and the labels that arrive for them however late.
 *
 * Durability: WAL with synchronous = NORMAL; what a flush committed survives a killed process (a
 * power cut may lose the commits since the WAL's last sync; a kill does not). `append` queues and
 * a flush writes the queue in one transaction at most FLUSH_MS later (or at FLUSH_ROWS rows): one
 * transaction per request cost ~50 µs at the median and up to 15 ms at p99 on the serving thread
 * (a busy 2-core machine), the queued append 23 µs a request on average, 13 µs at p99
 * (`npm run bench:monitor` prints both). So a kill loses the rows
 * appended in the last FLUSH_MS (at 1,000 req/s about 25 requests); `close()` flushes, and every
 * read (`label`, `windowRows`, `lastWindow`, `stats`) flushes first, so what was answered is seen.
 *
 * Serving never waits on it failing: `append` never throws. A full disk, a broken file or the size
 * cap drop the records, counted by reason, with `problem` set; the next append tries again, so it
 * recovers once the disk has room. Retention (age, then size, oldest first) is `prune`.
 */
export class PredictionStore {
  readonly file: string;
  readonly #db: DatabaseSync;
  readonly #now: () => number;
  #maxBytes: number;
  #retentionMs: number;
  /** Bytes the live rows take, estimated between exact measures (`prune` measures). */
  #usedBytes = 0;
  #problem: string | null = null;
  #movedAside: number;
  #prunedAt = Number.NEGATIVE_INFINITY;
  #pruneFreed = true;
  #appendsSinceMeasure = 0;
  readonly #queued: StoredPrediction[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #dropped = new Map<string, Map<DropReason, number>>();
  readonly #statements: Record<'insert' | 'count' | 'byRequest' | 'anyModel' | 'expired' | 'setLabel' | 'window' | 'labelled' | 'lastWindow' | 'oldest' | 'oldestOf' | 'counter' | 'counters', StatementSync>;

  private constructor(file: string, db: DatabaseSync, options: PredictionStoreOptions, movedAside: number) {
    this.file = file;
    this.#db = db;
    this.#now = options.now ?? Date.now;
    this.#maxBytes = options.maxBytes;
    this.#retentionMs = options.retentionMs;
    this.#movedAside = movedAside;
    this.#statements = {
      insert: db.prepare(
        'INSERT OR IGNORE INTO predictions (model, request_id, row, version, at, window, inputs, predicted, probabilities, latency_ms, label, label_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      count: db.prepare('INSERT INTO counters (model, name, value) VALUES (?, ?, ?) ON CONFLICT (model, name) DO UPDATE SET value = value + excluded.value'),
      byRequest: db.prepare('SELECT * FROM predictions WHERE model = ? AND request_id = ? ORDER BY row'),
      anyModel: db.prepare('SELECT model FROM predictions WHERE request_id = ? LIMIT 1'),
      expired: db.prepare('SELECT 1 AS hit FROM expired WHERE model = ? AND request_id = ?'),
      setLabel: db.prepare('UPDATE predictions SET label = ?, label_at = ? WHERE model = ? AND request_id = ? AND row = ? AND label IS NULL'),
      window: db.prepare('SELECT * FROM predictions WHERE model = ? AND window = ? ORDER BY seq'),
      labelled: db.prepare('SELECT * FROM predictions WHERE model = ? AND window = ? AND label IS NOT NULL ORDER BY seq'),
      lastWindow: db.prepare('SELECT window, count(*) AS rows FROM predictions WHERE model = ?1 AND window = (SELECT max(window) FROM predictions WHERE model = ?1)'),
      oldest: db.prepare('SELECT min(at) AS at FROM predictions'),
      oldestOf: db.prepare('SELECT at FROM predictions WHERE model = ? ORDER BY window, seq LIMIT 1'),
      counter: db.prepare('SELECT name, value FROM counters WHERE model = ?'),
      counters: db.prepare('SELECT name, sum(value) AS value FROM counters GROUP BY name'),
    };
    this.#usedBytes = this.#measure();
  }

  /**
   * Open (or make) the store. A file that is not a healthy database is moved aside (told through
   * `warn`, counted) and a fresh one started; only a file that cannot be opened at all is refused.
   */
  static open(file: string, options: PredictionStoreOptions): PredictionStore {
    const { db, movedAside } = openStoreFile(file, { now: options.now ?? Date.now, warn: options.warn ?? (() => {}) });
    const moved = db.prepare("SELECT value FROM counters WHERE model = '*' AND name = 'moved-aside'").get() as { value: number } | undefined;
    const store = new PredictionStore(file, db, options, (moved?.value ?? 0) + movedAside);
    if (movedAside > 0) store.#count(ALL, 'moved-aside', movedAside);
    return store;
  }

  /**
   * Queue these rows for the next flush (at most FLUSH_MS away, or at once when FLUSH_ROWS wait);
   * never throws and never waits on the disk. A queue the disk cannot keep up with drops as queue-full.
   */
  append(records: readonly StoredPrediction[]): void {
    if (records.length === 0) return;
    if (!this.#db.isOpen || this.#queued.length + records.length > MAX_QUEUED_ROWS) {
      this.#problem = this.#db.isOpen ? `The prediction store ${this.file} is ${MAX_QUEUED_ROWS} rows behind; new predictions are dropped until it catches up.` : `The prediction store ${this.file} is closed; predictions are dropped.`;
      return this.#drop(records, 'queue-full');
    }
    for (const record of records) this.#queued.push(record);
    if (this.#queued.length >= FLUSH_ROWS) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  /** Write the queued rows in one transaction, committed before it returns; never throws. Reads flush first. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#queued.length === 0 || !this.#db.isOpen) return;
    const records = this.#queued.splice(0);
    const bytes = records.reduce((sum, record) => sum + estimateBytes(record), 0);
    // The estimate drifts from SQLite's pages: measure exactly now and then, and before refusing.
    if (++this.#appendsSinceMeasure >= MEASURE_EVERY || this.#usedBytes + bytes > this.#maxBytes) this.#remeasure();
    if (this.#usedBytes + bytes > this.#maxBytes) {
      // Deleting the oldest makes room (down to 90 % of the cap, so this is rare); when that could
      // not make room last time, try again at most once a second, so a store stuck full costs little.
      if (this.#pruneFreed || this.#now() - this.#prunedAt >= INLINE_PRUNE_MS) this.#prune(bytes);
      if (this.#usedBytes + bytes > this.#maxBytes) {
        this.#problem = `The prediction store ${this.file} is at its cap (${formatBytes(this.#maxBytes)}) even after deleting the oldest records; new predictions are dropped. Raise maxStoreBytes or lower retentionDays.`;
        return this.#drop(records, 'store-full');
      }
    }
    try {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        let kept = 0;
        for (const record of records) {
          kept += this.#statements.insert.run(record.model, record.requestId, record.row, record.version, record.at, record.window, JSON.stringify(record.inputs), JSON.stringify(record.predicted), record.probabilities === null ? null : JSON.stringify(record.probabilities), record.latencyMs, record.label === null ? null : JSON.stringify(record.label), record.labelAt).changes as number;
        }
        // A client that reuses a request id: the first prediction keeps it (and its label joins that one).
        this.#countRows(kept === records.length ? records : records.slice(0, kept), 'recorded');
        this.#db.exec('COMMIT');
      } catch (error) {
        if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
      this.#usedBytes += bytes;
      this.#problem = null;
    } catch (error) {
      this.#problem = this.#describe(error, 'recording predictions');
      this.#drop(records, 'disk-error');
    }
  }

  /**
   * Set the true label of request `requestId`'s rows (one label for a one-row request, one per
   * row otherwise), committed before it returns. Refuses an unknown or expired id (NOT_FOUND), a
   * request already labelled (CONFLICT, naming when), and a count of labels that is not the rows'.
   */
  label(model: string, requestId: string, label: StoreLabel | readonly StoreLabel[], now: number): { rows: StoredPrediction[]; late: boolean } {
    this.flush();
    const rows = this.#use('reading a request', () => (this.#statements.byRequest.all(model, requestId) as PredictionRow[]).map(toStored));
    const shown = JSON.stringify(requestId.slice(0, 128));
    if (rows.length === 0) throw this.#notFound(model, requestId, shown);
    const already = rows.find((row) => row.labelAt !== null);
    if (already) {
      throw failure('CONFLICT', `Request ${shown} of model ${model} was already labelled at ${new Date(already.labelAt!).toISOString()} (${JSON.stringify(already.label)}); a label is never overwritten.`, {
        hint: 'Send each label once. If the first one was wrong, the window keeps it; correct the source of labels for the next ones.',
      });
    }
    const labels = Array.isArray(label) ? (label as readonly StoreLabel[]) : [label as StoreLabel];
    if (labels.length !== rows.length) {
      throw failure('INVALID_INPUT', `Request ${shown} of model ${model} predicted ${rows.length} ${rows.length === 1 ? 'row' : 'rows'}; ${labels.length} ${labels.length === 1 ? 'label was' : 'labels were'} sent.`, {
        hint: rows.length === 1 ? 'Send {"id": ID, "label": TRUE_LABEL}.' : `Send {"id": ID, "labels": [...]} with ${rows.length} labels, in the order of the request's rows.`,
        location: { field: Array.isArray(label) ? 'labels' : 'label' },
      });
    }
    this.#use('keeping a label', () => {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        rows.forEach((row, index) => this.#statements.setLabel.run(JSON.stringify(labels[index]), now, model, requestId, row.row));
        this.#count(model, 'labelled', rows.length);
        this.#db.exec('COMMIT');
      } catch (error) {
        if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    });
    const last = this.lastWindow(model);
    const labelled = rows.map((row, index) => ({ ...row, label: labels[index]!, labelAt: now }));
    return { rows: labelled, late: last !== null && rows[0]!.window < last.window };
  }

  windowRows(model: string, window: number): StoredPrediction[] {
    this.flush();
    return this.#use('reading a window', () => (this.#statements.window.all(model, window) as PredictionRow[]).map(toStored));
  }

  labelledRows(model: string, window: number): StoredPrediction[] {
    this.flush();
    return this.#use('reading a window', () => (this.#statements.labelled.all(model, window) as PredictionRow[]).map(toStored));
  }

  /** The newest window of `model` and its rows: where counting resumes after a restart. */
  lastWindow(model: string): { window: number; rows: number } | null {
    this.flush();
    const found = this.#use('reading the last window', () => this.#statements.lastWindow.get(model) as { window: number | null; rows: number });
    return found.window === null ? null : { window: found.window, rows: found.rows };
  }

  configure(options: { maxBytes?: number; retentionMs?: number }): void {
    if (options.maxBytes !== undefined) this.#maxBytes = options.maxBytes;
    if (options.retentionMs !== undefined) this.#retentionMs = options.retentionMs;
  }

  /**
   * Delete what retention says to: rows older than the retention, then the oldest rows while the
   * store is over its cap. Deleted request ids are remembered as expired. Never throws.
   */
  prune(): void {
    this.flush();
    this.#prune(0);
  }

  /** Retention, leaving `room` bytes free under the cap for the rows about to be written. */
  #prune(room: number): void {
    this.#prunedAt = this.#now();
    const line = Math.min(this.#maxBytes * PRUNE_TO, this.#maxBytes - room);
    this.#safely(() => {
      const cutoff = this.#now() - this.#retentionMs;
      this.#expire('WHERE at < ?', cutoff);
      this.#usedBytes = this.#measure();
      while (this.#usedBytes > line) {
        const { rows } = this.#db.prepare('SELECT count(*) AS rows FROM predictions').get() as { rows: number };
        if (rows === 0) break;
        // The oldest share that brings the store under the line, at least 1 % of it per pass.
        const share = Math.min(1, Math.max(0.01, 1 - Math.max(0, line) / this.#usedBytes));
        const until = this.#db.prepare('SELECT at FROM predictions ORDER BY at LIMIT 1 OFFSET ?').get(Math.max(0, Math.ceil(rows * share) - 1)) as { at: number };
        this.#expire('WHERE at <= ?', until.at);
        this.#usedBytes = this.#measure();
      }
      this.#pruneFreed = this.#usedBytes <= line;
      if (this.#problem?.includes('at its cap') && this.#usedBytes < this.#maxBytes) this.#problem = null;
    });
  }

  /** What was recorded, dropped and labelled (for one model, or all), the store's size and its oldest record. */
  stats(model?: string): StoreStats {
    this.flush();
    const counted = new Map<string, number>();
    this.#safely(() => {
      const rows = (model === undefined ? this.#statements.counters.all() : this.#statements.counter.all(model)) as { name: string; value: number }[];
      for (const { name, value } of rows) counted.set(name, value);
    });
    const droppedBy: Record<DropReason, number> = { 'store-full': 0, 'disk-error': 0, 'queue-full': 0 };
    for (const [key, byReason] of this.#dropped) {
      if (model !== undefined && key !== model) continue;
      for (const [reason, n] of byReason) droppedBy[reason] += n;
    }
    const oldestAt = this.#oldestAt(model);
    return {
      recorded: counted.get('recorded') ?? 0,
      dropped: droppedBy['store-full'] + droppedBy['disk-error'] + droppedBy['queue-full'],
      droppedBy,
      labelled: counted.get('labelled') ?? 0,
      storeBytes: Math.max(0, Math.round(this.#usedBytes)),
      oldestAt: oldestAt === null ? null : new Date(oldestAt).toISOString(),
      problem: this.#problem,
      movedAside: this.#movedAside,
    };
  }

  close(): void {
    if (!this.#db.isOpen) return;
    this.flush();
    this.#safely(() => this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)'));
    this.#db.close();
  }

  // ————— inside —————

  #remeasure(): void {
    this.#appendsSinceMeasure = 0;
    try {
      this.#usedBytes = this.#measure();
    } catch {
      // Keep the estimate; the append that follows says what is wrong.
    }
  }

  #oldestAt(model: string | undefined): number | null {
    try {
      const found = (model === undefined ? this.#statements.oldest.get() : this.#statements.oldestOf.get(model)) as { at: number | null } | undefined;
      return found?.at ?? null;
    } catch {
      return null;
    }
  }

  #expire(where: string, value: number): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#db.prepare(`INSERT OR IGNORE INTO expired (model, request_id) SELECT model, request_id FROM predictions ${where} AND row = 0`).run(value);
      this.#db.prepare(`DELETE FROM predictions ${where}`).run(value);
      // Expired ids take their share of the cap too: about 1 byte in 20.
      const kept = Math.max(1000, Math.min(EXPIRED_IDS_KEPT, Math.floor(this.#maxBytes / 1000)));
      this.#db.prepare('DELETE FROM expired WHERE seq <= (SELECT max(seq) FROM expired) - ?').run(kept);
      this.#db.exec('COMMIT');
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Bytes in use: the database's pages less its free ones (freed pages are reused before the file grows). */
  #measure(): number {
    const pages = this.#db.prepare('PRAGMA page_count').get() as { page_count: number };
    const free = this.#db.prepare('PRAGMA freelist_count').get() as { freelist_count: number };
    const size = this.#db.prepare('PRAGMA page_size').get() as { page_size: number };
    return (pages.page_count - free.freelist_count) * size.page_size;
  }

  #notFound(model: string, requestId: string, shown: string): LatheFailure {
    const days = Math.round((this.#retentionMs / DAY_MS) * 100) / 100;
    if (this.#statements.expired.get(model, requestId)) {
      return failure('NOT_FOUND', `Request ${shown} of model ${model} has expired: it is older than the agent keeps (${days} ${days === 1 ? 'day' : 'days'}), so its label cannot be joined.`, {
        hint: 'Send labels sooner, or keep predictions longer (retentionDays in the monitoring settings).',
      });
    }
    const other = this.#statements.anyModel.get(requestId) as { model: string } | undefined;
    if (other) {
      return failure('NOT_FOUND', `Request ${shown} was answered by model ${other.model}, not ${model}.`, { hint: `Send its feedback to /v2/models/${other.model}/feedback.` });
    }
    return failure('NOT_FOUND', `No prediction with request id ${shown} was recorded for model ${model}.`, {
      hint: 'Send the id the inference reply carried (its "id", or the X-Request-Id header). Predictions sampled out of monitoring are not recorded.',
    });
  }

  #countRows(records: readonly StoredPrediction[], name: string): void {
    const byModel = new Map<string, number>();
    for (const record of records) byModel.set(record.model, (byModel.get(record.model) ?? 0) + 1);
    for (const [model, n] of byModel) this.#count(model, name, n);
  }

  #count(model: string, name: string, n: number): void {
    this.#statements.count.run(model, name, n);
  }

  #drop(records: readonly StoredPrediction[], reason: DropReason): void {
    for (const record of records) {
      let byReason = this.#dropped.get(record.model);
      if (!byReason) this.#dropped.set(record.model, (byReason = new Map()));
      byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    }
  }

  #use<T>(doing: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof LatheFailure) throw error;
      const problem = this.#describe(error, doing);
      throw failure(DAMAGED_CODES.has(sqliteCode(error)) ? 'DATA_DAMAGED' : 'DISK_ERROR', problem, { location: { file: this.file }, hint: 'Free space on that disk or move the damaged file aside; the agent goes on serving meanwhile.' });
    }
  }

  #safely(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.#problem = this.#describe(error, 'pruning');
    }
  }

  #describe(error: unknown, doing: string): string {
    const code = sqliteCode(error);
    const message = error instanceof Error ? error.message : String(error);
    if (code === FULL_CODE || /ENOSPC|disk is full|database or disk is full/i.test(message)) return `The disk holding the prediction store ${this.file} is full (${doing}): new predictions are dropped until it has room.`;
    if (DAMAGED_CODES.has(code)) return `The prediction store ${this.file} is damaged (${doing}: ${message}); restart the agent to move it aside and start a fresh one.`;
    return `The prediction store ${this.file} failed (${doing}: ${message}).`;
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
