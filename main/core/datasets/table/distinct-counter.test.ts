import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashBytes, rawHash } from './byte-hash.ts';
import { DistinctCounter, EXACT_DISTINCT_LIMIT } from './distinct-counter.ts';
import { HEAVY_HITTER_COUNTERS } from './heavy-hitters.ts';
import { bytesOf } from './scan-test-helpers.ts';

function counterOf(values: Iterable<string>): DistinctCounter {
  const counter = new DistinctCounter();
  for (const value of values) {
    const bytes = bytesOf(value);
    hashBytes(bytes, 0, bytes.length);
    counter.add(bytes, 0, bytes.length, rawHash[0] as number, rawHash[1] as number);
  }
  return counter;
}

function* range(count: number, make: (i: number) => string) {
  for (let i = 0; i < count; i++) yield make(i);
}

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('distinct values, counted exactly while there are few', () => {
  it('counts distinct values and the top ones exactly', () => {
    const counter = counterOf(['x', 'y', 'x', 'z', 'x', 'y', '', 'é', 'é']);
    expect(counter.approximate).toBe(false);
    expect(counter.distinct).toBe(5);
    expect(counter.top(3)).toEqual([
      { value: 'x', count: 3 },
      { value: 'y', count: 2 },
      { value: 'é', count: 2 },
    ]);
  });

  it('tells apart values that share a long prefix or differ only in length', () => {
    const long = 'p'.repeat(300);
    const counter = counterOf([long + 'a', long + 'b', long + 'a', 'ab', 'abc', 'abcd', 'abcde', 'abcdefghi', 'abcdefghj']);
    expect(counter.distinct).toBe(8);
    expect(counter.top(1)).toEqual([{ value: `${'p'.repeat(200)}…`, count: 2 }]);
  });

  it('stays exact up to the limit', () => {
    const counter = counterOf(range(EXACT_DISTINCT_LIMIT * 2, (i) => `v${i % EXACT_DISTINCT_LIMIT}`));
    expect(counter.approximate).toBe(false);
    expect(counter.distinct).toBe(EXACT_DISTINCT_LIMIT);
    expect(counter.top(1)).toEqual([{ value: 'v0', count: 2 }]);
  });
});

describe('distinct values, estimated past the limit', () => {
  it('switches to an estimate one value past the limit', () => {
    const counter = counterOf(range(EXACT_DISTINCT_LIMIT + 1, (i) => `v${i}`));
    expect(counter.approximate).toBe(true);
    expect(counter.distinct).toBeGreaterThan(EXACT_DISTINCT_LIMIT);
    expect(counter.distinct).toBeLessThanOrEqual(EXACT_DISTINCT_LIMIT + 1);
  });

  it('estimates within a few percent, for sequential ids and for random strings', () => {
    for (const count of [50_000, 1_000_000]) {
      const ids = counterOf(range(count, (i) => String(i + 1)));
      expect(Math.abs(ids.distinct / count - 1), `ids ${count}`).toBeLessThan(0.03);
      const next = random(count);
      const strings = counterOf(range(count, () => `user_${Math.floor(next() * 2 ** 53).toString(36)}`));
      expect(Math.abs(strings.distinct / count - 1), `strings ${count}`).toBeLessThan(0.03);
    }
  });

  it('still finds the frequent values among many unique ones, with counts within their bounds', () => {
    const next = random(7);
    const values: string[] = [];
    const truth = new Map<string, number>();
    for (let i = 0; i < 300_000; i++) {
      const r = next();
      const value = r < 0.1 ? 'unknown' : r < 0.15 ? 'n/a' : r < 0.17 ? 'test' : `id-${i}`;
      values.push(value);
      truth.set(value, (truth.get(value) ?? 0) + 1);
    }
    const counter = counterOf(values);
    expect(counter.approximate).toBe(true);
    const top = counter.top(3);
    expect(top.map((entry) => entry.value)).toEqual(['unknown', 'n/a', 'test']);
    for (const { value, count, error = 0 } of top) {
      const real = truth.get(value) ?? 0;
      expect(Math.abs(count - real)).toBeLessThanOrEqual(error);
      expect(error).toBeLessThanOrEqual(values.length / HEAVY_HITTER_COUNTERS);
    }
  });

  it('keeps top values short for display, whatever their length', () => {
    const counter = counterOf(range(EXACT_DISTINCT_LIMIT + 50, (i) => (i % 2 === 0 ? 'z'.repeat(5000) : `${i}-${'y'.repeat(1000)}`)));
    const [first] = counter.top(1);
    expect(first?.value).toBe(`${'z'.repeat(200)}…`);
    expect(counter.top(10).every((entry) => entry.value.length <= 201)).toBe(true);
  });
});

describe('merging the counters of the parts of a column', () => {
  const partsOf = (values: string[], cuts: number[]) => {
    const points = [...new Set(cuts.map((cut) => cut % (values.length + 1)))].sort((a, b) => a - b);
    const parts: string[][] = [];
    let from = 0;
    for (const point of [...points, values.length]) {
      parts.push(values.slice(from, point));
      from = point;
    }
    return parts;
  };
  const mergedOf = (parts: string[][]) => {
    const merged = new DistinctCounter();
    for (const part of parts) merged.merge(structuredClone(counterOf(part).state()));
    return merged;
  };

  it('gives exactly the counts of the whole while the values are few', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }).map(String), fc.constantFrom('', 'é', 'x'.repeat(300), `${'x'.repeat(299)}y`, 'abcdefghijklmnop')), { maxLength: 400 }), fc.array(fc.nat(), { maxLength: 6 }), (values, cuts) => {
        const whole = counterOf(values);
        const merged = mergedOf(partsOf(values, cuts));
        expect(merged.distinct).toBe(whole.distinct);
        expect(merged.approximate).toBe(false);
        expect(merged.top(Number.POSITIVE_INFINITY)).toEqual(whole.top(Number.POSITIVE_INFINITY));
      }),
      { numRuns: 300 },
    );
  });

  it('past the limit: the same distinct estimate as one pass, and every top count within its bound', () => {
    const next = random(11);
    const values = Array.from({ length: 60_000 }, (_, i) => (next() < 0.2 ? `common-${i % 7}` : `v${Math.floor(next() * 25_000)}`));
    const truth = new Map<string, number>();
    for (const value of values) truth.set(value, (truth.get(value) ?? 0) + 1);
    const whole = counterOf(values);
    for (const cuts of [[20_000, 40_000], [5_000, 10_000, 45_000], [59_000]]) {
      const merged = mergedOf(partsOf(values, cuts));
      expect(merged.approximate).toBe(true);
      expect(merged.distinct).toBe(whole.distinct);
      const top = merged.top(10);
      expect(top.slice(0, 7).map((entry) => entry.value).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `common-${i}`));
      for (const { value, count, error = 0 } of top) expect(Math.abs(count - (truth.get(value) ?? 0))).toBeLessThanOrEqual(error);
    }
  });
});
