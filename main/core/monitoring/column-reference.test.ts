import { describe, expect, it } from 'vitest';
import { CategoricalReference, NumericReference } from '../../../shared/contract/monitoring.ts';
import { categoricalReference, countedReference, numericReference } from './column-reference.ts';

/** One training column as the agent judges drift against it: exact when small, quantiles when large, counts for categories. */
describe('a numeric column reference', () => {
  it('keeps every value, sorted, up to 1,000 rows, with NaN and infinities counted as missing', () => {
    const values = Float64Array.from([3, Number.NaN, 1, 2, Infinity, 2, -Infinity]);
    const reference = numericReference('x', values);
    expect(NumericReference.parse(reference)).toEqual(reference);
    expect(reference).toMatchObject({ kind: 'numeric', name: 'x', rows: 4, missing: 3, distinct: 3, min: 1, max: 3, exact: true, values: [1, 2, 2, 3] });
    expect(reference.mean).toBe(2);
    expect(reference.std).toBeCloseTo(Math.sqrt(0.5), 12); // numpy's std, ddof 0
  });

  it('keeps 2,001 quantile points and finer tail levels over 1,000 rows, with the true count, mean and std', () => {
    const values = Float64Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000); // 0…4999, shuffled
    const reference = numericReference('x', values);
    expect(reference).toMatchObject({ rows: 5000, missing: 0, distinct: 1000, min: 0, max: 4999, exact: false });
    // 2,001 evenly spaced points, and levels halving toward each tail while they still hold a value.
    const levels = reference.levels!;
    expect(levels).toHaveLength(reference.values.length);
    expect(levels.filter((level) => Math.abs(level * 2000 - Math.round(level * 2000)) < 1e-9)).toHaveLength(2001);
    expect(levels.length).toBeGreaterThan(2001);
    expect(reference.values[levels.indexOf(0.5)]).toBeCloseTo(2499.5, 9); // the median
    expect(reference.mean).toBeCloseTo(2499.5, 9);
    expect(reference.std).toBeCloseTo(Math.sqrt((5000 * 5000 - 1) / 12), 6);
  });


  it('says an all-missing column has no rows rather than NaN statistics', () => {
    const reference = numericReference('empty', Float64Array.from([Number.NaN, Number.NaN]));
    expect(reference).toEqual({ kind: 'numeric', name: 'empty', rows: 0, missing: 2, distinct: 0, mean: 0, std: 0, min: 0, max: 0, values: [], exact: true });
  });
});

describe('a categorical column reference', () => {
  it('counts each category from the reader\'s codes, -1 as missing, and keeps hostile names as plain categories', () => {
    const reference = categoricalReference('island', Int32Array.from([0, 1, 1, -1, 2, 1]), ['Biscoe', 'Dream', '__proto__']);
    expect(CategoricalReference.safeParse(reference).success).toBe(true);
    expect(reference).toMatchObject({ rows: 5, missing: 1 });
    expect(Object.entries(reference.counts)).toEqual([['Dream', 3], ['Biscoe', 1], ['__proto__', 1]]);
    expect(JSON.parse(JSON.stringify(reference)).counts.__proto__).toBe(1);
  });

  it('keeps the 1,000 most common categories and counts the rest together under "(other)"', () => {
    const pairs = Array.from({ length: 1500 }, (_, i) => [`c${i}`, i < 1000 ? 10 : 1] as const);
    const reference = countedReference('city', pairs, 0);
    expect(Object.keys(reference.counts)).toHaveLength(1001);
    expect(reference.counts['(other)']).toBe(500);
    expect(reference.rows).toBe(10_500);
  });
});
