import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { applyIsotonic, ascendingOrder, expectedCalibrationError, fitIsotonic, fitIsotonicInOrder, IsotonicMap } from './calibration.ts';

function refusal(act: () => unknown): LatheError {
  try {
    act();
  } catch (thrown) {
    return (thrown as { error: LatheError }).error;
  }
  throw new Error('expected a refusal');
}

describe('isotonic regression', () => {
  it('pools adjacent violators into their mean and interpolates between the pooled points', () => {
    // Worked by hand: (3, 2) pool to 2.5 over x = 2..3, (4, 3) to 3.5 over x = 4..5.
    const map = fitIsotonic([1, 2, 3, 4, 5, 6], [1, 3, 2, 4, 3, 5]);
    expect(map).toEqual({ x: [1, 2, 3, 4, 5, 6], y: [1, 2.5, 2.5, 3.5, 3.5, 5] });
    expect([0, 1, 2.5, 3.5, 5.5, 7].map((x) => applyIsotonic(map, x))).toEqual([1, 1, 2.5, 3, 4.25, 5]);
  });

  it('treats rows with the same score as one point weighted by their count, in any input order', () => {
    expect(fitIsotonic([3, 1, 3, 2, 1, 3], [1, 0, 0, 1, 1, 1])).toEqual({ x: [1, 2, 3], y: [0.5, 0.75, 0.75] });
  });

  it('gives a map that never decreases, stays within the observed range, and keeps the mean of y', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 300 }),
        fc.array(fc.double({ min: -0.5, max: 1.5, noNaN: true }), { minLength: 2, maxLength: 20 }),
        (pairs, probes) => {
          const x = pairs.map(([score]) => score);
          const y = pairs.map(([, outcome]) => outcome);
          const map = fitIsotonic(x, y);
          expect(IsotonicMap.safeParse(map).success).toBe(true);
          const sorted = [...probes].sort((a, b) => a - b);
          const values = sorted.map((probe) => applyIsotonic(map, probe));
          values.forEach((value, i) => {
            expect(value).toBeGreaterThanOrEqual(Math.min(...y) - 1e-12);
            expect(value).toBeLessThanOrEqual(Math.max(...y) + 1e-12);
            if (i > 0) expect(value).toBeGreaterThanOrEqual(values[i - 1]! - 1e-12);
          });
          const fittedMean = x.reduce((sum, score) => sum + applyIsotonic(map, score), 0) / x.length;
          expect(fittedMean).toBeCloseTo(y.reduce((sum, v) => sum + v, 0) / y.length, 9);
        },
      ),
    );
  });

  it('stays between two points that lie a few ulps apart (fast-check found a product that underflowed)', () => {
    const map = fitIsotonic([7.4e-323, 0, 7.4e-323, 7.4e-323, 7.4e-323], [0, 0, 1, 0, 0]);
    expect(map).toEqual({ x: [0, 7.4e-323], y: [0, 0.25] });
    expect(applyIsotonic(map, 7e-323)).toBeLessThanOrEqual(0.25);
  });

  it('is the least-squares fit: at each point, max over j ≤ i of min over k ≥ i of mean(y[j..k])', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 40 }), (y) => {
        const x = y.map((_, i) => i);
        const map = fitIsotonic(x, y);
        x.forEach((i) => {
          let best = Number.NEGATIVE_INFINITY;
          for (let j = 0; j <= i; j++) {
            let lowest = Number.POSITIVE_INFINITY;
            for (let k = i; k < y.length; k++) lowest = Math.min(lowest, y.slice(j, k + 1).reduce((sum, v) => sum + v, 0) / (k - j + 1));
            best = Math.max(best, lowest);
          }
          expect(applyIsotonic(map, i)).toBeCloseTo(best, 9);
        });
      }),
    );
  });

  it('fits a subset in a sample sorted once as it fits that subset alone (what cross-validation relies on)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 1 }), fc.boolean()), { minLength: 1, maxLength: 200 }), (rows) => {
        const x = rows.map(([score]) => score / 20);
        const y = rows.map(([, outcome]) => outcome);
        const kept = ascendingOrder(x).filter((i) => rows[i]![2]);
        const alone = rows.flatMap(([score, outcome, keep]) => (keep ? [[score / 20, outcome] as const] : []));
        if (alone.length === 0) return;
        expect(fitIsotonicInOrder(x, y, kept)).toEqual(
          fitIsotonic(
            alone.map(([score]) => score),
            alone.map(([, outcome]) => outcome),
          ),
        );
      }),
    );
  });

  it('refuses mismatched, empty or non-finite input, naming the row', () => {
    expect(refusal(() => fitIsotonic([1, 2], [1]))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'y' } });
    expect(refusal(() => fitIsotonic([], []))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'x' } });
    expect(refusal(() => fitIsotonic([1, Number.NaN], [1, 0]))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'x', row: 1 } });
    expect(refusal(() => applyIsotonic({ x: [0], y: [1] }, Number.NaN))).toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('expected calibration error', () => {
  it('is 0 when each group of scores is right as often as it claims', () => {
    const p = [0.2, 0.2, 0.2, 0.2, 0.2, 0.8, 0.8, 0.8, 0.8, 0.8];
    const correct = [true, false, false, false, false, true, true, true, true, false];
    expect(expectedCalibrationError(p, correct, 2)).toBeCloseTo(0, 12);
  });

  it('is the gap between claimed and observed for an overconfident model', () => {
    const p = new Array<number>(10).fill(0.9);
    expect(expectedCalibrationError(p, [1, 0, 1, 0, 1, 0, 1, 0, 1, 0])).toBeCloseTo(0.4, 12);
  });

  it('weighs each equal-size group by its share of rows (10 rows in 3 groups: 3, 3, 4)', () => {
    const p = [0.1, 0.1, 0.1, 0.5, 0.5, 0.5, 0.9, 0.9, 0.9, 0.9];
    const correct = [0, 0, 0, 1, 1, 1, 1, 1, 1, 1];
    expect(expectedCalibrationError(p, correct, 3)).toBeCloseTo((3 * 0.1 + 3 * 0.5 + 4 * 0.1) / 10, 12);
  });

  it('refuses probabilities outside [0, 1] and outcomes that are not right/wrong, naming the row', () => {
    expect(refusal(() => expectedCalibrationError([0.5, 1.2], [1, 0]))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'p', row: 1 } });
    expect(refusal(() => expectedCalibrationError([0.5, 0.2], [1, 2]))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'correct', row: 1 } });
    expect(refusal(() => expectedCalibrationError([], []))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'p' } });
    expect(refusal(() => expectedCalibrationError([0.5], [1], 0))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'bins' } });
  });
});
