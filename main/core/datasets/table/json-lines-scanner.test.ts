import { describe, expect, it } from 'vitest';
import { byteByByte, bytesOf, scan, scanError } from './scan-test-helpers.ts';

const jsonl = { format: 'jsonl' } as const;

describe('JSON Lines: one object per line', () => {
  it('reads objects line by line, skipping blank lines, with the JSON column rules', () => {
    const text = '{"a": 1, "b": "x"}\n\n  \r\n{"c": [1], "a": null}\r\n{"b": "y"}\n\n';
    const result = scan(text, jsonl);
    expect(result.columns).toEqual(['a', 'b', 'c']);
    expect(result.rows).toBe(3);
    expect(result.preview.rows).toEqual([
      [1, 'x', null],
      [null, null, '[1]'],
      [null, 'y', null],
    ]);
    expect(result.parse.lineEnding).toBe('mixed');
    expect(scan(byteByByte(bytesOf(text)), jsonl)).toEqual(result);
  });

  it('reads a last line without a newline', () => {
    expect(scan('{"a": 1}\n{"a": 2}', jsonl).rows).toBe(2);
  });
});

describe('JSON Lines: what it rejects, and where', () => {
  it('an empty file', () => {
    expect(scanError('\n\n', jsonl)).toMatchObject({ code: 'PARSE_ERROR', message: 'data.jsonl is empty: it has no JSON objects, one per line.' });
  });

  it('a line that is not an object', () => {
    const error = scanError('{"a": 1}\n  [1, 2]\n', jsonl);
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('Line 2 of data.jsonl is not a JSON object: it starts with an array.');
    expect(error.location).toEqual({ file: 'data.jsonl', line: 2, column: 3, row: 1 });
    expect(scanError('{"a": 1}\n"x"\n', jsonl).message).toContain('it starts with a string');
    expect(scanError('{"a": 1}\nhello\n', jsonl).message).toContain('it starts with "h"');
  });

  it('invalid JSON on a line, at its column', () => {
    const error = scanError('{"a": 1}\n{"a": 2} {"a": 3}\n', jsonl);
    expect(error.message).toBe('data.jsonl is not valid JSON at line 2, column 10: unexpected "{" after the end of the value.');
    expect(error.location).toEqual({ file: 'data.jsonl', line: 2, column: 10, row: 1 });
  });
});
