/**
 * A paired bootstrap interval for how much a candidate regressor's error differs from a
 * baseline's on the same rows: resample rows with replacement (the same rows for both models,
 * which keeps the pairing), compute error(candidate) − error(baseline) on each resample, and take
 * the percentiles (linear interpolation, as numpy's and scipy's `bootstrap(method='percentile')`).
 *
 * Errors are per-row absolute errors (MAE) or squared errors (RMSE = √mean). Each resample is one
 * tight loop over a typed array: an inlined xorshift32 generator, seeded per resample, picks
 * indices from its high bits and a sum accumulates; nothing is allocated per resample. 1,000
 * resamples of 1,000,000 rows are 10⁹ draws, a few seconds of one core.
 */
export type RegressionError = 'mae' | 'rmse';

export interface BootstrapOptions {
  error: RegressionError;
  resamples: number;
  /** e.g. 0.95 for a 95 % interval. */
  confidence: number;
  seed: number;
}

export interface ErrorDifference {
  error: RegressionError;
  rows: number;
  baselineError: number;
  candidateError: number;
  /** candidate − baseline on all rows: the effect size; positive means the candidate errs more. */
  difference: number;
  /** candidate / baseline − 1 (null when the baseline is exact). */
  relativeDifference: number | null;
  interval: { low: number; high: number; confidence: number; resamples: number; seed: number };
}

/** Per-row losses of one model: |ŷ − y| for MAE, (ŷ − y)² for RMSE. */
export function rowLosses(actual: Float64Array, predicted: Float64Array, error: RegressionError): Float64Array {
  const losses = new Float64Array(actual.length);
  for (let i = 0; i < actual.length; i += 1) {
    const residual = predicted[i]! - actual[i]!;
    losses[i] = error === 'mae' ? Math.abs(residual) : residual * residual;
  }
  return losses;
}

export function pairedBootstrap(baselineLoss: Float64Array, candidateLoss: Float64Array, options: BootstrapOptions): ErrorDifference {
  const n = baselineLoss.length;
  if (candidateLoss.length !== n) throw new RangeError(`paired losses need rows of equal length (${n} and ${candidateLoss.length})`);
  if (n === 0) throw new RangeError('a bootstrap needs at least one row');
  if (!Number.isInteger(options.resamples) || options.resamples < 1) throw new RangeError(`resamples must be a whole number ≥ 1, got ${options.resamples}`);
  if (!(options.confidence > 0 && options.confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, got ${options.confidence}`);
  const finish = options.error === 'rmse' ? Math.sqrt : (x: number) => x;
  const baselineError = finish(sum(baselineLoss) / n);
  const candidateError = finish(sum(candidateLoss) / n);
  // MAE is linear, so the difference of means is the mean of the differences: one array to resample.
  const differences =
    options.error === 'mae'
      ? resampleMeans(differenceOf(candidateLoss, baselineLoss), options)
      : resampleRootMeans(baselineLoss, candidateLoss, options);
  differences.sort();
  const tail = (1 - options.confidence) / 2;
  return {
    error: options.error,
    rows: n,
    baselineError,
    candidateError,
    difference: candidateError - baselineError,
    relativeDifference: baselineError === 0 ? null : candidateError / baselineError - 1,
    interval: { low: percentile(differences, tail), high: percentile(differences, 1 - tail), confidence: options.confidence, resamples: options.resamples, seed: options.seed },
  };
}

/**
 * Each resample's own xorshift32 stream (Marsaglia 2003), its seed drawn by SplitMix32 from the
 * bootstrap's seed and the resample's number: period 2³² − 1, more than any one resample draws.
 */
function streamSeed(seed: number, resample: number): number {
  let z = (Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(resample + 1, 0x9e3779b9)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 1;
}

/** Resampled means of one column (MAE: the per-row differences). */
function resampleMeans(values: Float64Array, options: BootstrapOptions): Float64Array {
  const n = values.length;
  const out = new Float64Array(options.resamples);
  for (let r = 0; r < options.resamples; r += 1) {
    let x = streamSeed(options.seed, r);
    let total = 0;
    for (let i = 0; i < n; i += 1) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      total += values[((x >>> 0) * n) / 4294967296 | 0]!;
    }
    out[r] = total / n;
  }
  return out;
}

/** Resampled RMSE differences: both losses interleaved, so one cache line serves the pair. */
function resampleRootMeans(baseline: Float64Array, candidate: Float64Array, options: BootstrapOptions): Float64Array {
  const n = baseline.length;
  const pairs = new Float64Array(2 * n);
  for (let i = 0; i < n; i += 1) {
    pairs[2 * i] = baseline[i]!;
    pairs[2 * i + 1] = candidate[i]!;
  }
  const out = new Float64Array(options.resamples);
  for (let r = 0; r < options.resamples; r += 1) {
    let x = streamSeed(options.seed, r);
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i += 1) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const row = 2 * (((x >>> 0) * n) / 4294967296 | 0);
      a += pairs[row]!;
      b += pairs[row + 1]!;
    }
    out[r] = Math.sqrt(b / n) - Math.sqrt(a / n);
  }
  return out;
}

function differenceOf(candidate: Float64Array, baseline: Float64Array): Float64Array {
  const difference = new Float64Array(candidate.length);
  for (let i = 0; i < difference.length; i += 1) difference[i] = candidate[i]! - baseline[i]!;
  return difference;
}

/** The q-quantile of sorted values, interpolating linearly between order statistics (numpy's default). */
export function percentile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const below = Math.floor(at);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (at - below) * (sorted[above]! - sorted[below]!);
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i += 1) total += values[i]!;
  return total;
}
