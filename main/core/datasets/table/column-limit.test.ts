import { describe, expect, it } from 'vitest';
import { createTableScanner } from './table-scanner.ts';
import { bytesOf, scan, scanError, splitAt } from './scan-test-helpers.ts';
import { MAX_COLUMNS } from './table-sink.ts';
import { LatheFailure } from '../../errors.ts';

const names = (count: number, name = (i: number) => `c${i + 1}`) => Array.from({ length: count }, (_, i) => name(i));
const row = (count: number) => Array.from({ length: count }, (_, i) => String(i % 7)).join(',');

describe(`a table of more than ${MAX_COLUMNS.toLocaleString('en')} columns is refused`, () => {
  it('imports a table with exactly the most columns', () => {
    const result = scan(`${names(MAX_COLUMNS).join(',')}\n${row(MAX_COLUMNS)}\n`);
    expect(result.columns).toHaveLength(MAX_COLUMNS);
    expect(result.rows).toBe(1);
  });

  it('CSV: says how many columns the header has, and the most, at line 1', () => {
    const error = scanError(`${names(MAX_COLUMNS + 5).join(',')}\n${row(MAX_COLUMNS + 5)}\n`);
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toBe('data.csv has 10,005 columns; Lathe imports tables of at most 10,000 columns.');
    expect(error.location).toEqual({ file: 'data.csv', line: 1, column: 1 });
    expect(error.hint).toContain('narrower file');
  });

  it('counts the header as CSV does: quoted names with delimiters and line breaks are one column each', () => {
    const quoted = names(MAX_COLUMNS + 1, (i) => (i % 3 === 0 ? `"name ${i}, with a comma\nand a line break"` : `n${i}`));
    expect(scanError(`${quoted.join(',')}\r\n1\r\n`).message).toBe('data.csv has 10,001 columns; Lathe imports tables of at most 10,000 columns.');
    const exact = names(MAX_COLUMNS, (i) => (i % 3 === 0 ? `"name ${i}, with a comma"` : `n${i}`));
    expect(scan(`${exact.join(',')}\n${row(MAX_COLUMNS)}\n`).columns[0]).toBe('name 0, with a comma');
  });

  it('TSV, with blank lines before the header: located at the header line', () => {
    const error = scanError(`\n\n${names(MAX_COLUMNS + 1).join('\t')}\n`, { format: 'tsv' });
    expect(error.message).toBe('data.tsv has 10,001 columns; Lathe imports tables of at most 10,000 columns.');
    expect(error.location).toEqual({ file: 'data.tsv', line: 3, column: 1 });
  });

  it('the same however the header is split into chunks, and when the file ends inside it', () => {
    const header = bytesOf(`${names(MAX_COLUMNS + 2).join(',')}\n1\n`);
    for (const cuts of [[1], [5, 20, 3000], [header.length - 3], Array.from({ length: 40 }, (_, i) => i * 1500)]) {
      expect(scanError(splitAt(header, cuts)).message).toBe('data.csv has 10,002 columns; Lathe imports tables of at most 10,000 columns.');
    }
    expect(scanError(names(MAX_COLUMNS + 3).join(',')).message).toBe('data.csv has 10,003 columns; Lathe imports tables of at most 10,000 columns.');
  });

  it('refuses as soon as the header line ends, keeping none of it meanwhile', () => {
    // 300,000 columns, fed in small chunks: the scanner throws at the chunk that ends the
    // header, before any data row arrives.
    const scanner = createTableScanner({ format: 'csv', fileName: 'wide.csv' });
    const header = bytesOf(`${names(300_000).join(',')}\n`);
    let thrown: unknown = null;
    let fed = 0;
    for (let at = 0; at < header.length && thrown === null; at += 4096) {
      try {
        scanner.write(header.subarray(at, at + 4096));
        fed = at + 4096;
      } catch (error) {
        thrown = error;
      }
    }
    expect(fed).toBeLessThan(header.length);
    expect(fed + 4096).toBeGreaterThanOrEqual(header.length);
    expect(thrown).toBeInstanceOf(LatheFailure);
    expect((thrown as LatheFailure).error.message).toBe('wide.csv has 300,000 columns; Lathe imports tables of at most 10,000 columns.');
  });

  it('JSON Lines: the object that adds the first column too many, located there', () => {
    const first = JSON.stringify(Object.fromEntries(names(MAX_COLUMNS - 1).map((name) => [name, 1])));
    const text = `${first}\n{"c1": 2}\n  {"c2": 3, "extra": 4, "more": 5}\n`;
    const error = scanError(text, { format: 'jsonl' });
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toBe('data.jsonl has more than 10,000 columns: the object at line 3 adds another, "more"; Lathe imports tables of at most 10,000 columns.');
    expect(error.location).toEqual({ file: 'data.jsonl', line: 3, column: 3, row: 2, field: 'more' });
  });

  it('a JSON array: keys across elements count', () => {
    const half = (from: number) => JSON.stringify(Object.fromEntries(names(MAX_COLUMNS / 2).map((_, i) => [`k${from + i}`, i])));
    const error = scanError(`[${half(0)},\n${half(MAX_COLUMNS / 2)},\n${half(MAX_COLUMNS)}]`, { format: 'json' });
    expect(error.message).toBe(`data.json has more than 10,000 columns: the object at line 3 adds another, "k${MAX_COLUMNS}"; Lathe imports tables of at most 10,000 columns.`);
    expect(error.location).toMatchObject({ line: 3, column: 1, row: 2 });
  });
});
