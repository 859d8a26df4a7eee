import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogText, wholeCharactersEnd, wholeCharactersStart } from './log-text.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

function clean(chunks: readonly Uint8Array[]): string {
  const log = new LogText();
  return chunks.map((chunk) => log.push(chunk)).join('') + log.end();
}

describe('log text', () => {
  it('makes CRLF and a lone CR one line break, even when a chunk ends between CR and LF', () => {
    expect(clean([bytes('a\r\nb\r'), bytes('\nc\rd\r')])).toBe('a\nb\nc\nd\n');
  });

  it('joins a character cut between chunks, and shows bytes that are not UTF-8 as U+FFFD', () => {
    const euro = bytes('€'); // 3 bytes
    expect(clean([euro.subarray(0, 1), euro.subarray(1, 2), euro.subarray(2)])).toBe('€');
    expect(clean([Uint8Array.of(0x61, 0xff, 0x62)])).toBe('a\ufffdb');
    expect(clean([euro.subarray(0, 2)])).toBe('\ufffd');
  });

  it('removes colours, cursor moves, titles and other control or direction characters, keeping tabs', () => {
    expect(clean([bytes('\u001b[1;31mred\u001b[0m\t\u001b]0;title\u0007ok\u0000\u0008\u202e!\n')])).toBe('red\tok!\n');
  });

  it('waits for an escape sequence cut between chunks, and removes it whole', () => {
    // ESC @ (a C1 control) cut after ESC: the @ is part of it, as when it came in one chunk (fast-check found it).
    expect(clean([Uint8Array.of(27), bytes('@ok')])).toBe('ok');
    expect(clean([bytes('a\u001b[1;3'), bytes('1mred\u001b]0;ti'), bytes('tle\u001b'), bytes('\\b')])).toBe('aredb');
    // Never finished: what an unfinished one leaves is what it leaves all at once.
    expect(clean([bytes('x\u001b['), bytes('')])).toBe(clean([bytes('x\u001b[')]));
  });

  it('whatever the bytes and however they are cut, gives the same text as all at once, free of control characters', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(200)), (data, cuts) => {
        const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((start, i) => data.subarray(start, [...points, data.length][i]));
        const text = clean(chunks);
        expect(text).toBe(clean([data]));
        // eslint-disable-next-line no-control-regex -- none may be left
        expect(/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)).toBe(false);
      }),
    );
  });
});

describe('pages cut on whole characters', () => {
  it('moves an end back before a cut character and a start past one', () => {
    const text = bytes('a€b'); // a, e2 82 ac, b
    expect([0, 1, 2, 3, 4, 5].map((end) => wholeCharactersEnd(text, end))).toEqual([0, 1, 1, 1, 4, 5]);
    expect([0, 1, 2, 3, 4].map((start) => wholeCharactersStart(text, start))).toEqual([0, 1, 4, 4, 4]);
  });
});
