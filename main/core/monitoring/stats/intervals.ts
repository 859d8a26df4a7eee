import { failure } from '../../errors.ts';
import { normalQuantile, studentTQuantile } from './interval-quantiles.ts';

/**
 * Confidence intervals for the performance a window of labelled predictions shows: accuracy
 * (Wilson score interval), a mean error such as MAE (Student's t), and RMSE. Each returns null
 * when the window is too small to say anything ("not enough data"), never a made-up interval.
 */

export interface Interval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval for a proportion (accuracy = successes / n). Unlike the normal
 * ("Wald") interval it stays inside [0, 1] and keeps near its nominal coverage for small n or
 * accuracies near 0 or 1 (Newcombe, 1998, method 3). Null when n is 0.
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Interval | null {
  checkConfidence(confidence);
  if (!Number.isSafeInteger(n) || n < 0) throw invalid(`the number of rows must be a whole number of 0 or more, got ${n}`, 'n');
  if (!Number.isSafeInteger(successes) || successes < 0 || successes > n) {
    throw invalid(`the number of successes must be a whole number from 0 to n (${n}), got ${successes}`, 'successes');
  }
  if (n === 0) return null;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const p = successes / n;
  const shrink = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / shrink;
  const half = (z / shrink) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}

/**
 * The mean of `values` with its Student-t interval, mean ± t(1 − α/2; n − 1) · s / √n: for MAE
 * pass absolute errors, for MSE squared errors. Null with fewer than 2 values (no spread to
 * measure).
 */
export function meanInterval(values: ArrayLike<number>, confidence = 0.95): { mean: number; low: number; high: number } | null {
  checkConfidence(confidence);
  const scale = largestMagnitude(values, 'values');
  if (values.length < 2) return null;
  const moments = momentsOf(values, (value) => value / scale);
  const half = studentTQuantile(1 - (1 - confidence) / 2, moments.n - 1) * Math.sqrt(moments.variance / moments.n);
  return { mean: moments.mean * scale, low: (moments.mean - half) * scale, high: (moments.mean + half) * scale };
}

/**
 * RMSE = √(mean of squared errors) with an interval made by taking the Student-t interval of the
 * mean squared error and mapping both ends through the square root (the low end floored at 0).
 * The square root is monotone, so the interval keeps the coverage of the MSE interval; unlike a
 * delta-method interval it is not forced to be symmetric about the RMSE. `errors` are residuals
 * (predicted − actual); their sign does not matter. Null with fewer than 2 errors.
 */
export function rmseInterval(errors: ArrayLike<number>, confidence = 0.95): { value: number; low: number; high: number } | null {
  checkConfidence(confidence);
  const scale = largestMagnitude(errors, 'errors');
  if (errors.length < 2) return null;
  const squared = momentsOf(errors, (error) => (error / scale) ** 2);
  const half = studentTQuantile(1 - (1 - confidence) / 2, squared.n - 1) * Math.sqrt(squared.variance / squared.n);
  return { value: Math.sqrt(squared.mean) * scale, low: Math.sqrt(Math.max(0, squared.mean - half)) * scale, high: Math.sqrt(squared.mean + half) * scale };
}

/**
 * The largest |value| (1 when all are 0), refusing NaN and Infinity. Sums run over value / scale
 * so that squares and spreads of errors as large as 1e200 do not overflow.
 */
function largestMagnitude(values: ArrayLike<number>, field: string): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw invalid(`${field}[${i}] is ${String(value)}, not a finite number`, field, i, 'Leave out rows whose error could not be computed (a missing label or prediction).');
    }
    largest = Math.max(largest, Math.abs(value));
  }
  return largest === 0 ? 1 : largest;
}

/** Mean and sample variance (n − 1) of f(value), in one pass (Welford). */
function momentsOf(values: ArrayLike<number>, f: (value: number) => number): { n: number; mean: number; variance: number } {
  const n = values.length;
  let mean = 0;
  let sumOfSquares = 0;
  for (let i = 0; i < n; i++) {
    const value = f(values[i] as number);
    const delta = value - mean;
    mean += delta / (i + 1);
    sumOfSquares += delta * (value - mean);
  }
  return { n, mean, variance: n > 1 ? sumOfSquares / (n - 1) : 0 };
}

function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw invalid(`the confidence level must be between 0 and 1 (0.95 for 95 %), got ${confidence}`, 'confidence');
}

function invalid(problem: string, field: string, row?: number, hint?: string): Error {
  return failure('INVALID_INPUT', `Cannot compute a confidence interval: ${problem}.`, {
    ...(hint ? { hint } : {}),
    location: row === undefined ? { field } : { field, row },
  });
}
