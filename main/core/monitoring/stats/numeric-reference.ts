import { cleanNumbers, distinctCounts, meanAndStd } from './clean-values.ts';
import type { NumericSketch, NumericValues } from './column-sample.ts';
import { ksStatistic } from './ks-test.ts';
import { wassersteinSorted } from './wasserstein.ts';

/**
 * A numeric reference however it came: raw values (made exact: distinct values and counts) or a
 * sketch (exact counts, or quantile points at evenly spaced levels, read as a piecewise-linear
 * quantile function). The statistics below take it against a raw, sorted current window.
 */
export interface NumericReference {
  count: number;
  missing: number;
  infinite: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  distinct: number;
  /** Distinct values ascending, their counts, and the running count below each. */
  exact: { values: Float64Array; counts: Float64Array; below: Float64Array } | null;
  /** Quantile points and their levels (ascending, 0 … 1), when `exact` is null. */
  quantiles: { values: Float64Array; levels: Float64Array } | null;
}

export function numericReference(sample: NumericValues | NumericSketch): NumericReference {
  if (sample.form === 'sketch') {
    const { count, missing, infinite, mean, std, min, max, distinct } = sample;
    const quantiles = sample.quantiles;
    return {
      count, missing, infinite, mean, std, min, max, distinct,
      exact: sample.exact ? withRunningCounts(Float64Array.from(sample.exact.values), Float64Array.from(sample.exact.counts)) : null,
      quantiles: quantiles ? { values: Float64Array.from(quantiles), levels: sample.levels ? Float64Array.from(sample.levels) : Float64Array.from(quantiles, (_, i) => i / (quantiles.length - 1)) } : null,
    };
  }
  const { sorted, missing, infinite } = cleanNumbers(sample.values);
  const { mean, std } = meanAndStd(sorted);
  const support = distinctCounts(sorted);
  const exact = withRunningCounts(support.values, support.counts);
  return { count: sorted.length, missing, infinite, mean, std, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0, distinct: exact.values.length, exact, quantiles: null };
}

function withRunningCounts(values: Float64Array, counts: Float64Array): { values: Float64Array; counts: Float64Array; below: Float64Array } {
  const below = new Float64Array(values.length);
  for (let i = 1; i < values.length; i += 1) below[i] = below[i - 1]! + counts[i - 1]!;
  return { values, counts, below };
}

/** How many reference values lie below x (strictly): exact, or read off the quantile function. */
export function countBelow(reference: NumericReference, x: number): number {
  if (reference.exact) {
    const { values, counts, below } = reference.exact;
    let low = 0;
    let high = values.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (values[middle]! < x) low = middle + 1;
      else high = middle;
    }
    return low === values.length ? below[low - 1]! + counts[low - 1]! : below[low]!;
  }
  return levelAt(reference.quantiles!, x) * reference.count;
}

/** The level t at which the piecewise-linear quantile function first reaches x. */
function levelAt(quantiles: { values: Float64Array; levels: Float64Array }, x: number): number {
  const { values, levels } = quantiles;
  const last = values.length - 1;
  if (x <= values[0]!) return 0;
  if (x > values[last]!) return 1;
  let low = 0;
  let high = last;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (values[middle]! < x) low = middle;
    else high = middle;
  }
  const below = values[low]!;
  const above = values[high]!;
  return levels[low]! + (levels[high]! - levels[low]!) * (above === below ? 1 : (x - below) / (above - below));
}

/** x + w·(y − x), written so that x and y near ±1e308 do not overflow on the way. */
function between(x: number, y: number, w: number): number {
  return x * (1 - w) + y * w;
}

/** The KS statistic D between the reference and a sorted window. */
export function ksAgainst(reference: NumericReference, current: Float64Array): number {
  if (reference.exact) return ksStatistic(reference.exact.values, reference.exact.counts, current);
  const quantiles = reference.quantiles!;
  const { values, levels } = quantiles;
  const n = current.length;
  let d = 0;
  // At each window value, just below and at it; the reference CDF is continuous between knots.
  for (let j = 0; j < n; ) {
    const x = current[j]!;
    let k = j;
    while (k < n && current[k] === x) k += 1;
    const level = levelAt(quantiles, x);
    d = Math.max(d, Math.abs(level - j / n), Math.abs(level - k / n));
    j = k;
  }
  // At each knot of the reference, where its CDF bends.
  let j = 0;
  for (let i = 0; i < values.length; i += 1) {
    while (j < n && current[j]! <= values[i]!) j += 1;
    d = Math.max(d, Math.abs(levels[i]! - j / n));
  }
  return Math.min(1, d);
}

/**
 * The first Wasserstein distance between the reference and a sorted window: exactly as scipy
 * from exact counts; from quantiles, ∫₀¹ |Q_ref(t) − Q_window(t)| dt with Q_ref linear between
 * knots and Q_window a step, integrated exactly piece by piece.
 */
export function wassersteinAgainst(reference: NumericReference, current: Float64Array): number {
  if (reference.exact) return wassersteinSorted(reference.exact.values, reference.exact.counts, current, null);
  const { values, levels } = reference.quantiles!;
  const last = values.length - 1;
  const n = current.length;
  let area = 0;
  let carry = 0;
  let i = 0; // knot segment [levels[i], levels[i + 1]]
  let j = 0; // window step (j/n, (j+1)/n]
  let t = 0;
  while (t < 1 && i < last && j < n) {
    const segmentEnd = levels[i + 1]!;
    const stepEnd = (j + 1) / n;
    const end = Math.min(segmentEnd, stepEnd);
    const a = between(values[i]!, values[i + 1]!, (t - levels[i]!) / (levels[i + 1]! - levels[i]!)) - current[j]!;
    const b = between(values[i]!, values[i + 1]!, (end - levels[i]!) / (levels[i + 1]! - levels[i]!)) - current[j]!;
    const width = end - t;
    // Same sign: the trapezoid; a sign change: the two triangles, (a² + b²) / 2(|a| + |b|) wide.
    const piece = (a >= 0) === (b >= 0) ? width * Math.abs(a / 2 + b / 2) : (width * (Math.abs(a) / (Math.abs(a) + Math.abs(b))) * Math.abs(a)) / 2 + (width * (Math.abs(b) / (Math.abs(a) + Math.abs(b))) * Math.abs(b)) / 2;
    const sum = area + piece;
    if (Number.isFinite(sum)) carry += Math.abs(area) >= Math.abs(piece) ? area - sum + piece : piece - sum + area;
    area = sum;
    t = end;
    if (end === segmentEnd) i += 1;
    if (end === stepEnd) j += 1;
  }
  return area + carry;
}
