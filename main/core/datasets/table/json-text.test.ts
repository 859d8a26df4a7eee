import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepJsonText, jsonText } from './json-text.ts';
import { scan, scanError } from './scan-test-helpers.ts';

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('the JSON text of a nested value', () => {
  it('is what JSON.stringify writes, for any value JSON.parse returns', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed: unknown = JSON.parse(JSON.stringify(value));
        expect(deepJsonText(parsed)).toBe(JSON.stringify(parsed));
      }),
      { numRuns: 500 },
    );
    expect(deepJsonText(JSON.parse('{"2":1,"b":[true,null,"\\u0000\\ud800"],"1":{},"__proto__":-0}'))).toBe('{"1":{},"2":1,"b":[true,null,"\\u0000\\ud800"],"__proto__":0}');
  });

  it('is written at a depth where JSON.stringify overflows the stack', () => {
    const value: unknown = JSON.parse(nested(200_000));
    expect(() => JSON.stringify(value)).toThrow(RangeError);
    expect(jsonText(value)).toBe(nested(200_000));
  });
});

describe('a record holding deeply nested JSON', () => {
  for (const [format, wrap] of [
    ['jsonl', (records: string[]) => `${records.join('\n')}\n`],
    ['json', (records: string[]) => `[${records.join(',\n')}]`],
  ] as const) {
    it(`${format}: imports arrays or objects nested 100,000 deep as the value's JSON text`, () => {
      const result = scan(wrap(['{"id": 1, "deep": 1}', `{"id": 2, "deep": ${nested(100_000)}}`, `{"id": 3, "deep": ${nestedObjects(100_000)}}`]), { format, maxPreviewCellChars: 20 });
      expect(result.rows).toBe(3);
      expect(result.profile[1]).toMatchObject({ name: 'deep', type: 'string', count: 3, distinct: 3 });
      expect(result.preview.rows[1]).toEqual([2, '['.repeat(20)]);
      expect(result.profile[1]?.top.map((top) => top.value.length)).toEqual([1, 201, 201]);
    });

    it(`${format}: a nested value left unclosed is a parse error at the line and column where it ends`, () => {
      const error = scanError(wrap(['{"id": 1}', `{"id": 2, "deep": ${'['.repeat(100_000)}${']'.repeat(99_999)}}`]), { format });
      expect(error.code).toBe('PARSE_ERROR');
      expect(error.message).toContain('is not valid JSON at line 2');
      expect(error.location).toMatchObject({ line: 2, row: 1 });
      expect(error.location?.column).toBeGreaterThan(199_000);
    });
  }
});
