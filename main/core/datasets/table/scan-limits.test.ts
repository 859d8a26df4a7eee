import { describe, expect, it } from 'vitest';
import { createTableScanner } from './table-scanner.ts';
import { bytesOf, scan, scanError } from './scan-test-helpers.ts';
import { LatheFailure } from '../../errors.ts';

const MiB = 1024 * 1024;

describe('size limits: a field or record over maxFieldBytes is TOO_LARGE, with its location', () => {
  it('an unquoted field', () => {
    const error = scanError(`a,b\n1,${'x'.repeat(2000)}\n`, { maxFieldBytes: 1000 });
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toBe('Field 2 ("b") at line 2, column 3 in data.csv is larger than 1000 bytes, the most Lathe reads as one value.');
    expect(error.location).toEqual({ file: 'data.csv', line: 2, column: 3, row: 0, field: 'b' });
  });

  it('a quoted field spread over many chunks', () => {
    const chunks = [bytesOf('a,b\n1,"'), ...Array.from({ length: 20 }, () => bytesOf('y'.repeat(100)))];
    const error = scanError(chunks, { maxFieldBytes: 1000 });
    expect(error.code).toBe('TOO_LARGE');
    expect(error.location).toEqual({ file: 'data.csv', line: 2, column: 3, row: 0, field: 'b' });
  });

  it('counts bytes, not characters', () => {
    expect(scanError(`a\n${'é'.repeat(600)}\n`, { maxFieldBytes: 1000 }).code).toBe('TOO_LARGE');
    expect(scan(`a\n${'é'.repeat(400)}\n`, { maxFieldBytes: 1000 }).rows).toBe(1);
  });

  it('stops early, in bounded memory, on a file with no newline at all', () => {
    const scanner = createTableScanner({ format: 'csv', fileName: 'flat.csv', maxFieldBytes: 64 * 1024 });
    const chunk = bytesOf('z'.repeat(16 * 1024));
    let written = 0;
    expect(() => {
      for (; written < 10_000; written++) scanner.write(chunk); // would be 160 MB
    }).toThrow(LatheFailure);
    expect(written).toBeLessThanOrEqual(5);
  });

  it('imports a 10 MB field under the limit', () => {
    const big = 'q'.repeat(10 * MiB);
    const text = `id,blob,n\n1,"${big}",2\n2,small,3\n`;
    const bytes = bytesOf(text);
    const chunks = [];
    for (let at = 0; at < bytes.length; at += 64 * 1024) chunks.push(bytes.subarray(at, at + 64 * 1024));
    const result = scan(chunks, { maxPreviewCellChars: 10 });
    expect(result.rows).toBe(2);
    expect(result.preview.rows).toEqual([
      ['1', 'qqqqqqqqqq', '2'],
      ['2', 'small', '3'],
    ]);
    expect(result.preview.truncatedCells).toBe(true);
    const blob = result.profile[1];
    expect(blob?.distinct).toBe(2);
    expect(blob?.top.map((top) => top.value.length)).toEqual([201, 5]);
  });

  it('a JSON element', () => {
    const error = scanError(`[{"a": 1},\n {"a": "${'x'.repeat(2000)}"}]`, { format: 'json', maxFieldBytes: 1000 });
    expect(error.code).toBe('TOO_LARGE');
    expect(error.location).toEqual({ file: 'data.json', line: 2, column: 2, row: 1 });
  });

  it('a JSON Lines line', () => {
    const error = scanError(`{"a": 1}\n{"a": "${'x'.repeat(2000)}"}\n`, { format: 'jsonl', maxFieldBytes: 1000 });
    expect(error.code).toBe('TOO_LARGE');
    expect(error.location).toEqual({ file: 'data.jsonl', line: 2, column: 1, row: 1 });
  });
});
