import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitRows, splitSizes } from './data-split.ts';

describe('the train / validation / test split', () => {
  it('is the same for a seed, different for another, and its sizes are known beforehand', () => {
    const classes = Int32Array.from({ length: 200 }, (_, i) => i % 3);
    const a = splitRows(200, 7, { classes });
    expect(splitRows(200, 7, { classes })).toEqual(a);
    expect(splitRows(200, 8, { classes }).test).not.toEqual(a.test);
    expect({ train: a.train.length, validation: a.validation.length, test: a.test.length }).toEqual(splitSizes(200, 7));
    expect(splitSizes(200, 7)).toMatchObject({ test: 40, validation: 20, train: 140 });
  });

  it('partitions the rows, and gives every class (and every stretch of a target) its share within one row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 400 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 2, max: 6 }), (rows, seed, k) => {
        const classes = Int32Array.from({ length: rows }, (_, i) => (i * 7919) % k);
        const split = splitRows(rows, seed, { classes });
        const all = [...split.train, ...split.validation, ...split.test].sort((x, y) => x - y);
        expect(all).toEqual(Array.from({ length: rows }, (_, i) => i));
        const sizes = splitSizes(rows, seed);
        expect(split.test.length).toBe(sizes.test);
        expect(split.validation.length).toBe(sizes.validation);
        for (let c = 0; c < k; c++) {
          const inClass = classes.filter((x) => x === c).length;
          const inTest = Array.from(split.test).filter((row) => classes[row] === c).length;
          expect(Math.abs(inTest - inClass * 0.2)).toBeLessThanOrEqual(1);
        }
        const values = Float64Array.from({ length: rows }, (_, i) => Math.sin(i) * 100);
        const byValue = splitRows(rows, seed, { values });
        const testValues = Array.from(byValue.test, (row) => values[row]!).sort((x, y) => x - y);
        expect(testValues.length).toBe(sizes.test);
        // systematic sampling along the sorted target: the test rows span its range evenly
        const sorted = Array.from(values).sort((x, y) => x - y);
        const median = sorted[Math.floor(rows / 2)]!;
        expect(Math.abs(testValues.filter((v) => v < median).length - testValues.length / 2)).toBeLessThanOrEqual(1.5);
      }),
      { numRuns: 60 },
    );
  });
});
