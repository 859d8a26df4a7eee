import type { CsvErrors } from './csv-errors.ts';
import { copyBytes } from './utf8-bytes.ts';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** `parse`: a row with no quotes has a field past `maxFields` (at `extraAt`). */
export const OVERLONG = -2;

/**
 * The CSV tokenizer's general path: one whole row parsed into a staged table (where each field
 * starts, on which line, and the bytes of its value), quotes and all, before anything is
 * delivered. So when the bytes end inside the row, parsing simply gives up (-1) and runs again
 * once more bytes have arrived. A value with "" escapes is unescaped into a buffer of its own;
 * any other value stays a range of the input.
 */
export class CsvRowParser {
  /** Fields in the parsed row. */
  count = 0;
  /** The line the row ends on, and where that line starts in the input. */
  line = 1;
  lineStart = 0;
  /** How the row ended: 1 LF, 2 CRLF, 0 the end of the file. */
  ending = 0;
  /** After OVERLONG: where the field past `maxFields` starts. */
  extraAt = 0;
  fieldAt = new Int32Array(16); // the field's first byte (its opening quote, if quoted)
  fieldLine = new Int32Array(16);
  fieldLineStart = new Int32Array(16);
  valueStart = new Int32Array(16);
  valueEnd = new Int32Array(16);
  private valueUnescaped = new Uint8Array(16); // 1: the value is in `unescaped`, not the input
  private unescaped = new Uint8Array(1024);
  private unescapedUsed = 0;
  private readonly delimiter: number;
  private readonly errors: CsvErrors;

  constructor(delimiter: number, errors: CsvErrors) {
    this.delimiter = delimiter;
    this.errors = errors;
  }

  /** The bytes that hold field k's value (its range is valueStart[k], valueEnd[k]). */
  source(k: number, input: Uint8Array): Uint8Array {
    return this.valueUnescaped[k] === 1 ? this.unescaped : input;
  }

  /**
   * Parses the row at bytes[rowStart] (not a blank line), which starts on `firstLine`, allowing
   * `maxFields` fields (`columns` is for messages). Returns where the next row starts, -1
   * when the bytes end inside the row, or OVERLONG.
   */
  parse(bytes: Uint8Array, rowStart: number, final: boolean, firstLine: number, maxFields: number, columns: number): number {
    const n = bytes.length;
    const delimiter = this.delimiter;
    let line = firstLine;
    let lineStart = rowStart;
    let count = 0;
    let i = rowStart;
    this.unescapedUsed = 0;
    this.ending = 0;
    let quoted = false;
    for (;;) {
      if (count === maxFields) {
        // A quote-free row is counted to its end by the tokenizer, however it is chunked.
        if (!quoted) {
          this.extraAt = i;
          return OVERLONG;
        }
        throw this.errors.tooManyFieldsAfterQuotes(bytes, count, firstLine, line, lineStart, i, columns);
      }
      if (count === this.fieldAt.length) this.grow();
      this.fieldAt[count] = i;
      this.fieldLine[count] = line;
      this.fieldLineStart[count] = lineStart;
      this.valueUnescaped[count] = 0;
      let next: number;
      let rowDone = false;
      if (i < n && bytes[i] === QUOTE) {
        quoted = true;
        const quoteLine = line;
        const quoteLineStart = lineStart;
        let from = i + 1;
        let segment = from;
        let unescapedStart = -1;
        let close: number;
        for (;;) {
          close = from;
          while (close < n) {
            const c = bytes[close] as number;
            if (c === QUOTE) break;
            if (c === LF) {
              line++;
              lineStart = close + 1;
            }
            close++;
          }
          if (close === n) {
            if (!final) return -1;
            throw this.errors.unterminatedQuote(bytes, count, quoteLine, quoteLineStart, i);
          }
          if (close + 1 === n && !final) return -1;
          if (close + 1 === n || bytes[close + 1] !== QUOTE) break;
          if (unescapedStart < 0) unescapedStart = this.unescapedUsed;
          this.appendUnescaped(bytes, segment, close + 1); // keeps one quote of the pair
          from = close + 2;
          segment = from;
        }
        if (unescapedStart < 0) {
          this.valueStart[count] = i + 1;
          this.valueEnd[count] = close;
        } else {
          this.appendUnescaped(bytes, segment, close);
          this.valueUnescaped[count] = 1;
          this.valueStart[count] = unescapedStart;
          this.valueEnd[count] = this.unescapedUsed;
        }
        const after = close + 1;
        const c = bytes[after];
        if (after === n || (c === CR && after + 1 === n)) {
          if (!final) return -1;
          rowDone = true;
          next = n;
        } else if (c === delimiter) {
          next = after + 1;
        } else if (c === LF || (c === CR && bytes[after + 1] === LF)) {
          rowDone = true;
          this.ending = c === LF ? 1 : 2;
          next = after + this.ending;
        } else {
          throw this.errors.textAfterQuote(bytes, count, line, lineStart, after);
        }
      } else {
        // Unquoted: up to the delimiter or the newline; quotes and lone CRs are data.
        let j = i;
        let c = 0;
        while (j < n) {
          c = bytes[j] as number;
          if (c === delimiter || c === LF) break;
          j++;
        }
        this.valueStart[count] = i;
        if (j < n && c === delimiter) {
          this.valueEnd[count] = j;
          next = j + 1;
        } else {
          if (j === n && !final) return -1;
          const cr = j > i && bytes[j - 1] === CR;
          this.valueEnd[count] = cr ? j - 1 : j;
          if (j < n) this.ending = cr ? 2 : 1;
          rowDone = true;
          next = j === n ? n : j + 1;
        }
      }
      count++;
      if (rowDone) {
        this.count = count;
        this.line = line;
        this.lineStart = lineStart;
        return next;
      }
      i = next;
    }
  }

  private appendUnescaped(bytes: Uint8Array, start: number, end: number): void {
    const needed = this.unescapedUsed + (end - start);
    if (needed > this.unescaped.length) {
      const grown = new Uint8Array(Math.max(needed, this.unescaped.length * 2));
      grown.set(this.unescaped.subarray(0, this.unescapedUsed));
      this.unescaped = grown;
    }
    copyBytes(bytes, start, end, this.unescaped, this.unescapedUsed);
    this.unescapedUsed = needed;
  }

  private grow(): void {
    const size = this.fieldAt.length * 2;
    const grow = <T extends Int32Array | Uint8Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.fieldAt = grow(this.fieldAt, new Int32Array(size));
    this.fieldLine = grow(this.fieldLine, new Int32Array(size));
    this.fieldLineStart = grow(this.fieldLineStart, new Int32Array(size));
    this.valueStart = grow(this.valueStart, new Int32Array(size));
    this.valueEnd = grow(this.valueEnd, new Int32Array(size));
    this.valueUnescaped = grow(this.valueUnescaped, new Uint8Array(size));
  }
}
