import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteByByte, bytesOf, scan, splitAt } from './scan-test-helpers.ts';
import { DISPLAY_BINS, StreamingHistogram, type Histogram } from './streaming-histogram.ts';

const histogramOf = (values: number[]): Histogram | null => {
  const histogram = new StreamingHistogram();
  for (const value of values) histogram.add(value);
  return histogram.result();
};

/** The bin the edges put a value in: [edges[i], edges[i+1]), the last bin closed; -1 outside. */
const binOf = (edges: number[], value: number): number => {
  if (value < (edges[0] as number) || value > (edges[edges.length - 1] as number)) return -1;
  for (let i = 0; i < edges.length - 2; i++) if (value < (edges[i + 1] as number)) return i;
  return edges.length - 2;
};

const expectConsistent = (values: number[], histogram: Histogram | null) => {
  if (values.length === 0) {
    expect(histogram).toBeNull();
    return;
  }
  expect(histogram).not.toBeNull();
  const { edges, counts } = histogram as Histogram;
  expect(edges).toHaveLength(counts.length + 1);
  expect(counts.length).toBeLessThanOrEqual(DISPLAY_BINS);
  for (let i = 1; i < edges.length; i++) expect(edges[i] as number).toBeGreaterThan(edges[i - 1] as number);
  expect(edges.every(Number.isFinite)).toBe(true);
  expect(counts.reduce((sum, count) => sum + count, 0)).toBe(values.length);
  // The outer bins are trimmed: the first and the last hold values.
  expect(counts[0]).toBeGreaterThan(0);
  expect(counts[counts.length - 1]).toBeGreaterThan(0);
  const recount = counts.map(() => 0);
  for (const value of values) {
    const bin = binOf(edges, value);
    expect(bin, `${value} is outside ${edges[0]}..${edges[edges.length - 1]}`).toBeGreaterThanOrEqual(0);
    recount[bin] = (recount[bin] as number) + 1;
  }
  expect(recount).toEqual(counts);
};

/** Numbers as a CSV column might hold them: integers, decimals, wide and narrow ranges. */
const numbers = fc.oneof(
  fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 700 }),
  fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 700 }),
  fc.array(fc.double({ min: -1e-3, max: 1e-3, noNaN: true }), { maxLength: 400 }),
  fc.array(fc.integer({ min: -50, max: 50 }).map((n) => n / 10), { maxLength: 700 }),
  fc.array(fc.constantFrom(0, -0, 1, -1, 0.1, 1e15, -1e15, Number.MIN_VALUE, -Number.MIN_VALUE, 3.7), { maxLength: 600 }),
);

describe('streaming histogram', () => {
  it('counts every value exactly once, in the bin its edges say', () => {
    fc.assert(
      fc.property(numbers, (values) => {
        expectConsistent(values, histogramOf(values));
      }),
      { numRuns: 400 },
    );
  });

  it('copes with sorted data and values that arrive far outside the first range', () => {
    const ascending = Array.from({ length: 20_000 }, (_, i) => i);
    expectConsistent(ascending, histogramOf(ascending));
    const jumps = [...Array.from({ length: 300 }, (_, i) => i / 100), 1e12, -5e9, 0.5, 7e300, -7e300];
    expectConsistent(jumps, histogramOf(jumps));
    const extremes = [Number.MAX_VALUE, -Number.MAX_VALUE, 0, 1];
    expectConsistent(extremes, histogramOf(extremes));
  });

  it('gives an integer column integer edges, one bin per value when there are few', () => {
    expect(histogramOf([0, 1, 2, 3, 4, 5, 5, 5])).toEqual({ edges: [0, 1, 2, 3, 4, 5, 6], counts: [1, 1, 1, 1, 1, 3] });
    const flippers = histogramOf(Array.from({ length: 344 }, (_, i) => 172 + (i % 60)));
    expect(flippers?.edges.every(Number.isInteger)).toBe(true);
    expect(flippers?.edges[0]).toBe(172);
    expect(flippers?.counts.length).toBeLessThanOrEqual(DISPLAY_BINS);
  });

  it('chooses nice widths', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 2700 + ((i * 7919) % 3600));
    const edges = histogramOf(values)?.edges ?? [];
    expect(edges.every((edge) => edge % 200 === 0)).toBe(true);
    expect(histogramOf([3.7])?.counts).toEqual([1]);
  });

  it('is null without values', () => {
    expect(histogramOf([])).toBeNull();
  });
});

describe('histograms in the scanned profile', () => {
  it('do not depend on how the file is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -500, max: 500 }).map(String), fc.double({ min: -1e4, max: 1e4, noNaN: true }).map(String), fc.constant('NA')), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (cells, cuts) => {
          const bytes = bytesOf(`v\n${cells.join('\n')}\n`);
          const whole = scan(bytes).profile[0];
          const chunked = scan(splitAt(bytes, cuts.map((cut) => cut % (bytes.length + 1)))).profile[0];
          expect(chunked?.histogram).toEqual(whole?.histogram);
          const values = cells.filter((cell) => cell !== 'NA').map(Number);
          if (values.length > 0) expectConsistent(values, whole?.histogram ?? null);
          else expect(whole?.histogram).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('are the same byte by byte', () => {
    const bytes = bytesOf(`v\n${Array.from({ length: 600 }, (_, i) => ((i * 37) % 101) / 4).join('\n')}\n`);
    expect(scan(byteByByte(bytes)).profile[0]?.histogram).toEqual(scan(bytes).profile[0]?.histogram);
  });

  it('are null for columns that turn out not to be numbers, and for empty ones', () => {
    const profile = scan(`a,b,c\n1,x,\n2,2,\n3,y,\n`).profile;
    expect(profile[0]?.histogram).toEqual({ edges: [1, 2, 3, 4], counts: [1, 1, 1] });
    expect(profile[1]?.histogram).toBeNull();
    expect(profile[2]?.histogram).toBeNull();
  });

  it('come from JSON numbers too', () => {
    const profile = scan('[{"n": 1}, {"n": 2.5}, {"n": null}, {"s": "x"}]', { format: 'json' }).profile;
    expect(profile[0]?.histogram?.counts.reduce((sum, count) => sum + count, 0)).toBe(2);
    expect(profile[1]?.histogram).toBeNull();
  });
});
