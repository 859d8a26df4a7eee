import { describe, expect, it } from 'vitest';
import { byteByByte, bytesOf, scan, scanError } from './scan-test-helpers.ts';

const json = { format: 'json' } as const;

describe('JSON: a top-level array of objects', () => {
  it('makes columns from the union of keys, in order of first appearance', () => {
    const result = scan('[{"b": 1, "a": "x"}, {"c": true}, {"a": "y", "b": 2}]', json);
    expect(result.columns).toEqual(['b', 'a', 'c']);
    expect(result.rows).toBe(3);
    expect(result.preview.rows).toEqual([
      [1, 'x', null],
      [null, null, true],
      [2, 'y', null],
    ]);
    const [b, a, c] = result.profile;
    expect(b).toMatchObject({ type: 'integer', count: 2, missing: 1 });
    expect(a).toMatchObject({ type: 'string', count: 2, missing: 1 });
    expect(c).toMatchObject({ type: 'boolean', count: 1, missing: 2, missingShare: 2 / 3 });
  });

  it('keeps file order for keys that look like numbers (JS objects would list them first)', () => {
    expect(scan('[{"name": "x", "2024": 1, "7": 2}]', json).columns).toEqual(['name', '2024', '7']);
  });

  it('treats null as missing, keeps strings as strings and nested values as their JSON text', () => {
    const result = scan('[{"n": "12", "when": "2024-01-31", "nested": {"x": [1, 2]}, "gone": null}, {"n": "7", "when": "2024-02-01T10:00:00Z", "nested": [], "gone": null}]', json);
    expect(result.profile.map((column) => column.type)).toEqual(['string', 'datetime', 'string', 'empty']);
    expect(result.preview.rows[0]).toEqual(['12', '2024-01-31', '{"x":[1,2]}', null]);
    expect(result.profile[2]?.top).toEqual([
      { value: '{"x":[1,2]}', count: 1 },
      { value: '[]', count: 1 },
    ]);
  });

  it('types numbers: integers, numbers, and a mix of numbers and strings as string', () => {
    const result = scan('[{"i": 1, "f": 1.5, "m": 1}, {"i": -3, "f": 2, "m": "one"}]', json);
    expect(result.profile.map((column) => column.type)).toEqual(['integer', 'number', 'string']);
    expect(result.profile[1]).toMatchObject({ min: 1.5, max: 2, mean: 1.75 });
    expect(result.profile[2]).toMatchObject({ min: null, mean: null });
  });

  it('handles strings holding brackets, braces, quotes and escapes, split anywhere', () => {
    const text = ' [ {"a": "}]{[", "b": "say \\"hi\\" \\\\"}, \r\n {"a": "\\u00e9", "b": "日本"} ] \n';
    const result = scan(text, json);
    expect(result.preview.rows).toEqual([
      ['}]{[', 'say "hi" \\'],
      ['é', '日本'],
    ]);
    expect(scan(byteByByte(bytesOf(text)), json)).toEqual(result);
  });
});

describe('JSON: what it rejects, and where', () => {
  it('an empty file or an empty array', () => {
    expect(scanError('  \n', json)).toMatchObject({ code: 'PARSE_ERROR', message: 'data.json is empty: there is no JSON array in it.' });
    const empty = scanError('[ ]', json);
    expect(empty.message).toBe('data.json holds an empty array: there are no rows to import.');
    expect(empty.location).toEqual({ file: 'data.json', line: 1, column: 1 });
  });

  it('a top level that is not an array', () => {
    const error = scanError('\n  {"a": 1}', json);
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('data.json is not a JSON array of objects: it starts with an object at line 2, column 3.');
    expect(error.location).toEqual({ file: 'data.json', line: 2, column: 3 });
    expect(error.hint).toContain('.jsonl');
  });

  it('an element that is not an object', () => {
    const error = scanError('[{"a": 1},\n 2]', json);
    expect(error.message).toBe('Element 2 of the array in data.json is not an object: it starts with a number at line 2, column 2.');
    expect(error.location).toEqual({ file: 'data.json', line: 2, column: 2, row: 1 });
    expect(scanError('[[1]]', json).message).toContain('it starts with an array');
  });

  it('text after the array', () => {
    const error = scanError('[{"a": 1}]\n[{"a": 2}]', json);
    expect(error.message).toBe('data.json has an array after the end of the array, at line 2, column 1.');
    expect(error.location).toEqual({ file: 'data.json', line: 2, column: 1 });
  });

  it('a missing comma or a trailing comma between elements', () => {
    const missing = scanError('[{"a": 1} {"a": 2}]', json);
    expect(missing.message).toBe('data.json has an object at line 1, column 11 where "," or "]" should follow element 1 of the array.');
    expect(missing.location).toEqual({ file: 'data.json', line: 1, column: 11, row: 0 });
    const trailing = scanError('[{"a": 1},\n]', json);
    expect(trailing.message).toBe('data.json has a "," with no element after it, before the "]" at line 2, column 1.');
    expect(trailing.location).toEqual({ file: 'data.json', line: 2, column: 1 });
  });

  it('a file that ends inside an element, pointing at where the element starts', () => {
    const error = scanError('[{"a": 1},\n  {"a": "unfinished', json);
    expect(error.message).toBe('data.json ends inside element 2 of the array, which starts at line 2, column 3: the object is never closed.');
    expect(error.location).toEqual({ file: 'data.json', line: 2, column: 3, row: 1 });
  });

  it('a file that ends before the array is closed', () => {
    const error = scanError('[{"a": 1},\n{"a": 2}\n', json);
    expect(error.message).toBe('data.json ends before the array is closed with "]" (line 3, column 1).');
    expect(error.location).toEqual({ file: 'data.json', line: 3, column: 1 });
  });

  it('invalid JSON inside an element, at the line and column of the file', () => {
    const error = scanError('[\n  {"a": 1},\n  {"a": 2,\n   "b": tru}\n]', json);
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('data.json is not valid JSON at line 4, column 9: expected a value but found "t".');
    expect(error.location).toEqual({ file: 'data.json', line: 4, column: 9, row: 1 });
    const unquoted = scanError('[{"été": 1, b: 2}]', json);
    expect(unquoted.message).toBe('data.json is not valid JSON at line 1, column 13: expected a property name in double quotes but found "b".');
  });
});
