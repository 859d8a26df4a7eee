import { describe, expect, it } from 'vitest';
import { splitInlineCode } from './inline-code.ts';

describe('splitInlineCode', () => {
  it('marks backticked parts as code', () => {
    expect(splitInlineCode('Run `lathe init /w` or choose "New workspace…".')).toEqual([
      { text: 'Run ', code: false },
      { text: 'lathe init /w', code: true },
      { text: ' or choose "New workspace…".', code: false },
    ]);
  });
  it('keeps plain text and unmatched backticks as they are', () => {
    expect(splitInlineCode('plain')).toEqual([{ text: 'plain', code: false }]);
    expect(splitInlineCode('a ` b')).toEqual([{ text: 'a ` b', code: false }]);
    expect(splitInlineCode('')).toEqual([]);
  });
});
