import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreOnNewWorkspace } from '../../testing/core-fixture.ts';
import { writeSyntheticCsv } from '../../testing/generate-table.ts';
import { useTempDirs } from '../../testing/temp-dir.ts';
import { createTableReader, type WantedColumn } from './table-reader.ts';
import type { TableColumn, TableColumns } from './table-columns.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

function read(format: 'csv' | 'tsv' | 'json' | 'jsonl', text: string | Uint8Array, wanted: WantedColumn[], chunkSizes: number[] = []): TableColumns {
  const all = typeof text === 'string' ? bytes(text) : text;
  const reader = createTableReader(format, wanted, 4);
  let at = 0;
  for (const size of chunkSizes) {
    reader.write(all.subarray(at, Math.min(all.length, at + size)));
    at = Math.min(all.length, at + size);
  }
  reader.write(all.subarray(at));
  return reader.end();
}

function values(column: TableColumn | undefined): (string | number | null)[] {
  if (!column) throw new Error('no such column');
  if (column.reading === 'category') return Array.from(column.codes, (code) => (code < 0 ? null : column.names[code]!));
  return Array.from(column.values, (value) => (Number.isNaN(value) ? null : value));
}

describe('reading a version\'s columns for training', () => {
  const csv = '\ufeffname,score,ok,day,note\r\n"Smith, J",1.5,TRUE,2024-02-29,"said ""hi"""\r\n\r\nLee,NA,false,2024-03-01T12:00:00Z,\r\n  Ng ,-2e3,,N/A,5\'11" tall\r\n';
  const wanted: WantedColumn[] = [
    { name: 'name', reading: 'category' },
    { name: 'score', reading: 'number' },
    { name: 'ok', reading: 'boolean' },
    { name: 'day', reading: 'datetime' },
    { name: 'note', reading: 'category' },
  ];

  it('reads CSV as the import does: quotes, "" escapes, CRLF, blank lines, a BOM, missing tokens', () => {
    const table = read('csv', csv, wanted);
    expect(table.rows).toBe(3);
    expect(values(table.columns.get('name'))).toEqual(['Smith, J', 'Lee', '  Ng ']);
    expect(values(table.columns.get('score'))).toEqual([1.5, null, -2000]);
    expect(values(table.columns.get('ok'))).toEqual([1, 0, null]);
    expect(values(table.columns.get('day'))).toEqual([19782, 19783.5, null]);
    expect(values(table.columns.get('note'))).toEqual(['said "hi"', null, '5\'11" tall']);
  });

  it('reads the same whatever the chunks (any split, even inside a quoted line break or a character)', () => {
    const text = `${csv}"multi\nline",7,true,2024-01-01,é€😀\n`;
    const whole = read('csv', text, wanted);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 40 }), (sizes) => {
        const chunked = read('csv', text, wanted, sizes);
        for (const column of wanted) expect(values(chunked.columns.get(column.name))).toEqual(values(whole.columns.get(column.name)));
      }),
    );
    expect(values(whole.columns.get('name')).at(-1)).toBe('multi\nline');
    expect(values(whole.columns.get('note')).at(-1)).toBe('é€😀');
  });

  it('reads TSV, a last row without a line break, and skips columns nobody asked for', () => {
    const table = read('tsv', 'a\tb\tc\n1\tx\t2\n3\ty\t4', [{ name: 'c', reading: 'number' }]);
    expect(table.rows).toBe(2);
    expect([...table.columns.keys()]).toEqual(['c']);
    expect(values(table.columns.get('c'))).toEqual([2, 4]);
  });

  it('reads JSON arrays and JSON Lines: null or an absent key is missing, "NA" is text', () => {
    const records = [{ k: 'a', n: 1, b: true }, { k: 'NA', n: null }, { n: 2.5, b: false, k: 7 }];
    const want: WantedColumn[] = [{ name: 'k', reading: 'category' }, { name: 'n', reading: 'number' }, { name: 'b', reading: 'boolean' }];
    for (const [format, text] of [['json', JSON.stringify(records)], ['jsonl', records.map((r) => JSON.stringify(r)).join('\n') + '\n\n']] as const) {
      const table = read(format, text, want, [5, 3]);
      expect(table.rows).toBe(3);
      expect(values(table.columns.get('k'))).toEqual(['a', 'NA', '7']);
      expect(values(table.columns.get('n'))).toEqual([1, null, 2.5]);
      expect(values(table.columns.get('b'))).toEqual([1, null, 0]);
    }
  });
});

describe('agreeing with the import', () => {
  const tempDir = useTempDirs();

  it('finds, per column, the values and the distinct values the import profiled', async () => {
    const root = await tempDir();
    const { core, workspace, call } = await coreOnNewWorkspace(root);
    try {
      const path = join(root, 'synthetic.csv');
      await writeSyntheticCsv(path, 60_000, 3);
      await call('datasets:import-file', { workspace, path, name: 'synthetic' });
      const { profile } = await call('datasets:show', { workspace, name: 'synthetic' });
      const reading = (type: string) => (type === 'integer' || type === 'number' ? 'number' : type === 'boolean' ? 'boolean' : type === 'datetime' ? 'datetime' : 'category');
      const wanted = profile.map((column) => ({ name: column.name, reading: reading(column.type) }) as WantedColumn);
      const table = read('csv', await readFile(path), wanted, [4096, 777, 12_345]);
      for (const column of profile) {
        const got = values(table.columns.get(column.name));
        expect(table.rows).toBe(got.length);
        expect({ column: column.name, count: got.filter((value) => value !== null).length }).toEqual({ column: column.name, count: column.count });
        if (!column.approximate) expect({ column: column.name, distinct: new Set(got.filter((value) => value !== null)).size }).toEqual({ column: column.name, distinct: column.distinct });
      }
    } finally {
      await core.close();
    }
  });
});
