import type { TextPosition } from './text-position.ts';

export type LineEnding = 'lf' | 'crlf' | 'mixed' | 'none';

/**
 * A format parser: validated UTF-8 bytes in, rows out to a TableSink. Chunks may split a
 * multi-byte character: the parsers only look for ASCII bytes, and keep an unfinished row's
 * bytes together until it is complete. A parser may start at any row boundary of a file (a
 * segment, see segment-scanner.ts), told the line it starts on and the rows before it.
 */
export interface TableParser {
  /** The next bytes; rows that are complete are delivered now, the rest is kept (copied). */
  push(bytes: Uint8Array): void;
  /**
   * No more bytes: the end of the file. Delivers the last row, or throws for what is left
   * unfinished. (A table with no rows at all is refused by the merge, which sees the whole file.)
   */
  finish(): void;
  /** Whether the bytes pushed so far end at a row boundary, with nothing of a row kept. */
  atRowBoundary(): boolean;
  /**
   * Bytes past the end of a segment that ends inside a row, only to finish that row: how many
   * of them the row takes (it is delivered), or -1 when it takes them all and goes on.
   */
  finishRow(bytes: Uint8Array): number;
  /** Where the bytes pushed so far end (for errors found by the UTF-8 check). */
  positionAtEnd(): TextPosition;
  /** The line the next byte is on. */
  readonly nextLine: number;
  /** Record separators read: LF and CRLF. */
  readonly separators: { lf: number; crlf: number };
}

/** Record separators seen: LF and CRLF counts. */
export function lineEndingOf(lf: number, crlf: number): LineEnding {
  if (lf === 0 && crlf === 0) return 'none';
  if (lf === 0) return 'crlf';
  if (crlf === 0) return 'lf';
  return 'mixed';
}

/** The bytes of several chunks as one array. */
export function joinBytes(parts: readonly Uint8Array[], last?: Uint8Array): Uint8Array {
  let length = last?.length ?? 0;
  for (const part of parts) length += part.length;
  const joined = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  if (last !== undefined) joined.set(last, at);
  return joined;
}
