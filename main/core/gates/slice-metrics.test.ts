import { describe, expect, it } from 'vitest';
import { asCategory, sliceMetrics } from './slice-metrics.ts';

describe('slice metrics', () => {
  it('give each value of a categorical or true/false column its accuracy, the missing rows their own slice, worst first, small slices left out', () => {
    const island = asCategory({ name: 'island', reading: 'category', names: ['Biscoe', 'Dream', 'Torgersen'], codes: Int32Array.of(0, 0, 0, 1, 1, 1, 2, -1, -1, 0) })!;
    const tagged = asCategory({ name: 'tagged', reading: 'boolean', values: Float64Array.of(1, 0, 1, 0, 1, 0, 1, 0, Number.NaN, 1) })!;
    expect(asCategory({ name: 'mass', reading: 'number', values: Float64Array.of(1) })).toBeNull();
    // Scored rows 0…9 map to table rows 0…9; right on the even ones, and on row 9.
    const right = Uint8Array.of(1, 0, 1, 0, 1, 0, 1, 0, 1, 1);
    const slices = sliceMetrics({ outcome: { metric: 'accuracy', right }, rows: Int32Array.from({ length: 10 }, (_, i) => i), columns: [island, tagged], minSupport: 2 });
    expect(slices.map((s) => [s.column, s.value, s.rows, Number(s.score.toFixed(3))])).toEqual([
      ['tagged', 'false', 4, 0],
      ['island', 'Dream', 3, 0.333],
      ['island', null, 2, 0.5],
      ['island', 'Biscoe', 4, 0.75],
      ['tagged', 'true', 5, 1],
    ]);
  });

  it('rank a regressor’s slices by mean absolute error, highest first', () => {
    const group = asCategory({ name: 'g', reading: 'category', names: ['a', 'b'], codes: Int32Array.of(0, 0, 1, 1) })!;
    const slices = sliceMetrics({ outcome: { metric: 'mae', errors: Float64Array.of(1, 3, 10, 20) }, rows: Int32Array.of(0, 1, 2, 3), columns: [group], minSupport: 1 });
    expect(slices.map((s) => [s.value, s.score])).toEqual([['b', 15], ['a', 2]]);
  });
});
