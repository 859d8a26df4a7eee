import { chiSquareSurvival } from './gamma-function.ts';

/**
 * Pearson's one-way chi-square test, scipy's `chisquare(f_obs, f_exp)` with ddof 0:
 * Σ (observed − expected)² / expected on k − 1 degrees of freedom. As scipy does, the two must
 * hold the same total (to a relative 1e-8), and an expected 0 where something was observed makes
 * the statistic infinite and the p-value 0: a category the reference never had.
 */
export function chiSquare(observed: readonly number[], expected: readonly number[]): { statistic: number; pValue: number } {
  if (observed.length !== expected.length) throw new RangeError(`chiSquare: ${observed.length} observed counts but ${expected.length} expected`);
  if (observed.length < 2) throw new RangeError(`chiSquare needs at least 2 categories, got ${observed.length}`);
  checkCounts(observed, 'observed');
  checkCounts(expected, 'expected');
  const observedTotal = observed.reduce((total, value) => total + value, 0);
  const expectedTotal = expected.reduce((total, value) => total + value, 0);
  if (Math.abs(observedTotal - expectedTotal) / Math.min(observedTotal, expectedTotal) > 1e-8) {
    throw new RangeError(`chiSquare: observed counts total ${observedTotal} but expected counts total ${expectedTotal}; scale the expected counts to the observed total`);
  }
  let statistic = 0;
  for (let i = 0; i < observed.length; i += 1) {
    const difference = observed[i]! - expected[i]!;
    statistic += expected[i] === 0 ? (difference === 0 ? Number.NaN : Infinity) : (difference * difference) / expected[i]!;
  }
  if (Number.isNaN(statistic)) statistic = Infinity;
  return { statistic, pValue: statistic === Infinity ? 0 : chiSquareSurvival(statistic, observed.length - 1) };
}

function checkCounts(counts: readonly number[], name: string): void {
  const bad = counts.findIndex((count) => !(count >= 0 && Number.isFinite(count)));
  if (bad >= 0) throw new RangeError(`chiSquare: ${name}[${bad}] is ${counts[bad]}; counts must be finite and ≥ 0`);
}
