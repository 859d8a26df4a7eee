import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { decodeBlockInto, emptyColumns, encodeBlock, type MetricColumns } from './metric-blocks.ts';

/**
 * A run's metric points, per (run, key), in columnar blocks (metric-blocks.ts) in the
 * `metric_blocks` table; `metric_series` holds one row per (run, key): its latest point (what
 * search and summaries read), how many points it has, and where its tail begins.
 *
 * Appending writes each batch's new points as a small block of their own, so a point is not
 * rewritten at every batch. The blocks at the end that are not yet full (the tail) are merged
 * once they are 32 or hold a full block's worth: full blocks of BLOCK_POINTS come out, the rest
 * stays as a one-block tail. Every point is so written about two to three times in all, and a
 * series is read as few large blocks. Callers run `append` inside their write transaction.
 */
export const BLOCK_POINTS = 4096;
const TAIL_BLOCKS = 32;

interface SeriesRow {
  id: number;
  step: number;
  timestamp: number;
  points: number;
  next_block: number;
  tail_first: number;
  tail_points: number;
  in_order: number;
}

export class MetricLog {
  readonly #series: StatementSync;
  readonly #newSeries: StatementSync;
  readonly #updateSeries: StatementSync;
  readonly #insertBlock: StatementSync;
  readonly #tailBlocks: StatementSync;
  readonly #dropTail: StatementSync;
  readonly #allBlocks: StatementSync;
  #scratch: WeakRef<MetricColumns> | null = null;

  constructor(sql: DatabaseSync) {
    const columns = 'id, step, timestamp, points, next_block, tail_first, tail_points, in_order';
    this.#series = sql.prepare(`SELECT ${columns} FROM metric_series WHERE run = ? AND key = ?`);
    this.#newSeries = sql.prepare(
      `INSERT INTO metric_series (run, key, value, step, timestamp, points, next_block, tail_first, tail_points, in_order)
       VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, 1) RETURNING ${columns}`,
    );
    this.#updateSeries = sql.prepare(
      `UPDATE metric_series SET points = ?, next_block = ?, tail_first = ?, tail_points = ?, in_order = ?,
         value = iif(?6, ?7, value), step = iif(?6, ?8, step), timestamp = iif(?6, ?9, timestamp)
       WHERE id = ?10`,
    );
    this.#insertBlock = sql.prepare('INSERT INTO metric_blocks (series, seq, points, data) VALUES (?, ?, ?, ?)');
    this.#tailBlocks = sql.prepare('SELECT data FROM metric_blocks WHERE series = ? AND seq >= ? ORDER BY seq');
    this.#dropTail = sql.prepare('DELETE FROM metric_blocks WHERE series = ? AND seq >= ?');
    this.#allBlocks = sql.prepare('SELECT points, data FROM metric_blocks WHERE series = ? ORDER BY seq');
    this.#allBlocks.setReturnArrays(true);
  }

  /** Append one key's points (in the order logged) to a run's series. Inside a write transaction. */
  append(run: number, key: string, points: MetricColumns): void {
    const n = points.values.length;
    if (n === 0) return;
    const latest = latestIndex(points);
    const existing = this.#series.get(run, key) as unknown as SeriesRow | undefined;
    const series = existing ?? (this.#newSeries.get(run, key, points.values[latest]!, points.steps[latest]!, points.timestamps[latest]!) as unknown as SeriesRow);
    // In step order so far, the last point logged is the latest one: these must follow it, and each other.
    const inOrder = series.in_order === 1 && isSorted(points) && (!existing || !before(points.steps[0]!, points.timestamps[0]!, series.step, series.timestamp)) ? 1 : 0;
    let { next_block: nextBlock, tail_first: tailFirst, tail_points: tailPoints } = series;
    if (tailPoints + n >= BLOCK_POINTS || nextBlock - tailFirst + 1 >= TAIL_BLOCKS) {
      const merged = this.#withTail(series, points);
      this.#dropTail.run(series.id, tailFirst);
      let seq = tailFirst;
      let from = 0;
      for (; merged.values.length - from >= BLOCK_POINTS; from += BLOCK_POINTS) this.#insertBlock.run(series.id, seq++, BLOCK_POINTS, encodeBlock(merged, from, from + BLOCK_POINTS));
      tailFirst = seq;
      tailPoints = merged.values.length - from;
      if (tailPoints > 0) this.#insertBlock.run(series.id, seq++, tailPoints, encodeBlock(merged, from));
      nextBlock = seq;
    } else {
      this.#insertBlock.run(series.id, nextBlock, n, encodeBlock(points));
      nextBlock += 1;
      tailPoints += n;
    }
    const step = points.steps[latest]!;
    const timestamp = points.timestamps[latest]!;
    const newer = step > series.step || (step === series.step && timestamp >= series.timestamp) ? 1 : 0;
    this.#updateSeries.run(series.points + n, nextBlock, tailFirst, tailPoints, inOrder, newer, points.values[latest]!, step, timestamp, series.id);
  }

  /**
   * Every point of one series, sorted by step then timestamp (ties in the order logged); null
   * when there is none. `allocate` gives the arrays to decode into (default: new ones).
   */
  read(run: number, key: string, allocate: (length: number) => MetricColumns = emptyColumns): MetricColumns | null {
    const series = this.#series.get(run, key) as unknown as SeriesRow | undefined;
    if (!series) return null;
    const blocks = this.#allBlocks.all(series.id) as unknown as [number, Uint8Array][];
    let total = 0;
    for (const [points] of blocks) total += points;
    const columns = allocate(total);
    let at = 0;
    for (const [, data] of blocks) at += decodeBlockInto(data, columns, at);
    return series.in_order === 1 ? columns : sortedByStep(columns);
  }

  /**
   * The same, decoded into arrays kept for the next read (while the garbage collector lets
   * them be): valid only until the next call, for reads whose points never leave the store
   * (downsampling). A chart refreshed live then does not make and first-touch tens of
   * megabytes on every refresh.
   */
  readIntoScratch(run: number, key: string): MetricColumns | null {
    return this.read(run, key, (length) => {
      let scratch = this.#scratch?.deref();
      if (!scratch || scratch.values.length < length) this.#scratch = new WeakRef((scratch = emptyColumns(Math.max(length, 1024))));
      return { steps: scratch.steps.subarray(0, length), values: scratch.values.subarray(0, length), timestamps: scratch.timestamps.subarray(0, length) };
    });
  }

  #withTail(series: SeriesRow, points: MetricColumns): MetricColumns {
    const tail = this.#tailBlocks.all(series.id, series.tail_first) as unknown as { data: Uint8Array }[];
    const merged = emptyColumns(series.tail_points + points.values.length);
    let at = 0;
    for (const { data } of tail) at += decodeBlockInto(data, merged, at);
    if (at !== series.tail_points) throw new Error(`metric series ${series.id}: its tail holds ${at} points, not the ${series.tail_points} recorded`);
    merged.steps.set(points.steps, at);
    merged.values.set(points.values, at);
    merged.timestamps.set(points.timestamps, at);
    return merged;
  }
}

/** The point MLflow calls latest: the greatest step, then timestamp; of equals, the last logged. */
function latestIndex({ steps, timestamps }: MetricColumns): number {
  let best = 0;
  for (let i = 1; i < steps.length; i += 1) {
    if (steps[i]! > steps[best]! || (steps[i] === steps[best] && timestamps[i]! >= timestamps[best]!)) best = i;
  }
  return best;
}

function before(step: number, timestamp: number, thanStep: number, thanTimestamp: number): boolean {
  return step < thanStep || (step === thanStep && timestamp < thanTimestamp);
}

function isSorted({ steps, timestamps }: MetricColumns): boolean {
  for (let i = 1; i < steps.length; i += 1) if (before(steps[i]!, timestamps[i]!, steps[i - 1]!, timestamps[i - 1]!)) return false;
  return true;
}

function sortedByStep(columns: MetricColumns): MetricColumns {
  const { steps, timestamps } = columns;
  if (isSorted(columns)) return columns;
  const order = Array.from({ length: steps.length }, (_, i) => i);
  order.sort((a, b) => steps[a]! - steps[b]! || timestamps[a]! - timestamps[b]! || a - b);
  const out = emptyColumns(steps.length);
  order.forEach((from, to) => {
    out.steps[to] = steps[from]!;
    out.values[to] = columns.values[from]!;
    out.timestamps[to] = timestamps[from]!;
  });
  return out;
}
