import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunningStats } from './running-stats.ts';
import { scan } from './scan-test-helpers.ts';

const profileOf = (values: string[]) => {
  const text = `v\n${values.map((value) => (value === '' ? '""' : value)).join('\n')}\n`;
  const result = scan(text);
  return result.profile[0];
};

describe('column types', () => {
  it('infers integer, number, boolean, datetime, string and empty', () => {
    expect(profileOf(['1', '-2', '30'])?.type).toBe('integer');
    expect(profileOf(['1', '2.5', '1e3'])?.type).toBe('number');
    expect(profileOf(['true', 'FALSE', 'True'])?.type).toBe('boolean');
    expect(profileOf(['2024-01-31', '2024-02-01T10:00:00Z'])?.type).toBe('datetime');
    expect(profileOf(['1', 'x'])?.type).toBe('string');
    expect(profileOf(['1', 'true'])?.type).toBe('string');
    expect(profileOf(['2024-01-31', '5'])?.type).toBe('string');
    expect(profileOf(['NA', '', 'null'])?.type).toBe('empty');
  });

  it('ignores missing values when inferring, and counts them', () => {
    const profile = profileOf(['1', 'NA', '3', '', 'None', 'N/A']);
    expect(profile).toMatchObject({ type: 'integer', count: 2, missing: 4, missingShare: 4 / 6, distinct: 2 });
  });

  it('does not call "inf" or "Infinity" a number', () => {
    expect(profileOf(['1', 'inf'])?.type).toBe('string');
    expect(profileOf(['Infinity'])?.type).toBe('string');
  });

  it('calls integers past the safe range numbers', () => {
    expect(profileOf(['1', '9007199254740993'])?.type).toBe('number');
  });
});

describe('column statistics', () => {
  it('gives min, max, mean and sample standard deviation for numeric columns only', () => {
    expect(profileOf(['2', '4', '4', '4', '5', '5', '7', '9'])).toMatchObject({ min: 2, max: 9, mean: 5, std: Math.sqrt(32 / 7) });
    expect(profileOf(['5'])).toMatchObject({ min: 5, max: 5, mean: 5, std: null });
    expect(profileOf(['a', 'b'])).toMatchObject({ min: null, max: null, mean: null, std: null });
  });

  it('lists the most frequent values, most frequent first, ties in order of appearance', () => {
    const profile = profileOf(['b', 'a', 'c', 'a', 'b', 'a', 'd']);
    expect(profile?.top).toEqual([
      { value: 'a', count: 3 },
      { value: 'b', count: 2 },
      { value: 'c', count: 1 },
      { value: 'd', count: 1 },
    ]);
    expect(profile).toMatchObject({ distinct: 4, approximate: false });
    expect(profileOf(Array.from({ length: 30 }, (_, i) => `v${i}`))?.top).toHaveLength(10);
  });

  it('Welford’s mean and standard deviation match a naive two-pass computation', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 300 }), fc.double({ min: -1e9, max: 1e9, noNaN: true }), (values, offset) => {
        const shifted = values.map((value) => value + offset);
        const stats = new RunningStats();
        for (const value of shifted) stats.add(value);
        const mean = shifted.reduce((sum, value) => sum + value, 0) / shifted.length;
        const variance = shifted.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (shifted.length - 1);
        const scale = Math.max(1, ...shifted.map(Math.abs));
        expect(Math.abs(stats.mean - mean)).toBeLessThanOrEqual(1e-9 * scale);
        expect(Math.abs((stats.std ?? 0) - Math.sqrt(variance))).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.sqrt(variance)) + 1e-9 * scale);
        expect(stats.min).toBe(Math.min(...shifted));
        expect(stats.max).toBe(Math.max(...shifted));
      }),
      { numRuns: 500 },
    );
  });

  it('stays accurate where the sum-of-squares formula cancels', () => {
    // The spread of 1e9 + {0, 1, 2} is that of {0, 1, 2}; naive Σx² - n·mean² loses it all.
    const small = Array.from({ length: 10_000 }, (_, i) => i % 3);
    const smallMean = small.reduce((sum, value) => sum + value, 0) / small.length;
    const expectedStd = Math.sqrt(small.reduce((sum, value) => sum + (value - smallMean) ** 2, 0) / (small.length - 1));
    const stats = new RunningStats();
    for (const value of small) stats.add(1e9 + value);
    expect(stats.mean).toBeCloseTo(1e9 + smallMean, 3);
    expect(stats.std).toBeCloseTo(expectedStd, 7);
    const naive = Math.sqrt((small.reduce((sum, value) => sum + (1e9 + value) ** 2, 0) - small.length * (1e9 + smallMean) ** 2) / (small.length - 1));
    expect(Math.abs(naive - expectedStd)).toBeGreaterThan(1e-3);
  });

  it('computes the same statistics from CSV text as from the values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 2, maxLength: 100 }), (values) => {
        const profile = profileOf(values.map(String));
        const stats = new RunningStats();
        for (const value of values) stats.add(value);
        expect(profile).toMatchObject({ type: 'integer', min: stats.min, max: stats.max, mean: stats.mean, std: stats.std });
      }),
      { numRuns: 200 },
    );
  });
});
