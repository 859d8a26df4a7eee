/**
 * Count, min, max, mean and sample standard deviation in one pass (Welford's method: each
 * value moves the mean by its share of the difference and grows the sum of squared
 * differences from the mean, which stays accurate where the naive sum-of-squares formula
 * cancels catastrophically).
 */
export interface RunningStatsState {
  count: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

export class RunningStats {
  count = 0;
  mean = 0;
  /** Sum of squared differences from the current mean. */
  m2 = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  add(value: number): void {
    const count = ++this.count;
    const delta = value - this.mean;
    this.mean += delta / count;
    this.m2 += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /**
   * Adds the statistics of a later part of the stream (Chan, Golub and LeVeque's pairwise
   * update). The same parts merged in the same order always give the same bits.
   */
  merge(part: RunningStatsState): void {
    if (part.count === 0) return;
    if (this.count === 0) {
      Object.assign(this, part);
      return;
    }
    const count = this.count + part.count;
    const delta = part.mean - this.mean;
    this.mean += (delta * part.count) / count;
    this.m2 += part.m2 + (delta * delta * this.count * part.count) / count;
    this.count = count;
    if (part.min < this.min) this.min = part.min;
    if (part.max > this.max) this.max = part.max;
  }

  state(): RunningStatsState {
    return { count: this.count, mean: this.mean, m2: this.m2, min: this.min, max: this.max };
  }

  /** Sample standard deviation (n - 1); null below two values. */
  get std(): number | null {
    return this.count < 2 ? null : Math.sqrt(this.m2 / (this.count - 1));
  }
}
