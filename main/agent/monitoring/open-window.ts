import type { WindowSpec } from '../../../shared/contract/monitoring.ts';

/**
 * The window predictions are being counted into now, in memory: its rows (inputs, prediction,
 * probabilities), versions, latencies and errors. A count window keeps every row it holds (it
 * closes at `rows`); a time window may see any number, so it keeps a uniform reservoir of at most
 * TIME_WINDOW_SAMPLE rows (Vitter's algorithm R), and its summary says the drift was judged on
 * that sample. After a restart the window is rebuilt from the prediction store's rows.
 */
export const TIME_WINDOW_SAMPLE = 20_000;

export interface WindowRow {
  inputs: Record<string, unknown>;
  predicted: string | number;
  probabilities: Record<string, number> | null;
  version: string;
}

export class OpenWindow {
  readonly index: number;
  readonly spec: WindowSpec;
  /** ms since the epoch: the first row (count windows) or the start of the clock period (time windows). */
  readonly startedAt: number;
  /** Time windows: when the period ends (ms); null for count windows. */
  readonly endsAt: number | null;
  /** Rows recorded into the window (also those the reservoir let go). */
  rows = 0;
  readonly versions = new Map<string, number>();
  readonly sample: WindowRow[] = [];
  readonly latencies: number[] = [];
  errors = 0;

  constructor(index: number, spec: WindowSpec, at: number) {
    this.index = index;
    this.spec = spec;
    if (spec.kind === 'time') {
      const period = spec.seconds * 1000;
      this.startedAt = Math.floor(at / period) * period;
      this.endsAt = this.startedAt + period;
    } else {
      this.startedAt = at;
      this.endsAt = null;
    }
  }

  /** How many rows the window holds in memory at most. */
  get capacity(): number {
    return this.spec.kind === 'count' ? this.spec.rows : TIME_WINDOW_SAMPLE;
  }

  /** true when the sample holds fewer rows than were recorded. */
  get sampled(): boolean {
    return this.sample.length < this.rows;
  }

  /** Whether a row recorded at `at` belongs to a later window (time windows: a later period). */
  isOver(at: number): boolean {
    return this.endsAt !== null ? at >= this.endsAt : this.rows >= this.capacity;
  }

  /** Count windows: rows still to come before it closes. */
  get room(): number {
    return this.spec.kind === 'count' ? this.spec.rows - this.rows : Number.POSITIVE_INFINITY;
  }

  add(row: WindowRow, draw: () => number): void {
    this.rows++;
    this.versions.set(row.version, (this.versions.get(row.version) ?? 0) + 1);
    if (this.sample.length < this.capacity) this.sample.push(row);
    else {
      const slot = Math.floor(draw() * this.rows);
      if (slot < this.capacity) this.sample[slot] = row;
    }
  }

  request(latencyMs: number, failed: boolean): void {
    if (failed) this.errors++;
    else if (this.latencies.length < this.capacity) this.latencies.push(latencyMs);
  }

  /** The version that answered most of the window's rows (the first such in a tie); null when empty. */
  mainVersion(): string | null {
    let best: string | null = null;
    let most = 0;
    for (const [version, rows] of this.versions) {
      if (rows > most) {
        best = version;
        most = rows;
      }
    }
    return best;
  }
}
