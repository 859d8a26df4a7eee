/** A 1-based line and column; columns count characters (Unicode code points), not bytes. */
export interface TextPosition {
  line: number;
  column: number;
}

/** Characters (code points) in text[start, end): UTF-16 units minus low surrogates. */
function codePoints(text: string, start: number, end: number): number {
  let count = end - start;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) count--;
  }
  return count;
}

/** The 1-based column of text[at], given where its line starts in `text`. */
function columnAt(text: string, lineStart: number, at: number): number {
  return codePoints(text, lineStart, at) + 1;
}

/** The position just after text[0, end), reading on from `from`. */
export function advance(from: TextPosition, text: string, end = text.length): TextPosition {
  let line = from.line;
  let lineStart = -1;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < end; nl = text.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  if (lineStart === -1) return { line, column: from.column + codePoints(text, 0, end) };
  return { line, column: columnAt(text, lineStart, end) };
}

/** The position just after bytes[start, end) of UTF-8, reading on from `from`. */
export function advanceBytes(from: TextPosition, bytes: Uint8Array, start = 0, end = bytes.length): TextPosition {
  let line = from.line;
  let column = from.column;
  for (let i = start; i < end; i++) {
    const c = bytes[i] as number;
    if (c === 10) {
      line++;
      column = 1;
    } else if ((c & 0xc0) !== 0x80) {
      column++;
    }
  }
  return { line, column };
}
