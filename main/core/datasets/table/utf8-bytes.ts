/**
 * Small helpers for UTF-8 byte ranges: decoding to strings (only for what people see: names,
 * preview cells, top values) and character columns for error locations.
 */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

export function decodeBytes(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= SHORT_TEXT) {
    // Most cells are short ASCII: built here, 5× faster than a decoder call on a subarray.
    let text = '';
    for (let i = start; i < end; i++) {
      const c = bytes[i] as number;
      if (c >= 0x80) return decoder.decode(bytes.subarray(start, end));
      text += String.fromCharCode(c);
    }
    return text;
  }
  return decoder.decode(bytes.subarray(start, end));
}

/** Up to this length V8 keeps a concatenated string flat. */
const SHORT_TEXT = 12;

/** Characters (code points) in bytes[start, end): bytes that are not continuation bytes. */
export function countChars(bytes: Uint8Array, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) if (((bytes[i] as number) & 0xc0) !== 0x80) count++;
  return count;
}

/** The 1-based column of bytes[at], given where its line starts. */
export function columnOf(bytes: Uint8Array, lineStart: number, at: number): number {
  return countChars(bytes, lineStart, at) + 1;
}

/**
 * Copies from[start, end) to to[at...]. A plain loop: for the short runs copied per value,
 * `to.set(from.subarray(...))` costs hundreds of nanoseconds (a new view, a runtime call).
 */
export function copyBytes(from: Uint8Array, start: number, end: number, to: Uint8Array, at: number): void {
  for (let i = start; i < end; i++) to[at++] = from[i] as number;
}

/** An end at most `maxBytes` after start that does not split a character. */
export function cutAtChar(bytes: Uint8Array, start: number, end: number, maxBytes: number): number {
  if (end - start <= maxBytes) return end;
  let cut = start + maxBytes;
  while (cut > start && ((bytes[cut] as number) & 0xc0) === 0x80) cut--;
  return cut;
}

/** Longest value kept for display (top values), in characters. */
export const MAX_VALUE_CHARS = 200;
/** Bytes kept per value in tables: enough for MAX_VALUE_CHARS of ASCII, fewer of other scripts. */
export const MAX_KEY_BYTES = 256;

/**
 * bytes[start, end) as display text: at most MAX_VALUE_CHARS, with "…" when cut (or when the
 * bytes are themselves the kept start of a longer value: `longer`).
 */
export function displayText(bytes: Uint8Array, start: number, end: number, longer = false): string {
  const cut = cutAtChar(bytes, start, end, MAX_KEY_BYTES);
  const text = decodeBytes(bytes, start, cut);
  return longer || cut < end || text.length > MAX_VALUE_CHARS ? cutText(text, MAX_VALUE_CHARS) + '…' : text;
}

/** text cut to at most `max` UTF-16 units without splitting a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/**
 * A copy of a string that shares nothing with a larger one. V8 may make a substring (and a value
 * from JSON.parse) point into its parent; a kept preview cell must not pin a whole record.
 */
export function detachedString(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/** A reusable buffer holding a string's UTF-8 bytes (for JSON values). */
export class Utf8Scratch {
  bytes = new Uint8Array(256);
  length = 0;

  encode(text: string): void {
    if (text.length * 3 > this.bytes.length) this.bytes = new Uint8Array(text.length * 3);
    this.length = encoder.encodeInto(text, this.bytes).written;
  }
}
