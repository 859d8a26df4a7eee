import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquare } from './chi-square.ts';
import { chiSquareSurvival, twoSidedNormalP } from './gamma-function.ts';
import { jensenShannon } from './jensen-shannon.ts';
import { kolmogorovSurvival } from './kolmogorov-distribution.ts';
import { ks2samp } from './ks-test.ts';
import { psi } from './psi.ts';
import { wassersteinDistance } from './wasserstein.ts';
import { proportionsZTest } from './z-test.ts';

const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 });
// Shares, with subnormal ones read as 0 (scaling those by 0.001 would underflow to an empty bin).
const shares = (length: number) =>
  fc
    .array(fc.double({ min: 0, max: 1, noNaN: true }).map((value) => (value < 1e-300 ? 0 : value)), { minLength: length, maxLength: length })
    .filter((values) => values.some((value) => value > 0));

describe('properties the statistics keep for any input', () => {
  it('KS: symmetric, within [0, 1], 0 and p = 1 against itself, blind to mirroring the axis', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const result = ks2samp(a, b);
        expect(ks2samp(b, a)).toEqual(result);
        expect(result.statistic).toBeGreaterThanOrEqual(0);
        expect(result.statistic).toBeLessThanOrEqual(1);
        expect(result.pValue).toBeGreaterThanOrEqual(0);
        expect(result.pValue).toBeLessThanOrEqual(1);
        expect(ks2samp(a, a)).toEqual({ statistic: 0, pValue: 1 });
        expect(ks2samp(a.map((x) => -x), b.map((x) => -x)).statistic).toBe(result.statistic);
      }),
    );
  });

  it('Wasserstein: symmetric, the shift itself between a sample and its shifted copy, and counts are weights', () => {
    fc.assert(
      fc.property(sample, sample, fc.integer({ min: -1000, max: 1000 }), (u, v, shift) => {
        const distance = wassersteinDistance(u, v);
        expect(wassersteinDistance(v, u)).toBeCloseTo(distance, 6);
        expect(wassersteinDistance(u, u.map((x) => x + shift))).toBeCloseTo(Math.abs(shift), 4);
        const doubled = wassersteinDistance([...u, ...u], v);
        expect(wassersteinDistance(u, v, u.map(() => 2))).toBeCloseTo(doubled, 6);
      }),
    );
  });

  it('Jensen–Shannon: symmetric, between 0 and √ln 2, 0 for the same shape at any scale', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(shares(n), shares(n))), fc.double({ min: 0.001, max: 1000, noNaN: true }), ([p, q], scale) => {
        const distance = jensenShannon(p, q);
        expect(jensenShannon(q, p)).toBeCloseTo(distance, 12);
        expect(distance).toBeGreaterThanOrEqual(0);
        expect(distance).toBeLessThanOrEqual(Math.sqrt(Math.LN2) + 1e-12);
        expect(jensenShannon(p, p.map((x) => x * scale))).toBeLessThan(1e-7);
      }),
    );
  });

  it('PSI: never negative, 0 against itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(shares(n), shares(n))), ([r, c]) => {
        expect(psi(r, c)).toBeGreaterThanOrEqual(-1e-12);
        expect(psi(r, r)).toBe(0);
      }),
    );
  });

  it('chi-square and the Z-test give p-values within [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 2, maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 20, maxLength: 20 }), (expected, observedRaw) => {
        const observed = expected.map((_, i) => observedRaw[i]!);
        const total = observed.reduce((a, b) => a + b, 0);
        fc.pre(total > 0);
        const expectedTotal = expected.reduce((a, b) => a + b, 0);
        const result = chiSquare(observed, expected.map((e) => (e * total) / expectedTotal));
        expect(result.pValue).toBeGreaterThanOrEqual(0);
        expect(result.pValue).toBeLessThanOrEqual(1);
        const z = proportionsZTest(new Map([['a', expected[0]!], ['b', expected[1]!]]), new Map([['a', observed[0]! + 1], ['b', observed[1]!]]));
        expect(z.pValue).toBeGreaterThanOrEqual(0);
        expect(z.pValue).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('the distributions behind the p-values', () => {
  it('match closed forms: χ²(2) is exp(−x/2); the normal 1.96 is 5%; Dₙ at its ends', () => {
    for (const x of [0.1, 1, 10, 100, 700]) expect(chiSquareSurvival(x, 2) / Math.exp(-x / 2) - 1).toBeLessThan(1e-13);
    expect(twoSidedNormalP(1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(twoSidedNormalP(0)).toBe(1);
    expect(twoSidedNormalP(37)).toBeGreaterThan(0);
    expect(twoSidedNormalP(37)).toBeLessThan(1e-298);
    expect(kolmogorovSurvival(10, 0.95)).toBeCloseTo(2 * 0.05 ** 10, 25);
    expect(kolmogorovSurvival(10, 1)).toBe(0);
    expect(kolmogorovSurvival(10, 0.04)).toBe(1);
  });

  it('stay exact and quick for large samples: 200,000 values each', () => {
    const a = Float64Array.from({ length: 200_000 }, (_, i) => Math.sin(i) * 1000);
    const b = Float64Array.from({ length: 200_000 }, (_, i) => Math.sin(i + 0.5) * 1000 + 3);
    const result = ks2samp(a, b);
    expect(result.pValue).toBeGreaterThanOrEqual(0);
    expect(result.pValue).toBeLessThan(1);
    expect(ks2samp([-Infinity, 0, 1, Infinity], [0, 1, 2, Infinity]).pValue).toBeGreaterThan(0);
  });
});

describe('bad input gets an error that names what and where', () => {
  it('KS', () => {
    expect(() => ks2samp([], [1])).toThrow('ks2samp: sample a is empty');
    expect(() => ks2samp([1, 2, Number.NaN], [1])).toThrow('ks2samp: a[2] is NaN; leave missing values out before testing');
  });
  it('chi-square', () => {
    expect(() => chiSquare([1, 2], [1, 2, 3])).toThrow('chiSquare: 2 observed counts but 3 expected');
    expect(() => chiSquare([3], [3])).toThrow('chiSquare needs at least 2 categories, got 1');
    expect(() => chiSquare([1, -1], [0, 0])).toThrow('chiSquare: observed[1] is -1; counts must be finite and ≥ 0');
    expect(() => chiSquare([10, 10], [5, 5])).toThrow(/observed counts total 20 but expected counts total 10/);
    expect(chiSquare([5, 5], [10, 0])).toEqual({ statistic: Infinity, pValue: 0 });
  });
  it('Wasserstein', () => {
    expect(() => wassersteinDistance([], [1])).toThrow('wassersteinDistance: distribution u is empty');
    expect(() => wassersteinDistance([1], [Infinity])).toThrow('wassersteinDistance: v[0] is Infinity; values must be finite numbers');
    expect(() => wassersteinDistance([1, 2], [1], [1])).toThrow('wassersteinDistance: 2 values in u but 1 weights');
    expect(() => wassersteinDistance([1, 2], [1], [1, -1])).toThrow("wassersteinDistance: u's weight 1 is -1; weights must be ≥ 0");
    expect(() => wassersteinDistance([1, 2], [1], undefined, [0])).toThrow("wassersteinDistance: v's weights total 0; the total must be positive and finite");
  });
  it('Jensen–Shannon, PSI and the Z-test', () => {
    expect(() => jensenShannon([1], [1, 2])).toThrow('jensenShannon: p has 1 entries but q has 2');
    expect(() => jensenShannon([0, 0], [1, 2])).toThrow('jensenShannon: p sums to 0, so it is no distribution');
    expect(() => jensenShannon([1, -1], [1, 2])).toThrow('jensenShannon: p[1] is -1; entries must be finite and ≥ 0');
    expect(() => jensenShannon([1, 1], [1, 2], 1)).toThrow('jensenShannon: base 1 is not a logarithm base (positive, finite, not 1)');
    expect(() => psi([0, 0], [0.5, 0.5])).toThrow('psi: every reference bin is empty');
    expect(() => psi([0.5, Number.NaN], [0.5, 0.5])).toThrow('psi: reference bin 1 is NaN; shares must be finite and ≥ 0');
    expect(() => proportionsZTest(new Map(), new Map([['a', 1]]))).toThrow('proportionsZTest: the reference sample is empty');
    expect(() => proportionsZTest(new Map([['a', -2]]), new Map([['a', 1]]))).toThrow("proportionsZTest: reference count of 'a' is -2; counts must be finite and ≥ 0");
  });
  it('floors empty PSI bins as Evidently does, so the index stays finite', () => {
    expect(psi([0.5, 0.5, 0], [0.25, 0.25, 0.5])).toBeCloseTo((0.25 * Math.log(2)) * 2 + (0.0001 - 0.5) * Math.log(0.0001 / 0.5), 12);
    expect(psi([0.99999, 0.00001, 0], [0.5, 0.25, 0.25])).toBeCloseTo((0.99999 - 0.5) * Math.log(0.99999 / 0.5) + (0.00001 - 0.25) * Math.log(0.00001 / 0.25) + (1e-11 - 0.25) * Math.log(1e-11 / 0.25), 9);
  });
});
