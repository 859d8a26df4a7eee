import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meanInterval, meanSampleSize, proportionSampleSize, twoProportionZ, welchT, wilsonInterval, type MeanArm } from './ab-stats.ts';

/**
 * Expected values computed once with SciPy 1.x (Debian's python3-scipy):
 *   z-test: the pooled two-proportion z by hand, p = 2 * stats.norm.sf(|z|)
 *   Wilson: stats.binomtest(x, n).proportion_ci(method='wilson')
 *   Welch:  stats.ttest_ind(candidate, stable, equal_var=False)
 *   t interval: mean ± stats.t.ppf(0.975, n - 1) * s / sqrt(n)
 *   sample sizes: the usual normal-approximation formulas with stats.norm.ppf(0.975), stats.norm.ppf(0.8)
 */
const stableRewards = [1.0, 2.5, 3.1, 0.4, 2.2, 1.9, 3.3, 2.8];
const candidateRewards = [2.9, 3.5, 4.1, 2.2, 3.8, 3.0, 4.4];

function meanArm(values: readonly number[]): MeanArm {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { n: values.length, mean, variance: values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) };
}

describe('A/B statistics, against SciPy', () => {
  it('two-proportion z-test, Wilson intervals and the sample size for 80 % power', () => {
    const stable = { n: 200, successes: 120 };
    const candidate = { n: 210, successes: 150 };
    const test = twoProportionZ(stable, candidate)!;
    expect(test.statistic).toBeCloseTo(2.439285423783943, 9);
    expect(test.pValue).toBeCloseTo(0.014716339569308923, 6);
    expect(test.effect).toBeCloseTo(150 / 210 - 0.6, 12);
    const [low, high] = wilsonInterval(stable)!;
    expect(low).toBeCloseTo(0.5308367203926201, 9);
    expect(high).toBeCloseTo(0.6653942143319267, 9);
    expect(wilsonInterval(candidate)![0]).toBeCloseTo(0.6497654334710847, 9);
    expect(proportionSampleSize(stable, candidate)).toBe(270); // SciPy formula: 269.604…
  });

  it("Welch's t-test, the t interval and the sample size for rewards", () => {
    const stable = meanArm(stableRewards);
    const candidate = meanArm(candidateRewards);
    const test = welchT(stable, candidate)!;
    expect(test.statistic).toBeCloseTo(2.742840311951654, 9);
    expect(test.pValue).toBeCloseTo(0.01700530819722529, 6);
    const [low, high] = meanInterval(stable)!;
    expect(low).toBeCloseTo(1.3009432388378002, 6);
    expect(high).toBeCloseTo(2.9990567611621994, 6);
    expect(meanSampleSize(stable, candidate)).toBe(8); // SciPy formula: 7.936…
  });

  it('says nothing rather than something wrong when there is too little to go on', () => {
    expect(twoProportionZ({ n: 0, successes: 0 }, { n: 5, successes: 3 })).toBeNull();
    expect(twoProportionZ({ n: 5, successes: 5 }, { n: 5, successes: 5 })).toBeNull();
    expect(wilsonInterval({ n: 0, successes: 0 })).toBeNull();
    expect(welchT(meanArm([1]), meanArm([1, 2]))).toBeNull();
    expect(proportionSampleSize({ n: 10, successes: 5 }, { n: 10, successes: 5 })).toBeNull();
    expect(meanInterval(meanArm([3]))).toBeNull();
  });

  it('keeps p-values in [0, 1] and intervals around the estimate for any counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (n1, n2, f1, f2) => {
        const stable = { n: n1, successes: Math.round(f1 * n1) };
        const candidate = { n: n2, successes: Math.round(f2 * n2) };
        const test = twoProportionZ(stable, candidate);
        if (test) expect(test.pValue >= 0 && test.pValue <= 1).toBe(true);
        const [low, high] = wilsonInterval(stable)!;
        expect(low).toBeLessThanOrEqual(stable.successes / n1 + 1e-12);
        expect(high).toBeGreaterThanOrEqual(stable.successes / n1 - 1e-12);
      }),
    );
  });
});
