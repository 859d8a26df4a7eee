import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { seededRandom } from '../../sweeps/seeded-random.ts';
import { normalQuantile, studentTQuantile } from './interval-quantiles.ts';
import { meanInterval, rmseInterval, wilsonInterval } from './intervals.ts';

function refusal(act: () => unknown): LatheError {
  try {
    act();
  } catch (thrown) {
    return (thrown as { error: LatheError }).error;
  }
  throw new Error('expected a refusal');
}

/** A standard normal draw (Box–Muller) from a seeded uniform generator. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

describe('quantiles', () => {
  it("agree with scipy 1.17's norm.ppf and t.ppf to 1e-12", () => {
    // python3 -c 'from scipy import stats; print(stats.norm.ppf(q), stats.t.ppf(q, df))'
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normalQuantile(0.5)).toBe(0);
    const scipyT: [df: number, q: number, t: number][] = [
      [1, 0.975, 12.706204736174694],
      [1, 0.995, 63.656741162871526],
      [2, 0.975, 4.302652729749462],
      [5, 0.995, 4.032142983555228],
      [10, 0.975, 2.228138851986274],
      [30, 0.95, 1.697260886593957],
      [100, 0.975, 1.9839715185235518],
      [1000, 0.995, 2.580754698065951],
      [1001, 0.975, 1.9623367052808798],
      [1e7, 0.975, 1.959964221767205],
    ];
    for (const [df, q, t] of scipyT) {
      expect(Math.abs(studentTQuantile(q, df) - t) / t).toBeLessThan(1e-12);
      expect(studentTQuantile(1 - q, df)).toBeCloseTo(-t, 10);
    }
  });
});

describe('Wilson interval', () => {
  it('matches Newcombe (1998), table II, method 3, to the 4 decimals printed there', () => {
    const table: [successes: number, n: number, low: number, high: number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [successes, n, low, high] of table) {
      const interval = wilsonInterval(successes, n)!;
      expect(interval.low).toBeCloseTo(low, 4);
      expect(interval.high).toBeCloseTo(high, 4);
    }
  });

  it('says "not enough data" (null) for an empty window, and reaches exactly 0 or 1 at the ends', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(wilsonInterval(0, 7)!.low).toBe(0);
    expect(wilsonInterval(7, 7)!.high).toBe(1);
  });

  it('always holds the observed accuracy, stays in [0, 1], and narrows with more rows or less confidence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.5, max: 0.999, noNaN: true }), (n, share, confidence) => {
        const successes = Math.round(share * n);
        const interval = wilsonInterval(successes, n, confidence)!;
        expect(interval.low).toBeGreaterThanOrEqual(0);
        expect(interval.high).toBeLessThanOrEqual(1);
        expect(interval.low).toBeLessThanOrEqual(successes / n + 1e-12);
        expect(interval.high).toBeGreaterThanOrEqual(successes / n - 1e-12);
        const more = wilsonInterval(successes * 4, n * 4, confidence)!;
        expect(more.high - more.low).toBeLessThanOrEqual(interval.high - interval.low + 1e-12);
        const surer = wilsonInterval(successes, n, Math.min(0.9999, confidence + 0.0005))!;
        expect(surer.high - surer.low).toBeGreaterThanOrEqual(interval.high - interval.low - 1e-12);
      }),
    );
  });

  it('refuses counts that cannot be, and confidence outside (0, 1)', () => {
    expect(refusal(() => wilsonInterval(5, 4))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'successes' } });
    expect(refusal(() => wilsonInterval(1.5, 4))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'successes' } });
    expect(refusal(() => wilsonInterval(1, -4))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'n' } });
    expect(refusal(() => wilsonInterval(1, 4, 95))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'confidence' }, message: expect.stringContaining('0.95 for 95 %') });
  });
});

describe('mean interval', () => {
  it("matches scipy's t.interval(confidence, n − 1, mean, sem)", () => {
    const values = [2.1, 3.4, 1.9, 5.6, 4.4, 3.3];
    const interval = meanInterval(values)!;
    expect(interval.mean).toBeCloseTo(3.45, 12);
    expect(interval.low).toBeCloseTo(1.9826652930346758, 12);
    expect(interval.high).toBeCloseTo(4.917334706965324, 12);
    const wider = meanInterval(Float64Array.from(values), 0.99)!;
    expect(wider.low).toBeCloseTo(1.1483796970802356, 12);
    expect(wider.high).toBeCloseTo(5.751620302919764, 12);
  });

  it('covers the true MAE in 936 of 1,000 seeded windows of 50 absolute errors (nominal 95 %)', () => {
    const trueMae = 2 * Math.sqrt(2 / Math.PI); // E|X| for X ~ N(0, 2²)
    let covered = 0;
    for (let trial = 0; trial < 1000; trial++) {
      const random = seededRandom(5000 + trial);
      const interval = meanInterval(Array.from({ length: 50 }, () => Math.abs(2 * normal(random))))!;
      if (interval.low <= trueMae && trueMae <= interval.high) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(920);
  });

  it('says "not enough data" (null) under two values, and refuses NaN naming the row', () => {
    expect(meanInterval([])).toBeNull();
    expect(meanInterval([3])).toBeNull();
    expect(refusal(() => meanInterval([1, 2, Number.NaN, 4]))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'values', row: 2 } });
  });
});

describe('RMSE interval', () => {
  it('is the RMSE with the square roots of the ends of the MSE interval', () => {
    const errors = [0.5, -1.5, 2, -0.25, 1, -3];
    const squared = meanInterval(errors.map((e) => e * e))!;
    const interval = rmseInterval(errors)!;
    expect(interval.value).toBeCloseTo(Math.sqrt(squared.mean), 14);
    expect(interval.low).toBeCloseTo(Math.sqrt(Math.max(0, squared.low)), 14);
    expect(interval.high).toBeCloseTo(Math.sqrt(squared.high), 14);
    expect(interval.low).toBeGreaterThanOrEqual(0);
  });

  it('covers the true RMSE in 944 of 1,000 seeded windows of 200 normal residuals (nominal 95 %)', () => {
    let covered = 0;
    for (let trial = 0; trial < 1000; trial++) {
      const random = seededRandom(1000 + trial);
      const interval = rmseInterval(Array.from({ length: 200 }, () => 2 * normal(random)))!;
      if (interval.low <= 2 && 2 <= interval.high) covered++;
    }
    // Squared errors are skewed, so a t interval on their mean runs a little under nominal;
    // 920 is 3.5 standard errors of a 95 % binomial below 950.
    expect(covered).toBeGreaterThanOrEqual(920);
  });

  it('neither overflows nor loses scale with errors near 1e200 or 1e-200', () => {
    for (const scale of [1e200, 1e-200]) {
      const interval = rmseInterval([0.5, -1.5, 2, -0.25, 1, -3].map((e) => e * scale))!;
      const plain = rmseInterval([0.5, -1.5, 2, -0.25, 1, -3])!;
      expect(interval.value / scale).toBeCloseTo(plain.value, 12);
      expect(interval.high / scale).toBeCloseTo(plain.high, 12);
      const mean = meanInterval([1, 2, 3, 4].map((v) => v * scale))!;
      expect(mean.high / scale).toBeCloseTo(meanInterval([1, 2, 3, 4])!.high, 12);
    }
    expect(rmseInterval([0, 0, 0])).toEqual({ value: 0, low: 0, high: 0 });
  });

  it('says "not enough data" (null) under two errors, and refuses Infinity naming the row', () => {
    expect(rmseInterval([1])).toBeNull();
    expect(refusal(() => rmseInterval([1, Number.POSITIVE_INFINITY]))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'errors', row: 1 } });
  });
});
