import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downsample } from './lttb.ts';
import type { MetricColumns } from './metric-blocks.ts';

function series(values: number[], steps?: number[]): MetricColumns {
  return {
    steps: Float64Array.from(steps ?? values.map((_, i) => i)),
    values: Float64Array.from(values),
    timestamps: Float64Array.from(values.map((_, i) => 1000 + i)),
  };
}

const anySeries = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.oneof(fc.double(), fc.double({ noNaN: true, noDefaultInfinity: true }))), { maxLength: 400 })
  .map((points) => {
    let step = 0;
    return series(
      points.map(([, value]) => value),
      points.map(([gap]) => (step += gap)),
    );
  });

describe('LTTB downsampling', () => {
  it('never gives more than maxPoints, keeps the first and last, keeps steps in order, and picks only real points', () => {
    fc.assert(
      fc.property(anySeries, fc.integer({ min: 2, max: 500 }), (input, maxPoints) => {
        const out = downsample(input, maxPoints);
        const n = input.values.length;
        expect(out.values.length).toBe(Math.min(n, maxPoints));
        if (n === 0) return;
        expect(out.steps[0]).toBe(input.steps[0]);
        expect(out.steps.at(-1)).toBe(input.steps.at(-1));
        expect(Object.is(out.values.at(-1), input.values.at(-1))).toBe(true);
        let from = 0;
        for (let k = 0; k < out.values.length; k += 1) {
          if (k > 0) expect(out.steps[k]!).toBeGreaterThanOrEqual(out.steps[k - 1]!);
          // Each chosen point is one of the input's, later than the one chosen before.
          while (from < n && !(input.timestamps[from] === out.timestamps[k] && Object.is(input.values[from], out.values[k]))) from += 1;
          expect(from).toBeLessThan(n);
          from += 1;
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('gives back the series unchanged when it has no more than maxPoints', () => {
    fc.assert(
      fc.property(anySeries, fc.integer({ min: 2, max: 500 }), (input, extra) => {
        expect(downsample(input, input.values.length + extra)).toBe(input);
      }),
    );
  });

  it('keeps the spike a plain stride would skip', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => (i === 4321 ? 100 : Math.sin(i / 500)));
    const out = downsample(series(values), 200);
    expect(Array.from(out.values)).toContain(100);
  });

  it('refuses maxPoints under 2', () => {
    expect(() => downsample(series([1, 2, 3]), 1)).toThrow(/at least 2/);
  });
});
