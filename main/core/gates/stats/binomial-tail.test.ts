import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fairCoinLowerTail, fairCoinUpperTail } from './binomial-tail.ts';

/** P(X ≤ k) for Binomial(n, ½), exactly, with whole numbers: Σ C(n, i) / 2ⁿ. */
function exactLowerTail(k: number, n: number): number {
  let coefficient = 1n;
  let sum = 0n;
  for (let i = 0; i <= k; i += 1) {
    sum += coefficient;
    coefficient = (coefficient * BigInt(n - i)) / BigInt(i + 1);
  }
  // sum / 2ⁿ with 64 significant bits, then as a double.
  const shift = n - sum.toString(2).length + 64;
  return Number((sum << BigInt(shift)) >> BigInt(n)) / 2 ** shift;
}

describe('the fair-coin binomial tail', () => {
  it('equals the exact sum of binomial coefficients (n up to 400)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))), ([n, k]) => {
        const exact = exactLowerTail(k, n);
        expect(Math.abs(fairCoinLowerTail(k, n) - exact) / exact).toBeLessThan(1e-12);
      }),
    );
  });

  it('is symmetric: P(X ≤ k) = P(X ≥ n − k)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))), ([n, k]) => {
        expect(fairCoinUpperTail(n - k, n)).toBeCloseTo(fairCoinLowerTail(k, n), 14);
      }),
      { numRuns: 50 },
    );
  });

  it('has the edges a test needs: nothing below 0, everything at n, ½ at the middle of an odd n', () => {
    expect(fairCoinLowerTail(-1, 10)).toBe(0);
    expect(fairCoinLowerTail(10, 10)).toBe(1);
    expect(fairCoinLowerTail(499_999, 999_999)).toBeCloseTo(0.5, 14);
    expect(fairCoinLowerTail(0, 1_000_000)).toBe(0); // 2^-1,000,000 underflows, as scipy's does
  });
});
