import { isUtf8 } from 'node:buffer';

/**
 * Checks that a stream of chunks is UTF-8 text, without decoding it: Node's isUtf8 (SIMD)
 * validates each chunk, a character split across chunks is completed from the next one, and a
 * NUL byte (text tables never have one; binary files usually do) is found with a memchr-speed
 * search. A leading byte order mark is recognised so the parsers can skip it. When a chunk
 * fails, the exact bad byte is found by the WHATWG rules TextDecoder uses.
 */
export interface EncodingProblem {
  kind: 'invalid' | 'truncated' | 'nul' | 'utf16';
  /** Offset in the file of the first byte of the bad character. */
  byteOffset: number;
  byte: number;
}

export interface CheckedChunk {
  /** A character split at the end of the previous chunk, now complete: it comes first. */
  completed: Uint8Array | null;
  /** The valid bytes of this chunk to read next: chunk[start, end). */
  start: number;
  /**
   * Where the valid bytes end: at the problem, or before a character this chunk cuts off (held
   * back until the next chunk completes it).
   */
  end: number;
  problem: EncodingProblem | null;
}

const EMPTY = new Uint8Array(0);

export class Utf8Check {
  /** Bytes seen before the current chunk (from where the checked bytes start in the file). */
  private offset: number;

  constructor(offset = 0) {
    this.offset = offset;
  }
  /** The start of a character split at the end of the last chunk (1–3 bytes). */
  private carry: Uint8Array = EMPTY;

  check(chunk: Uint8Array): CheckedChunk {
    const n = chunk.length;
    let completed: Uint8Array | null = null;
    let from = 0;
    if (this.carry.length > 0) {
      // Finish the split character with the first bytes of this chunk.
      const need = sequenceLength(this.carry[0] as number) - this.carry.length;
      const joined = concat(this.carry, chunk.subarray(0, Math.min(need, n)));
      const bad = firstInvalidByte(joined);
      if (bad < joined.length) return problem('invalid', this.offset - this.carry.length + bad, joined[bad] as number, null, 0, 0);
      if (n < need) {
        this.carry = joined;
        this.offset += n;
        return { completed: null, start: n, end: n, problem: null };
      }
      completed = joined;
      from = need;
      this.carry = EMPTY;
    }
    const tail = incompleteTail(chunk, from);
    const bodyEnd = n - tail;
    const nul = Buffer.from(chunk.buffer, chunk.byteOffset, n).indexOf(0, from);
    if (!isUtf8(chunk.subarray(from, bodyEnd)) || (tail > 0 && firstInvalidByte(chunk.subarray(bodyEnd)) < tail)) {
      const bad = from + firstInvalidByte(chunk.subarray(from));
      if (nul === -1 || bad < nul) {
        const kind = this.offset + bad <= 1 && isUtf16Mark(chunk, this.offset) ? 'utf16' : 'invalid';
        return problem(kind, this.offset + bad, chunk[bad] as number, completed, from, bad);
      }
    }
    if (nul !== -1) return problem('nul', this.offset + nul, 0, completed, from, nul);
    this.carry = tail > 0 ? chunk.slice(bodyEnd) : EMPTY;
    this.offset += n;
    return { completed, start: from, end: bodyEnd, problem: null };
  }

  /** The end of the stream: a character cut short there is a problem. */
  end(): EncodingProblem | null {
    if (this.carry.length === 0) return null;
    return { kind: 'truncated', byteOffset: this.offset - this.carry.length, byte: this.carry[0] as number };
  }
}

function problem(kind: EncodingProblem['kind'], byteOffset: number, byte: number, completed: Uint8Array | null, start: number, end: number): CheckedChunk {
  return { completed, start, end, problem: { kind, byteOffset, byte } };
}

/** Byte length of the character a lead byte starts (1 for anything that is not a lead). */
function sequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

function isUtf16Mark(chunk: Uint8Array, offset: number): boolean {
  if (offset !== 0) return false;
  return (chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** How many bytes at the end of chunk[from...] start a character that the chunk cuts off. */
function incompleteTail(chunk: Uint8Array, from: number): number {
  const n = chunk.length;
  for (let back = 1; back <= 3 && n - back >= from; back++) {
    const byte = chunk[n - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead
    return sequenceLength(byte) > back && byte >= 0xc0 ? back : 0;
  }
  return 0;
}

/**
 * Index of the first byte of the first invalid sequence, by the WHATWG rules TextDecoder uses
 * (no overlong forms, no surrogates, nothing above U+10FFFF); bytes.length when there is none.
 * A sequence cut off by the end of `bytes` is not invalid here: the next chunk may complete it.
 */
export function firstInvalidByte(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      need = 1;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      need = 2;
      if (lead === 0xe0) lower = 0xa0;
      if (lead === 0xed) upper = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      need = 3;
      if (lead === 0xf0) lower = 0x90;
      if (lead === 0xf4) upper = 0x8f;
    } else {
      return i;
    }
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return n;
      const next = bytes[i + k] as number;
      if (next < lower || next > upper) return i;
      lower = 0x80;
      upper = 0xbf;
    }
    i += need + 1;
  }
  return n;
}
