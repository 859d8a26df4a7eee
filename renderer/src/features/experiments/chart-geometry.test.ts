import { describe, expect, it } from 'vitest';
import { extent, linePath, linearScale, nearestIndex, paddedRange, pointsForWidth } from './chart-geometry.ts';

describe('compare chart geometry', () => {
  it('maps a domain onto pixels, y growing downwards', () => {
    const y = linearScale([0, 1], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(0.25)).toBe(150);
  });

  it('breaks a curve at NaN and infinities instead of drawing through them', () => {
    const path = linePath([0, 1, 2, 3], [1, Number.NaN, 2, Number.POSITIVE_INFINITY], (s) => s * 10, (v) => v);
    expect(path).toBe('M0.0 1.0M20.0 2.0');
  });

  it('ignores non-finite values in the range, and pads a flat curve', () => {
    expect(extent([[3, Number.NaN, 1], [Number.NEGATIVE_INFINITY, 2]])).toEqual([1, 3]);
    expect(extent([[Number.NaN]])).toBeNull();
    expect(paddedRange([2, 2])).toEqual([1.9, 2.1]);
  });

  it('finds the point nearest a step', () => {
    expect(nearestIndex([0, 10, 20], 14)).toBe(1);
    expect(nearestIndex([0, 10, 20], 16)).toBe(2);
    expect(nearestIndex([0, 10, 20], -5)).toBe(0);
    expect(nearestIndex([], 3)).toBe(-1);
  });

  it('asks main for about as many points as the chart is wide', () => {
    expect(pointsForWidth(600)).toBe(640);
    expect(pointsForWidth(100)).toBe(256);
    expect(pointsForWidth(10_000)).toBe(2048);
  });
});
