import { describe, expect, it } from 'vitest';
import { categoricalDistribution, MAX_CATEGORIES, numericDistribution, OTHER } from './column-distribution.ts';
import { categoricalColumn, numericColumn } from './monitoring-fixtures.ts';

describe('the distribution overlay', () => {
  it('puts reference and window numbers over the same bins, spanning both ranges', () => {
    const reference = numericColumn('age', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const overlay = numericDistribution(reference, [15, 20]);
    expect(overlay.bins).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    expect(overlay.reference).toEqual([0.2, 0.2, 0.2, 0.2, 0.2, 0, 0, 0, 0, 0]);
    expect(overlay.current).toEqual([0, 0, 0, 0, 0, 0, 0, 0.5, 0, 0.5]);
  });

  it('weighs quantile points by the share of rows their levels stand for', () => {
    const reference = { ...numericColumn('age', [0, 10]), exact: false, values: [0, 1, 10], levels: [0, 0.9, 1] };
    const overlay = numericDistribution(reference, []);
    // 0 stands for 0 … 0.45, 1 for 0.45 … 0.95, 10 for 0.95 … 1.
    expect(overlay.reference[0]).toBeCloseTo(0.45, 12);
    expect(overlay.reference[1]).toBeCloseTo(0.5, 12);
    expect(overlay.reference[9]).toBeCloseTo(0.05, 12);
  });

  it('shows one bin for a constant column, and nothing without values', () => {
    expect(numericDistribution(null, [3, 3])).toEqual({ bins: [3, 3], reference: [], current: [1] });
    expect(numericDistribution(null, [])).toEqual({ bins: [], reference: [], current: [] });
  });

  it('shows a category new in the window beside the reference ones, and folds the rare rest into (other)', () => {
    const reference = categoricalColumn('plan', [...Array(30).fill('basic'), ...Array.from({ length: 30 }, (_, i) => `rare-${i}`)]);
    const overlay = categoricalDistribution(reference, ['premium', 'premium', 'basic', 'basic']);
    expect(overlay.bins).toHaveLength(MAX_CATEGORIES + 1);
    expect(overlay.bins.slice(0, 2)).toEqual(['basic', 'premium']);
    expect(overlay.bins.at(-1)).toBe(OTHER);
    expect(overlay.current.slice(0, 2)).toEqual([0.5, 0.5]);
    expect(overlay.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(overlay.reference.at(-1)).toBeCloseTo(12 / 60, 12);
  });
});
