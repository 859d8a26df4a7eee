import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PreviewCell } from '../../../../shared/contract/datasets.ts';
import { LatheFailure } from '../../errors.ts';
import { MISSING_VALUE_TOKENS } from './missing-values.ts';
import { bytesOf, scan, splitAt } from './scan-test-helpers.ts';
import { createTableScanner, readPreview } from './table-scanner.ts';

/** An async stream of chunks that records how many were pulled and whether it was closed. */
function stream(chunks: Uint8Array[]) {
  const state = { pulled: 0, closed: false };
  const iterable: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]() {
      return {
        next: async () => (state.pulled < chunks.length ? { done: false, value: chunks[state.pulled++] as Uint8Array } : { done: true, value: undefined }),
        return: async () => {
          state.closed = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { iterable, state };
}

const lines = (count: number) => ['n,label', ...Array.from({ length: count }, (_, i) => `${i},row ${i}`)].join('\n') + '\n';

describe('the scanner', () => {
  it('reports progress in rows as it goes', () => {
    const scanner = createTableScanner({ format: 'csv', fileName: 'data.csv' });
    scanner.write(bytesOf('a\n1\n2\n3'));
    expect(scanner.rows).toBe(2);
    expect(scanner.end().rows).toBe(3);
  });

  it('keeps the first previewRows rows and cuts long cells', () => {
    const result = scan(`id,text\n1,${'x'.repeat(50)}\n2,short\n3,third\n`, { previewRows: 2, maxPreviewCellChars: 10 });
    expect(result.rows).toBe(3);
    expect(result.preview).toEqual({ columns: ['id', 'text'], rows: [['1', 'x'.repeat(10)], ['2', 'short']], truncatedCells: true });
    expect(scan('a\n1\n').preview.truncatedCells).toBe(false);
  });

  it('never cuts a character in half in a preview cell', () => {
    const result = scan('a\n😀😀😀\n', { maxPreviewCellChars: 3 });
    expect(result.preview.rows).toEqual([['😀']]);
  });

  it('does not keep chunks: the caller may reuse its buffer', () => {
    const scanner = createTableScanner({ format: 'csv', fileName: 'data.csv' });
    const buffer = new Uint8Array(64);
    const feed = (text: string) => {
      const bytes = bytesOf(text);
      buffer.set(bytes);
      scanner.write(buffer.subarray(0, bytes.length));
      buffer.fill(0x7a);
    };
    feed('name\n');
    for (let i = 0; i < 20_050; i++) feed(`value-number-${i}\n`);
    const [profile] = scanner.end().profile;
    expect(profile?.approximate).toBe(true);
    expect(profile?.top.every((top) => top.value.startsWith('value-number-'))).toBe(true);
  });

  it('stops in preview mode once it has the rows, and says so', () => {
    const scanner = createTableScanner({ format: 'csv', fileName: 'data.csv', mode: 'preview', previewRows: 2 });
    scanner.write(bytesOf('a\n1\n2\n3\n'));
    expect(scanner.done).toBe(true);
    scanner.write(bytesOf('not,read,"at all\n'));
    const result = scanner.end();
    expect(result.rows).toBe(2);
    expect(result.preview.rows).toEqual([['1'], ['2']]);
  });

  it('throws the same failure again once it has failed', () => {
    const scanner = createTableScanner({ format: 'csv', fileName: 'data.csv' });
    let first: unknown;
    try {
      scanner.write(bytesOf('a,b\n1,2,3\n'));
    } catch (error) {
      first = error;
    }
    expect(first).toBeInstanceOf(LatheFailure);
    expect(() => scanner.write(bytesOf('4,5\n'))).toThrow(first as Error);
    expect(() => scanner.end()).toThrow(first as Error);
  });
});

describe('readPreview', () => {
  it('reads only as many chunks as the preview needs, then closes the stream', async () => {
    const bytes = bytesOf(lines(10_000));
    const chunks = splitAt(bytes, Array.from({ length: 100 }, (_, i) => (i + 1) * 1000));
    const { iterable, state } = stream(chunks);
    const preview = await readPreview(iterable, { format: 'csv', fileName: 'data.csv', previewRows: 5 });
    expect(preview.rows).toEqual([0, 1, 2, 3, 4].map((i) => [String(i), `row ${i}`]));
    expect(state.pulled).toBe(1);
    expect(state.closed).toBe(true);
  });

  it('reads a short file to the end', async () => {
    const { iterable } = stream([bytesOf('[{"a": 1}, '), bytesOf('{"a": null}]')]);
    expect(await readPreview(iterable, { format: 'json', fileName: 'data.json' })).toEqual({ columns: ['a'], rows: [[1], [null]], truncatedCells: false });
  });

  it('still reports a bad file', async () => {
    const { iterable } = stream([bytesOf('a,b\n1\n')]);
    await expect(readPreview(iterable, { format: 'csv', fileName: 'data.csv' })).rejects.toThrow('has 1 field');
  });
});

// ---- Properties: random tables, serialised, split anywhere. ----

const tricky = fc.constantFrom(',', '"', '""', '\n', '\r', '\r\n', '\t', ' ', 'é', '日本', '😀', 'NA', 'x');
const cellText = fc.oneof(
  fc.array(fc.oneof(tricky, fc.string({ unit: 'grapheme-ascii', maxLength: 4 })), { maxLength: 5 }).map((parts) => parts.join('')),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom(...MISSING_VALUE_TOKENS, 'true', 'FALSE', '2024-02-29', '2024-01-31T12:00:00Z'),
);
const header = fc.uniqueArray(
  cellText.filter((name) => name.trim() !== ''),
  { minLength: 1, maxLength: 5 },
);
const table = header.chain((names) =>
  fc.record({
    names: fc.constant(names),
    rows: fc.array(fc.array(cellText, { minLength: names.length, maxLength: names.length }), { minLength: 1, maxLength: 12 }),
    crlf: fc.boolean(),
    finalNewline: fc.boolean(),
    bom: fc.boolean(),
  }),
);

/** RFC 4180 writing, as Python's csv module does it (it quotes a lone empty field too). */
function writeCsv(t: { names: string[]; rows: string[][]; crlf: boolean; finalNewline: boolean; bom: boolean }, delimiter: string): string {
  const quote = (cell: string, lone: boolean) =>
    cell.includes(delimiter) || cell.includes('"') || cell.includes('\n') || cell.includes('\r') || (lone && cell === '') ? `"${cell.replaceAll('"', '""')}"` : cell;
  const line = (cells: string[]) => cells.map((cell) => quote(cell, cells.length === 1)).join(delimiter);
  const newline = t.crlf ? '\r\n' : '\n';
  return (t.bom ? '\uFEFF' : '') + [t.names, ...t.rows].map(line).join(newline) + (t.finalNewline ? newline : '');
}

const expectedCell = (cell: string): PreviewCell => (MISSING_VALUE_TOKENS.includes(cell) ? null : cell);
const cuts = (length: number) => fc.array(fc.integer({ min: 0, max: length }), { maxLength: 12 });

describe('properties', () => {
  for (const format of ['csv', 'tsv'] as const) {
    it(`${format}: what is written is read back, cell for cell`, () => {
      fc.assert(
        fc.property(table, (t) => {
          const result = scan(writeCsv(t, format === 'csv' ? ',' : '\t'), { format, previewRows: 1000 });
          expect(result.columns).toEqual(t.names);
          expect(result.rows).toBe(t.rows.length);
          expect(result.preview.rows).toEqual(t.rows.map((row) => row.map(expectedCell)));
          expect(result.parse.bom).toBe(t.bom);
        }),
        { numRuns: 400 },
      );
    });

    it(`${format}: splitting the bytes into chunks anywhere changes nothing`, () => {
      fc.assert(
        fc.property(
          table.chain((t) => {
            const bytes = bytesOf(writeCsv(t, format === 'csv' ? ',' : '\t'));
            return fc.tuple(fc.constant(bytes), cuts(bytes.length));
          }),
          ([bytes, at]) => {
            expect(scan(splitAt(bytes, at), { format })).toEqual(scan(bytes, { format }));
          },
        ),
        { numRuns: 400 },
      );
    });
  }

  const record = fc.dictionary(fc.constantFrom('a', 'b', 'é', '2', '10', 'long key'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 });
  const records = fc.array(record, { minLength: 1, maxLength: 10 });

  it('json: splitting the bytes into chunks anywhere changes nothing', () => {
    fc.assert(
      fc.property(
        records.chain((rows) => {
          const bytes = bytesOf(JSON.stringify(rows, null, rows.length % 3));
          return fc.tuple(fc.constant(bytes), cuts(bytes.length));
        }),
        ([bytes, at]) => {
          expect(scan(splitAt(bytes, at), { format: 'json' })).toEqual(scan(bytes, { format: 'json' }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('jsonl: splitting the bytes into chunks anywhere changes nothing', () => {
    fc.assert(
      fc.property(
        records.chain((rows) => {
          const bytes = bytesOf(rows.map((row) => JSON.stringify(row)).join('\n'));
          return fc.tuple(fc.constant(bytes), cuts(bytes.length));
        }),
        ([bytes, at]) => {
          expect(scan(splitAt(bytes, at), { format: 'jsonl' })).toEqual(scan(bytes, { format: 'jsonl' }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('json: values come back as JSON values, absent keys as null', () => {
    fc.assert(
      fc.property(records, (generated) => {
        const text = JSON.stringify(generated);
        // What the text says (JSON has no -0: it is written as 0).
        const rows = JSON.parse(text) as typeof generated;
        const result = scan(text, { format: 'json', previewRows: 1000, maxPreviewCellChars: 1e6 });
        expect(result.rows).toBe(rows.length);
        const expected = rows.map((row) =>
          result.columns.map((column) => {
            const value = Object.hasOwn(row, column) ? row[column] : null;
            return value === null || typeof value !== 'object' ? (value ?? null) : JSON.stringify(value);
          }),
        );
        expect(result.preview.rows).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
