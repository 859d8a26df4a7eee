import { describe, expect, it } from 'vitest';
import { byteByByte, bytesOf, scan, scanError, splitAt } from './scan-test-helpers.ts';
import { firstInvalidByte } from './utf8-check.ts';

const join = (...parts: (string | number[])[]) => {
  const chunks = parts.map((part) => (typeof part === 'string' ? bytesOf(part) : Uint8Array.from(part)));
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
};

describe('UTF-8: the text must be UTF-8', () => {
  it('rejects an invalid byte, with its line, column and byte offset', () => {
    const bytes = join('id,name\n1,ok\n2,caf', [0xff], 'e\n');
    const error = scanError(bytes);
    expect(error.code).toBe('ENCODING_ERROR');
    expect(error.message).toBe('data.csv is not valid UTF-8 at line 3, column 6 (byte 0xff); save it as UTF-8 and import again.');
    expect(error.location).toEqual({ file: 'data.csv', line: 3, column: 6, byteOffset: 18 });
    expect(error.hint).toContain('CSV UTF-8');
  });

  it('finds the same bad byte whatever the chunking, even inside a split character', () => {
    // "é" is C3 A9; here C3 is followed by "x": the sequence starting at C3 is bad.
    const bytes = join('a,b\nÄ,', [0xc3], 'x\n');
    const whole = scanError(bytes);
    expect(whole.location).toEqual({ file: 'data.csv', line: 2, column: 3, byteOffset: 7 });
    expect(whole.message).toContain('(byte 0xc3)');
    expect(scanError(byteByByte(bytes))).toEqual(whole);
    expect(scanError(splitAt(bytes, [7]))).toEqual(whole);
  });

  it('counts columns in characters before the bad byte', () => {
    const error = scanError(join('name\n日本語', [0x80], '\n'));
    expect(error.location).toEqual({ file: 'data.csv', line: 2, column: 4, byteOffset: 14 });
  });

  it('rejects overlong forms and surrogates, as TextDecoder does', () => {
    expect(scanError(join('a\n', [0xc0, 0xaf], '\n')).location?.byteOffset).toBe(2);
    expect(scanError(join('a\n', [0xed, 0xa0, 0x80], '\n')).location?.byteOffset).toBe(2);
    expect(scanError(join('a\n', [0xf4, 0x90, 0x80, 0x80], '\n')).location?.byteOffset).toBe(2);
  });

  it('accepts multi-byte characters split across chunks anywhere', () => {
    const text = 'name,city\nZoë,Kraków\n😀,日本\n';
    expect(scan(byteByByte(bytesOf(text)))).toEqual(scan(text));
  });

  it('rejects a file that ends in the middle of a character', () => {
    const error = scanError(join('a\nx', [0xe6, 0x97]));
    expect(error.code).toBe('ENCODING_ERROR');
    expect(error.message).toBe('data.csv ends in the middle of a UTF-8 character at line 2, column 2; save it as UTF-8 and import again.');
    expect(error.location).toEqual({ file: 'data.csv', line: 2, column: 2, byteOffset: 3 });
  });

  it('says a file with a NUL byte looks binary, and where', () => {
    const error = scanError(join('a,b\n1,x', [0], 'y\n'));
    expect(error.code).toBe('ENCODING_ERROR');
    expect(error.message).toBe('data.csv looks like a binary file, not text: it has a NUL byte at line 2, column 4 (byte offset 7).');
    expect(error.location).toEqual({ file: 'data.csv', line: 2, column: 4, byteOffset: 7 });
  });

  it('recognises UTF-16', () => {
    const error = scanError(Uint8Array.from([0xff, 0xfe, 0x61, 0x00]));
    expect(error.code).toBe('ENCODING_ERROR');
    expect(error.message).toBe('data.csv is UTF-16 text, not UTF-8; save it as UTF-8 and import again.');
    expect(error.location).toEqual({ file: 'data.csv', line: 1, column: 1, byteOffset: 0 });
  });

  it('checks JSON files too', () => {
    const error = scanError(join('[{"a": "x', [0xfe], '"}]'), { format: 'json' });
    expect(error.code).toBe('ENCODING_ERROR');
    expect(error.location).toEqual({ file: 'data.json', line: 1, column: 10, byteOffset: 9 });
  });
});

describe('firstInvalidByte', () => {
  it('returns the length for valid or merely cut-off text', () => {
    expect(firstInvalidByte(bytesOf('héllo'))).toBe(6);
    expect(firstInvalidByte(Uint8Array.from([0x61, 0xe6, 0x97]))).toBe(3);
  });

  it('points at the start of the bad sequence', () => {
    expect(firstInvalidByte(Uint8Array.from([0x61, 0xe6, 0x41]))).toBe(1);
    expect(firstInvalidByte(Uint8Array.from([0x61, 0x80]))).toBe(1);
    expect(firstInvalidByte(Uint8Array.from([0xf5, 0x80, 0x80, 0x80]))).toBe(0);
  });
});
