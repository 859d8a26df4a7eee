/**
 * Count, min, max, mean and sample standard deviation in one pass (Welford's method: each
 * value moves the mean by its share of the difference and grows the sum of squared
 * differences from the mean, which stays accurate where the naive sum-of-squares formula
 * cancels catastrophically).
 */
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

  /** Sample standard deviation (n - 1); null below two values. */
  get std(): number | null {
    return this.count < 2 ? null : Math.sqrt(this.m2 / (this.count - 1));
  }
}
