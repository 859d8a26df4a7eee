import { z } from 'zod';
import { failure } from '../../errors.ts';
import { describeValue, parseOptions, parseSavedState, unreadable } from './saved-state.ts';

/**
 * ADWIN, adaptive windowing (Bifet & Gavaldà, 2007), as river's `drift.ADWIN` runs it: a window
 * of recent values kept as an exponential histogram (rows of at most `maxBuckets` buckets, row i
 * holding buckets of 2^i values), cut where the means of the older and newer parts differ by
 * more than the Hoeffding-style bound ε(δ). Every `clock` updates it tries the cuts and drops
 * the oldest buckets while a cut holds; `update` returns true when it did. As river does, the
 * update after a detection starts a fresh window.
 *
 * Cost: memory O(maxBuckets · log W); an update O(log W) (bucket merges), a check every `clock`
 * updates O(maxBuckets · log W) per cut tried. The state (`toJSON`, `Adwin.from`) is the
 * histogram itself, so a restored detector gives the same detections as one never stopped.
 */
const AdwinSettings = z.strictObject({
  /** Confidence: a cut is reported when its chance under no change is below delta (river: 0.002). */
  delta: z.number().gt(0).lt(1),
  /** Check for a change every this many values (river: 32). */
  clock: z.number().int().positive(),
  /** Buckets of each size before two are merged (river: 5). */
  maxBuckets: z.number().int().min(2).max(64),
  /** The smallest sub-window a cut may leave on either side (river: 5). */
  minWindowLength: z.number().int().positive(),
  /** No check until the window holds more than this many values (river: 10). */
  gracePeriod: z.number().int().nonnegative(),
});
type AdwinSettings = z.infer<typeof AdwinSettings>;
export type AdwinOptions = Partial<AdwinSettings>;
const RIVER_DEFAULTS: AdwinSettings = { delta: 0.002, clock: 32, maxBuckets: 5, minWindowLength: 5, gracePeriod: 10 };

const finite = z.number().finite();
export const AdwinState = z.strictObject({
  kind: z.literal('adwin'),
  schemaVersion: z.literal(1),
  options: AdwinSettings,
  /** rows[i]: the buckets of 2^i values each, oldest first: their sums and variances (Σ(x − mean)²). */
  rows: z.array(z.strictObject({ totals: z.array(finite), variances: z.array(z.number().nonnegative().finite()) })).min(1),
  total: finite,
  variance: finite,
  width: z.number().int().nonnegative(),
  tick: z.number().int().nonnegative(),
  detections: z.number().int().nonnegative(),
  driftDetected: z.boolean(),
});
export type AdwinState = z.infer<typeof AdwinState>;

/** One row of the histogram: up to maxBuckets + 1 buckets, each 2^row values. */
interface Row {
  totals: number[];
  variances: number[];
}

export class Adwin {
  readonly #options: AdwinSettings;
  #rows: Row[] = [{ totals: [], variances: [] }];
  #total = 0;
  #variance = 0;
  #width = 0;
  #tick = 0;
  #detections = 0;
  #driftDetected = false;

  constructor(options: AdwinOptions = {}) {
    this.#options = settingsOf(options);
  }

  /** Values in the window now. */
  get width(): number {
    return this.#width;
  }

  /** The mean of the window (0 when it is empty): for a 0/1 error stream, the error rate. */
  get estimation(): number {
    return this.#width === 0 ? 0 : this.#total / this.#width;
  }

  /** The variance of the values in the window. */
  get variance(): number {
    return this.#width === 0 ? 0 : this.#variance / this.#width;
  }

  /** Changes detected since the window last started afresh. */
  get detections(): number {
    return this.#detections;
  }

  /** Adds one value; true when this value revealed a change (the window was cut). */
  update(value: number): boolean {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw failure('INVALID_INPUT', `ADWIN takes one finite number per observation (an error, 0/1 for wrong/right, or a loss); it got ${describeValue(value)}.`, {
        hint: 'Leave out rows whose error could not be computed rather than passing NaN or Infinity.',
      });
    }
    if (this.#driftDetected) this.#reset();
    this.#insert(value);
    this.#driftDetected = this.#detectChange();
    return this.#driftDetected;
  }

  toJSON(): AdwinState {
    return {
      kind: 'adwin',
      schemaVersion: 1,
      options: { ...this.#options },
      rows: this.#rows.map((row) => ({ totals: [...row.totals], variances: [...row.variances] })),
      total: this.#total,
      variance: this.#variance,
      width: this.#width,
      tick: this.#tick,
      detections: this.#detections,
      driftDetected: this.#driftDetected,
    };
  }

  /** A detector that continues exactly where `state` (from `toJSON`) left off. */
  static from(state: unknown): Adwin {
    const saved = parseSavedState(AdwinState, state, 'ADWIN state', RESTART_HINT);
    let width = 0;
    saved.rows.forEach((row, i) => {
      if (row.totals.length !== row.variances.length || row.totals.length > saved.options.maxBuckets) {
        throw unreadable('ADWIN state', `rows.${i}`, `a row holds ${row.totals.length} sums and ${row.variances.length} variances, at most ${saved.options.maxBuckets} of each`, RESTART_HINT);
      }
      width += row.totals.length * 2 ** i;
    });
    if (width !== saved.width) throw unreadable('ADWIN state', 'width', `the buckets hold ${width} values, not ${saved.width}`, RESTART_HINT);
    const adwin = new Adwin(saved.options);
    adwin.#rows = saved.rows.map((row) => ({ totals: [...row.totals], variances: [...row.variances] }));
    adwin.#total = saved.total;
    adwin.#variance = saved.variance;
    adwin.#width = saved.width;
    adwin.#tick = saved.tick;
    adwin.#detections = saved.detections;
    adwin.#driftDetected = saved.driftDetected;
    return adwin;
  }

  #reset(): void {
    this.#rows = [{ totals: [], variances: [] }];
    this.#total = 0;
    this.#variance = 0;
    this.#width = 0;
    this.#tick = 0;
    this.#detections = 0;
    this.#driftDetected = false;
  }

  #insert(value: number): void {
    const first = this.#rows[0]!;
    first.totals.push(value);
    first.variances.push(0);
    this.#width += 1;
    if (this.#width > 1) {
      const gap = value - this.#total / (this.#width - 1);
      this.#variance += ((this.#width - 1) * gap * gap) / this.#width;
    }
    this.#total += value;
    this.#compress();
  }

  /** Merges the two oldest buckets of a full row into one of the next row, as far up as needed. */
  #compress(): void {
    const { maxBuckets } = this.#options;
    for (let i = 0; i < this.#rows.length; i++) {
      const row = this.#rows[i]!;
      if (row.totals.length !== maxBuckets + 1) break;
      if (i + 1 === this.#rows.length) this.#rows.push({ totals: [], variances: [] });
      const next = this.#rows[i + 1]!;
      const size = 2 ** i;
      const [t1, t2] = row.totals as [number, number];
      const [v1, v2] = row.variances as [number, number];
      const gap = t1 / size - t2 / size;
      next.totals.push(t1 + t2);
      next.variances.push(v1 + v2 + (size * size * gap * gap) / (size + size));
      row.totals.splice(0, 2);
      row.variances.splice(0, 2);
      if (next.totals.length <= maxBuckets) break;
    }
  }

  /** Drops the oldest bucket; returns how many values it held. */
  #dropOldest(): number {
    const last = this.#rows.length - 1;
    const row = this.#rows[last]!;
    const size = 2 ** last;
    const sum = row.totals[0]!;
    const mean = sum / size;
    this.#width -= size;
    this.#total -= sum;
    const windowMean = this.#total / this.#width;
    this.#variance -= row.variances[0]! + (size * this.#width * (mean - windowMean) * (mean - windowMean)) / (size + this.#width);
    row.totals.shift();
    row.variances.shift();
    if (row.totals.length === 0) this.#rows.pop();
    return size;
  }

  /**
   * river's `_detect_change`: walk the cuts from the oldest bucket to the newest; at the first
   * cut whose means differ by more than ε, drop the oldest bucket and start over. Like river it
   * does not try the cut after the last bucket of each row.
   */
  #detectChange(): boolean {
    const { clock, gracePeriod, minWindowLength } = this.#options;
    let changed = false;
    this.#tick += 1;
    if (this.#tick % clock !== 0 || this.#width <= gracePeriod) return false;
    let cutting = true;
    while (cutting) {
      cutting = false;
      let olderCount = 0;
      let olderSum = 0;
      let newerCount = this.#width;
      let newerSum = this.#total;
      scan: for (let i = this.#rows.length - 1; i >= 0; i--) {
        const row = this.#rows[i]!;
        const size = 2 ** i;
        for (let k = 0; k < row.totals.length - 1; k++) {
          olderCount += size;
          newerCount -= size;
          olderSum += row.totals[k]!;
          newerSum -= row.totals[k]!;
          const meanGap = olderSum / olderCount - newerSum / newerCount;
          if (olderCount >= minWindowLength && newerCount >= minWindowLength && this.#exceedsBound(olderCount, newerCount, meanGap)) {
            cutting = true;
            changed = true;
            if (this.#width > 0) this.#dropOldest();
            break scan;
          }
        }
      }
    }
    if (changed) this.#detections += 1;
    return changed;
  }

  #exceedsBound(olderCount: number, newerCount: number, meanGap: number): boolean {
    const { delta, minWindowLength } = this.#options;
    const deltaPrime = Math.log((2 * Math.log(this.#width)) / delta);
    const reciprocal = 1 / (olderCount - minWindowLength + 1) + 1 / (newerCount - minWindowLength + 1);
    const epsilon = Math.sqrt(2 * reciprocal * (this.#variance / this.#width) * deltaPrime) + (2 / 3) * deltaPrime * reciprocal;
    return Math.abs(meanGap) > epsilon;
  }
}

const RESTART_HINT = 'Start a fresh ADWIN detector: its window fills again from the next observations.';

function settingsOf(options: AdwinOptions): AdwinSettings {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return parseOptions(AdwinSettings, { ...RIVER_DEFAULTS, ...given }, 'ADWIN', 'river defaults: delta 0.002 (between 0 and 1), clock 32, maxBuckets 5, minWindowLength 5, gracePeriod 10 (whole numbers).');
}
