import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamingHistogram } from './streaming-histogram.ts';

const numbers = fc.oneof(
  fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 1500 }),
  fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 1500 }),
  fc.array(fc.integer({ min: -50, max: 50 }).map((n) => n / 10), { maxLength: 1500 }),
  fc.array(fc.constantFrom(0, -0, 1, -1, 0.1, 1e15, -1e15, Number.MIN_VALUE, 3.7), { maxLength: 900 }),
  // Trends (ids, timestamps): later parts lie outside the earlier ones' bins, so bins double mid-merge.
  fc.array(fc.integer({ min: -1e6, max: 1e6 }), { maxLength: 1500 }).map((values) => values.sort((a, b) => a - b)),
  fc.record({ start: fc.integer({ min: -5000, max: 5000 }), step: fc.integer({ min: 1, max: 97 }), length: fc.nat({ max: 3000 }) }).map(({ start, step, length }) => Array.from({ length }, (_, i) => start + i * step)),
);

describe('merging histograms of the parts of a column', () => {
  it('gives exactly the histogram of the whole, whether a part knew the starting width or kept its values', () => {
    fc.assert(
      fc.property(numbers, fc.array(fc.nat(), { maxLength: 6 }), fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), (values, cutsRaw, knowsWidth) => {
        const whole = new StreamingHistogram();
        for (const value of values) whole.add(value);
        const cuts = [...new Set(cutsRaw.map((cut) => cut % (values.length + 1)))].sort((a, b) => a - b);
        const parts: number[][] = [];
        let from = 0;
        for (const cut of [...cuts, values.length]) {
          parts.push(values.slice(from, cut));
          from = cut;
        }
        // The first part starts the column; later ones get w0 only when the merge so far has one.
        const merged = new StreamingHistogram();
        parts.forEach((part, i) => {
          const width = merged.startWidth;
          const histogram = i === 0 ? new StreamingHistogram() : width !== null && knowsWidth[i] ? StreamingHistogram.withWidth(width) : StreamingHistogram.rawValues();
          for (const value of part) histogram.add(value);
          merged.merge(structuredClone(histogram.state()));
        });
        expect(merged.result()).toEqual(whole.result());
      }),
      { numRuns: 400 },
    );
  });
});
