import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeJsonText, visible } from './terminal-text.ts';

// What a terminal acts on: C0 controls, DEL, C1 controls (U+009B is a one-byte CSI), the line and
// paragraph separators and the bidi controls.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const DRIVES_A_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const nastyChar = fc.constantFrom('\x1b', '\x9b', '\u202e', '\u2066', '\u2069', '\x07', '\x08', '\r', '\n', '\t', '\x00', '\x7f', '\x85', '\u2028', '\u200f');
const nastyText = fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), nastyChar)).map((parts) => parts.join(''));

describe('visible', () => {
  it('shows escape sequences, C1 controls and bidi overrides as text', () => {
    expect(visible('a\x1b[2Jb')).toBe('a\\x1b[2Jb');
    expect(visible('\x9b31m')).toBe('\\x9b31m');
    expect(visible('evil\u202etxt.exe')).toBe('evil\\u202etxt.exe');
    expect(visible('\x07\x08\x7f\x00')).toBe('\\x07\\x08\\x7f\\x00');
    expect(visible('tab\there\r\nnext')).toBe('tab\\there\\r\\nnext');
  });

  it('keeps line breaks only where a block of lines is meant', () => {
    expect(visible('one\ntwo\r\n\x1b[31mthree', { lines: true })).toBe('one\ntwo\\r\n\\x1b[31mthree');
  });

  it('leaves ordinary text alone, whatever its script', () => {
    for (const text of ['Zürich', 'Ελληνικά', 'שלום', 'عربي', '日本語', '🐧 penguins', 'C:\\data\\x.csv']) expect(visible(text)).toBe(text);
  });

  it('never lets a terminal-driving character through', () => {
    fc.assert(
      fc.property(nastyText, fc.boolean(), (text, lines) => {
        const shown = visible(text, { lines });
        expect(lines ? shown.replaceAll('\n', '') : shown).not.toMatch(DRIVES_A_TERMINAL);
        expect(shown.split('\n')).toHaveLength(lines ? text.split('\n').length : 1);
      }),
    );
  });
});

describe('safeJsonText', () => {
  it('writes C1, DEL, separators and bidi controls as \\u escapes', () => {
    const json = safeJsonText(JSON.stringify({ cell: '\x1b[2J\x9b\u202e\u2028\x7f' }));
    expect(json).toBe('{"cell":"\\u001b[2J\\u009b\\u202e\\u2028\\u007f"}');
  });

  it('keeps the same JSON value, with nothing that drives a terminal', () => {
    fc.assert(
      fc.property(fc.jsonValue(), nastyText, (value, text) => {
        const original = { value, text, [text]: [text] };
        const json = safeJsonText(JSON.stringify(original, null, 2));
        expect(json.replaceAll('\n', '')).not.toMatch(DRIVES_A_TERMINAL);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(original)));
      }),
    );
  });
});
