import { describe, expect, it } from 'vitest';
import { LatheFailure } from '../../errors.ts';
import { formatFromFileName } from './format-from-file-name.ts';

describe('formatFromFileName', () => {
  it('knows the table formats by extension, in any case', () => {
    expect(formatFromFileName('a.csv')).toBe('csv');
    expect(formatFromFileName('A.CSV')).toBe('csv');
    expect(formatFromFileName('x.tsv')).toBe('tsv');
    expect(formatFromFileName('x.Tab')).toBe('tsv');
    expect(formatFromFileName('/data/2024.01/x.json')).toBe('json');
    expect(formatFromFileName('C:\\data\\x.jsonl')).toBe('jsonl');
    expect(formatFromFileName('x.NDJSON')).toBe('jsonl');
  });

  it('refuses anything else, saying what the file is', () => {
    try {
      formatFromFileName('/home/me/x.xlsx');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LatheFailure);
      expect((error as LatheFailure).error).toMatchObject({
        code: 'UNSUPPORTED_FORMAT',
        message: 'Lathe imports .csv, .tsv, .json (an array of objects) and .jsonl/.ndjson files; "x.xlsx" is a .xlsx file.',
        location: { file: '/home/me/x.xlsx' },
      });
      expect((error as LatheFailure).error.hint).toContain('CSV UTF-8');
    }
    expect(() => formatFromFileName('README')).toThrow('"README" has no file extension');
    expect(() => formatFromFileName('.csv')).toThrow('has no file extension');
    expect(() => formatFromFileName('data.csv.gz')).toThrow('is a .gz file');
  });
});
