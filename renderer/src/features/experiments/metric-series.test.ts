import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { historyOf } from '../../testing/fake-api.ts';
import { seriesFromHistory, thinned, withPoints } from './metric-series.ts';

describe('a live curve', () => {
  it('takes points in step order, never twice the same', () => {
    const series = seriesFromHistory(historyOf('loss', [1, 0.5]));
    const next = withPoints(series, [
      { key: 'loss', step: 3, value: 0.2, timestamp: 1_750_000_000_003 },
      { key: 'loss', step: 1, value: 0.5, timestamp: 1_750_000_000_001 },
      { key: 'loss', step: 2, value: 'NaN', timestamp: 1_750_000_000_002 },
      { key: 'acc', step: 9, value: 1, timestamp: 1 },
    ]);
    expect(next.steps).toEqual([0, 1, 2, 3]);
    expect(next.values).toEqual([1, 0.5, Number.NaN, 0.2]);
    expect(next.stored).toBe(4);
  });

  it('is thinned to a chart’s worth of points, keeping its ends and its shape', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 3000 }), fc.integer({ min: 3, max: 500 }), (values, maxPoints) => {
        const series = seriesFromHistory(historyOf('loss', values));
        const cut = thinned(series, maxPoints);
        expect(cut.steps.length).toBe(Math.min(values.length, maxPoints));
        expect(cut.steps[0]).toBe(0);
        expect(cut.steps.at(-1)).toBe(values.length - 1);
        for (let i = 1; i < cut.steps.length; i++) expect(cut.steps[i]!).toBeGreaterThan(cut.steps[i - 1]!);
        cut.steps.forEach((step, i) => expect(cut.values[i]).toBe(values[step]));
      }),
    );
    // A spike survives.
    const spiky = seriesFromHistory(historyOf('loss', Array.from({ length: 1000 }, (_, i) => (i === 500 ? 100 : 1))));
    expect(thinned(spiky, 50).values).toContain(100);
  });
});
