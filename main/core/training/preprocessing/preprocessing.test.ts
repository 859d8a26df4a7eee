import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TableColumn, TableColumns } from '../data/table-columns.ts';
import { encodeRecords, encodeTable, inputWidth } from './encode-features.ts';
import { fitPreprocessing, type FeatureToFit } from './fit-preprocessing.ts';
import { isoDays } from './iso-days.ts';
import { preprocessingRecord } from './preprocessing-record.ts';

const numbers = (name: string, values: (number | null)[], reading: 'number' | 'boolean' | 'datetime' = 'number'): TableColumn => ({ name, reading, values: Float64Array.from(values, (v) => (v === null ? Number.NaN : v)) });
function categories(name: string, values: (string | null)[]): TableColumn {
  const names: string[] = [];
  const codes = Int32Array.from(values, (value) => {
    if (value === null) return -1;
    if (!names.includes(value)) names.push(value);
    return names.indexOf(value);
  });
  return { name, reading: 'category', codes, names };
}
const tableOf = (...columns: TableColumn[]): TableColumns => ({ rows: columns[0]!.reading === 'category' ? columns[0]!.codes.length : columns[0]!.values.length, columns: new Map(columns.map((c) => [c.name, c])) });
const target = { name: 'y', task: 'classification' as const, classes: ['a', 'b'] };

describe('preprocessing fitted on the training rows', () => {
  it('takes medians, spreads and categories from the training rows only', () => {
    const table = tableOf(
      numbers('x', [1, 2, null, 4, 1000, 2000]),
      categories('city', ['Oslo', 'Oslo', 'Rome', null, 'Lima', 'Lima']),
      numbers('flag', [1, 1, 0, null, 0, 0], 'boolean'),
      categories('y', ['a', 'b', 'a', 'b', 'a', 'b']),
    );
    const features: FeatureToFit[] = [
      { name: 'x', type: 'number', encoding: 'standardize' },
      { name: 'city', type: 'string', encoding: 'one-hot' },
      { name: 'flag', type: 'boolean', encoding: 'binary' },
    ];
    const train = Int32Array.from([0, 1, 2, 3]);
    const fitted = fitPreprocessing(features, target, table, train);
    const [x, city, flag] = fitted.columns;
    expect(x).toMatchObject({ fill: 2, missingIndicator: true });
    expect(x).toMatchObject({ mean: 2.25 }); // 1, 2, 2 (filled), 4 — never 1000 or 2000
    expect(city).toMatchObject({ categories: ['Oslo'], fill: 'Oslo', missingIndicator: true }); // Rome seen once: "other"; Lima never
    expect(flag).toMatchObject({ fill: 1, missingIndicator: true });
    expect(fitted.inputs).toEqual(['x', 'x (missing)', 'city=Oslo', 'city=(other)', 'city (missing)', 'flag', 'flag (missing)']);

    const rows = encodeTable(fitted, table, Int32Array.from([2, 3, 4]));
    const std = (x as { std: number }).std;
    expect(Array.from(rows.subarray(0, 7))).toEqual([Math.fround((2 - 2.25) / std), 1, 0, 1, 0, 0, 0]);
    expect(Array.from(rows.subarray(7, 14))).toEqual([Math.fround((4 - 2.25) / std), 0, 1, 0, 1, 1, 1]);
    expect(Array.from(rows.subarray(14, 21))).toEqual([Math.fround((1000 - 2.25) / std), 0, 0, 1, 0, 0, 0]); // Lima: unseen → other
  });

  it('gives a row the same inputs from training\'s columns and from a served record', () => {
    const cell = fc.option(fc.integer({ min: -50, max: 50 }), { nil: null });
    const row = fc.record({ n: cell, b: fc.option(fc.boolean(), { nil: null }), d: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null }), c: fc.option(fc.constantFrom('p', 'q', 'r', 's'), { nil: null }) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 4, maxLength: 40 }), (rows) => {
        const day = (n: number) => new Date(Date.UTC(2000, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
        const table = tableOf(
          numbers('n', rows.map((r) => (r.n === null ? null : r.n / 4))),
          numbers('b', rows.map((r) => (r.b === null ? null : Number(r.b))), 'boolean'),
          numbers('d', rows.map((r) => (r.d === null ? null : isoDays(day(r.d)))), 'datetime'),
          categories('c', rows.map((r) => r.c)),
          categories('y', rows.map((_, i) => (i % 2 ? 'a' : 'b'))),
        );
        const features: FeatureToFit[] = [
          { name: 'n', type: 'number', encoding: 'standardize' },
          { name: 'b', type: 'boolean', encoding: 'binary' },
          { name: 'd', type: 'datetime', encoding: 'epoch-days' },
          { name: 'c', type: 'string', encoding: 'one-hot' },
        ];
        const all = Int32Array.from(rows.keys());
        const fitted = fitPreprocessing(features, target, table, all.subarray(0, Math.ceil(rows.length / 2)));
        const records = rows.map((r) => ({ n: r.n === null ? 'NA' : String(r.n / 4), b: r.b, d: r.d === null ? null : `${day(r.d)}T00:00:00Z`, ...(r.c === null ? {} : { c: r.c }) }));
        const fromTable = encodeTable(fitted, table, all);
        expect(fromTable.length).toBe(rows.length * inputWidth(fitted));
        expect(encodeRecords(fitted, records)).toEqual(fromTable);
        expect(fromTable.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  it('survives columns of huge or constant numbers without overflow or noise', () => {
    const table = tableOf(numbers('huge', [1e300, -1e300, 5e299, 0]), numbers('same', [0.3, 0.3, 0.3, 0.3]), categories('y', ['a', 'b', 'a', 'b']));
    const fitted = fitPreprocessing([{ name: 'huge', type: 'number', encoding: 'standardize' }, { name: 'same', type: 'number', encoding: 'standardize' }], target, table, Int32Array.from([0, 1, 2, 3]));
    const inputs = encodeTable(fitted, table, Int32Array.from([0, 1, 2, 3]));
    expect(inputs.every(Number.isFinite)).toBe(true);
    expect(Array.from(inputs.filter((_, i) => i % 2 === 1))).toEqual([0, 0, 0, 0]);
  });

  it('is a versioned record: written and read back the same, a newer version refused', () => {
    const table = tableOf(numbers('x', [1, 2, 3]), categories('y', ['a', 'b', 'a']));
    const fitted = fitPreprocessing([{ name: 'x', type: 'number', encoding: 'standardize' }], target, table, Int32Array.from([0, 1, 2]));
    const text = preprocessingRecord.serialize(fitted);
    expect(preprocessingRecord.parse(text, 'preprocessing.json')).toEqual(fitted);
    expect(() => preprocessingRecord.parse(text.replace('"schemaVersion": 1', '"schemaVersion": 2'), 'preprocessing.json')).toThrow(/newer Lathe/);
  });
});

describe('dates as numbers', () => {
  it('counts days since 1970-01-01 UTC, with the time as a fraction and zones applied', () => {
    expect(isoDays('1970-01-02')).toBe(1);
    expect(isoDays('1969-12-31')).toBe(-1);
    expect(isoDays('2024-02-29T12:00:00Z')).toBe(19782.5);
    expect(isoDays('2024-02-29 12:00')).toBe(19782.5); // no zone: read as UTC
    expect(isoDays('2024-02-29T14:00:00+02:00')).toBe(19782.5);
    expect(isoDays('2024-02-29T12:00:00.500Z')).toBeCloseTo(19782.5 + 0.5 / 86_400, 12);
    expect(isoDays('0001-01-01')).toBe(-719162);
    expect(isoDays('2023-02-29')).toBeNaN();
    expect(isoDays('2024-13-01')).toBeNaN();
    expect(isoDays('yesterday')).toBeNaN();
  });
});
