import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { multiLineText, oneLineText, unsafeCharacter } from './text-fields.ts';

describe('text that reaches git and terminals', () => {
  it('names the first unsafe character and where it is', () => {
    expect(unsafeCharacter('data\u0000.csv', false)).toBe('U+0000 at character 5');
    expect(unsafeCharacter('\u001b[2Jgone', true)).toBe('U+001B at character 1');
    expect(unsafeCharacter('abc\u202Etxt.exe', false)).toBe('U+202E at character 4');
    expect(unsafeCharacter('lone\rreturn', true)).toBe('U+000D at character 5');
  });

  it('lets a message have line breaks and tabs, and a file name not', () => {
    expect(unsafeCharacter('Add 2009 season\r\n\nFixes:\ta typo', true)).toBeNull();
    expect(unsafeCharacter('two\nlines.csv', false)).toBe('U+000A at character 4');
    expect(unsafeCharacter('Données été — 2024.csv', false)).toBeNull();
  });

  it('refuses through the schema with a message that says what to do', () => {
    const parsed = oneLineText(255, 'the file name').safeParse('a\u0000b.csv');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('the file name contains a control or text-direction character (U+0000 at character 2); remove it');
    expect(multiLineText(10, 'the message').safeParse('x'.repeat(11)).success).toBe(false);
  });

  it('accepts exactly the strings with no C0/C1 control other than line breaks and tabs', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const accepted = multiLineText(1000, 'text').safeParse(text).success;
        const unsafe = [...text.replace(/\r\n/g, '\n')].some((c) => {
          const code = c.codePointAt(0)!;
          return (code < 0x20 && c !== '\n' && c !== '\t') || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
        });
        expect(accepted).toBe(!unsafe);
      }),
      { numRuns: 3000 },
    );
  });
});
