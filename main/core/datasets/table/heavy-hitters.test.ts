import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finishHigh, finishLow, hashBytes, rawHash } from './byte-hash.ts';
import { DistinctCounter } from './distinct-counter.ts';
import { HEAVY_HITTER_COUNTERS, HeavyHitters, type CountedValue } from './heavy-hitters.ts';
import { bytesOf } from './scan-test-helpers.ts';

/** Feeds values the way the distinct counter does: finished hash lanes and the bytes. */
function summaryOf(values: readonly string[], capacity: number): HeavyHitters {
  const heavy = new HeavyHitters(capacity);
  for (const value of values) {
    const bytes = bytesOf(value);
    hashBytes(bytes, 0, bytes.length);
    const low = rawHash[0] as number;
    const high = rawHash[1] as number;
    heavy.add(finishLow(low, high, bytes.length), finishHigh(low, high), bytes, 0, bytes.length);
  }
  return heavy;
}

function countsOf(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function counterOf(values: readonly string[]): DistinctCounter {
  const counter = new DistinctCounter();
  for (const value of values) {
    const bytes = bytesOf(value);
    hashBytes(bytes, 0, bytes.length);
    counter.add(bytes, 0, bytes.length, rawHash[0] as number, rawHash[1] as number);
  }
  return counter;
}

/** mulberry32, as the import benchmark's generator uses. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const within = ({ count, error = 0 }: CountedValue, truth: number) => count - error <= truth && truth <= count + error;

/** Streams with a few heavy values, many light ones and runs, over small alphabets and large. */
const streams = fc
  .record({
    alphabet: fc.integer({ min: 1, max: 400 }),
    skew: fc.double({ min: 0, max: 3, noNaN: true }),
    length: fc.integer({ min: 0, max: 3000 }),
    seed: fc.integer(),
    capacity: fc.integer({ min: 1, max: 64 }),
  })
  .map(({ alphabet, skew, length, seed, capacity }) => {
    const next = random(seed);
    // Zipf-like: value i is drawn with weight 1 / (i + 1)^skew.
    const values = Array.from({ length }, () => `v${Math.floor(alphabet * next() ** (1 + skew))}`);
    return { values, capacity };
  });

describe('heavy hitters (Filtered Space-Saving)', () => {
  it('finds every value occurring more than n / k times, and every count is within its bound', () => {
    fc.assert(
      fc.property(streams, ({ values, capacity }) => {
        const truth = countsOf(values);
        const heavy = summaryOf(values, capacity);
        const found = heavy.top(Number.POSITIVE_INFINITY);
        const listed = new Map(found.map((entry) => [entry.value, entry]));
        for (const [value, count] of truth) {
          if (count > values.length / capacity) expect(listed.has(value), `${value} occurs ${count} times of ${values.length}`).toBe(true);
          // A value without a counter occurs at most as often as the smallest count.
          if (!listed.has(value)) expect(count).toBeLessThanOrEqual(heavy.untrackedBound);
        }
        for (const entry of found) {
          expect(within(entry, truth.get(entry.value) ?? 0), JSON.stringify(entry)).toBe(true);
          expect(entry.error ?? 0).toBeLessThanOrEqual(Math.ceil(values.length / capacity / 2));
        }
        // Ordered by the most each can have occurred: nothing occurs more often than the first allows.
        const most = found.map((entry) => entry.count + (entry.error ?? 0));
        expect(most).toEqual([...most].sort((a, b) => b - a));
        if (found.length > 0) expect(Math.max(0, ...truth.values())).toBeLessThanOrEqual(most[0] as number);
      }),
      { numRuns: 300 },
    );
  });

  it('is exact while there are no more values than counters', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 500 }), (numbers) => {
        const values = numbers.map((n) => `n${n}`);
        const truth = countsOf(values);
        const top = summaryOf(values, 16).top(16);
        expect(top.every((entry) => entry.error === undefined)).toBe(true);
        expect(new Map(top.map((entry) => [entry.value, entry.count]))).toEqual(truth);
      }),
    );
  });

  it('keeps the counts of seeded values exact and adds to them', () => {
    const heavy = new HeavyHitters(2);
    const key = bytesOf('seeded');
    heavy.seed(11, 12, key, 0, key.length, false, 5);
    const other = bytesOf('other');
    heavy.add(21, 22, other, 0, other.length);
    heavy.add(11, 12, key, 0, key.length);
    expect(heavy.top(2)).toEqual([
      { value: 'seeded', count: 6 },
      { value: 'other', count: 1 },
    ]);
  });
});

describe('top values of a column with too many distinct values to count exactly', () => {
  /**
   * The import benchmark's "observer" column (3.5 M rows drawn uniformly from a million ids)
   * at a tenth of the size: every id occurs a handful of times, the commonest a dozen or so. The
   * old summary listed ten ids with "1" as if exact; no list can name the true maximum without
   * counting every id, but every count shown must hold within its bound, and the bounds must
   * not hide that some id occurs more often than the list says.
   */
  const observers = (rows: number, seed: number) => {
    const next = random(seed);
    return Array.from({ length: rows }, () => `obs-${Math.floor(next() * 1e5).toString(36)}`);
  };

  it('the observer case: every count shown holds, within its bound', () => {
    const values = observers(350_000, 42);
    const truth = countsOf(values);
    const top = counterOf(values).top(10);
    const most = Math.max(...truth.values());
    expect(top).toHaveLength(10);
    for (const entry of top) {
      expect(entry.error, entry.value).toBeGreaterThan(0);
      expect(within(entry, truth.get(entry.value) ?? 0), `${JSON.stringify(entry)} occurs ${truth.get(entry.value)} times`).toBe(true);
    }
    // No id occurs more often than the first value's bound allows.
    expect(most).toBeLessThanOrEqual((top[0]?.count ?? 0) + (top[0]?.error ?? 0));
  });

  it('the observer case with a few truly frequent values: they come first, with tight bounds', () => {
    const values = observers(350_000, 7);
    const next = random(3);
    const planted = ['alice', 'bob', 'carol'];
    // Each planted value takes over 0.6%, 0.4%, 0.2% of the rows, spread through the column.
    for (let i = 0; i < values.length; i++) {
      const r = next();
      if (r < 0.006) values[i] = 'alice';
      else if (r < 0.01) values[i] = 'bob';
      else if (r < 0.012) values[i] = 'carol';
    }
    const truth = countsOf(values);
    const top = counterOf(values).top(10);
    expect(top.slice(0, 3).map((entry) => entry.value)).toEqual(planted);
    for (const entry of top) expect(within(entry, truth.get(entry.value) ?? 0), JSON.stringify(entry)).toBe(true);
    for (const entry of top.slice(0, 3)) expect(entry.error ?? 0).toBeLessThanOrEqual(values.length / HEAVY_HITTER_COUNTERS);
  });
});

describe('merging heavy-hitter summaries of the parts of a stream', () => {
  it('keeps every bound: a listed count within its error, any other value at most its bucket', () => {
    fc.assert(
      fc.property(streams, fc.array(fc.nat(), { maxLength: 5 }), ({ values, capacity }, cutsRaw) => {
        const cuts = [...new Set(cutsRaw.map((cut) => cut % (values.length + 1)))].sort((a, b) => a - b);
        const merged = new HeavyHitters(capacity);
        let from = 0;
        for (const cut of [...cuts, values.length]) {
          merged.merge(structuredClone(summaryOf(values.slice(from, cut), capacity).state()));
          from = cut;
        }
        expect(merged.total).toBe(values.length);
        const truth = countsOf(values);
        const found = merged.top(Number.POSITIVE_INFINITY);
        for (const entry of found) expect(within(entry, truth.get(entry.value) ?? 0), JSON.stringify(entry)).toBe(true);
        for (const [value, count] of truth) {
          const bytes = bytesOf(value);
          hashBytes(bytes, 0, bytes.length);
          const low = rawHash[0] as number;
          const high = rawHash[1] as number;
          expect(count).toBeLessThanOrEqual(merged.upperBound(finishLow(low, high, bytes.length), finishHigh(low, high)));
        }
        // And it goes on counting after a merge, bounds intact.
        const more = values.slice(0, 50);
        const after = summaryOf([], capacity);
        after.merge(merged.state());
        for (const value of more) {
          const bytes = bytesOf(value);
          hashBytes(bytes, 0, bytes.length);
          const low = rawHash[0] as number;
          const high = rawHash[1] as number;
          after.add(finishLow(low, high, bytes.length), finishHigh(low, high), bytes, 0, bytes.length);
          truth.set(value, (truth.get(value) ?? 0) + 1);
        }
        for (const entry of after.top(Number.POSITIVE_INFINITY)) expect(within(entry, truth.get(entry.value) ?? 0), JSON.stringify(entry)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
