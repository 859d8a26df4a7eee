import { HASH_SEED_HIGH, HASH_SEED_LOW, HASH_STEP_LOW, hashBytes, rawHash } from './byte-hash.ts';
import type { ColumnProfiler } from './column-profiler.ts';
import { CsvErrors } from './csv-errors.ts';
import { CsvRowParser, OVERLONG } from './csv-general-row.ts';
import { checkHeader } from './csv-header.ts';
import { CsvRowBoundary } from './csv-row-boundary.ts';
import type { TableSink } from './table-sink.ts';
import { joinBytes, type TableParser } from './text-parser.ts';
import { advanceBytes, type TextPosition } from './text-position.ts';
import { columnOf, decodeBytes } from './utf8-bytes.ts';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * CSV and TSV (RFC 4180) over UTF-8 bytes: the first row is the header; "" inside quotes is a
 * quote; quoted fields may hold delimiters, quotes and newlines; LF or CRLF ends a row (a lone
 * CR is data). A quote in the middle of an unquoted field is an ordinary character (as Python's
 * csv reads it); text between a closing quote and the next delimiter is an error. Blank lines
 * are skipped (as pandas does), so a one-column table writes an empty value as "".
 *
 * Speed: two native searches per chunk (the last newline, the next quote) mark off the rows
 * that are complete and have no quote. The fast path reads each of those rows once, byte by
 * byte, finding the delimiters and hashing each field in the same loop (byte-hash), and hands
 * every field to its column profiler as a byte range: nothing is decoded or sliced. Rows with
 * quotes, the header and the last row of the file go to the general path (CsvRowParser). A
 * row that spans chunks is kept as copied pieces until CsvRowBoundary has seen its end.
 *
 * A segment of a file after its first starts with the header given (`header`) on a known line
 * (or, speculatively, line 1: see segment-scanner.ts) with `rowsBefore` data rows before it.
 */
export class CsvTokenizer implements TableParser {
  private readonly file: string;
  private readonly sink: TableSink;
  private readonly delimiter: number;
  private readonly maxFieldBytes: number;
  private readonly boundary: CsvRowBoundary;
  private readonly errors: CsvErrors;
  private header: string[] | null = null;
  private columns = 0;
  /** The line the next unparsed row starts on. */
  private line: number;
  /** Data rows before this segment (for error locations). */
  private readonly rowsBefore: number;
  private lf = 0;
  private crlf = 0;
  private pending: Uint8Array[] = [];
  private readonly row: CsvRowParser;
  /** The header has more than MAX_COLUMNS fields: reading on to its end only to count them. */
  private countingColumns = false;
  /** A quote-free row has more fields than the header: reading on to its end to count them. */
  private overlong: { line: number; column: number; count: number; exact: boolean } | null = null;

  constructor(options: { file: string; delimiter: ',' | '\t'; maxFieldBytes: number; sink: TableSink; line: number; rowsBefore: number; header: readonly string[] | null }) {
    this.file = options.file;
    this.sink = options.sink;
    this.delimiter = options.delimiter.charCodeAt(0);
    this.maxFieldBytes = options.maxFieldBytes;
    this.line = options.line;
    this.rowsBefore = options.rowsBefore;
    this.boundary = new CsvRowBoundary(options.file, this.delimiter, options.maxFieldBytes);
    this.errors = new CsvErrors(options.file, options.delimiter, () => this.header, () => this.rowsBefore + this.sink.rows);
    this.row = new CsvRowParser(this.delimiter, this.errors);
    if (options.header !== null) {
      this.header = [...options.header];
      this.columns = this.header.length;
      for (const name of this.header) this.sink.columnIndex(name);
    }
  }

  /** The header's names, once read (or given). */
  get headerNames(): readonly string[] | null {
    return this.header;
  }

  get nextLine(): number {
    return this.line;
  }

  get separators(): { lf: number; crlf: number } {
    return { lf: this.lf, crlf: this.crlf };
  }

  /** A segment can only end after the header: before it, even blank lines are not a row boundary. */
  atRowBoundary(): boolean {
    return this.header !== null && this.pending.length === 0 && this.overlong === null;
  }

  finishRow(bytes: Uint8Array): number {
    if (this.header === null || this.countingColumns) return this.pushHeader(bytes);
    if (this.overlong !== null) {
      this.countOverlong(bytes, 0);
      return -1;
    }
    if (this.pending.length === 0) return 0;
    const end = this.boundary.scan(bytes);
    if (end < 0) {
      this.pending.push(bytes.slice());
      return -1;
    }
    const row = joinBytes(this.pending, bytes.subarray(0, end));
    this.pending = [];
    this.parseWholeRow(row);
    if (this.overlong !== null) {
      this.countOverlong(bytes, end);
      return -1;
    }
    return end;
  }

  push(bytes: Uint8Array): void {
    if (this.sink.done || bytes.length === 0) return;
    if (this.overlong !== null) {
      this.countOverlong(bytes, 0);
      return;
    }
    let from = 0;
    if (this.header === null) {
      from = this.pushHeader(bytes);
      if (from < 0) return;
    }
    if (this.pending.length > 0) {
      const end = this.boundary.scan(bytes);
      if (end < 0) {
        this.pending.push(bytes.slice());
        return;
      }
      const row = joinBytes(this.pending, bytes.subarray(0, end));
      this.pending = [];
      this.parseWholeRow(row);
      if (this.overlong !== null) {
        this.countOverlong(bytes, end);
        return;
      }
      from = end;
    }
    const used = this.parseRows(bytes, from, false);
    if (used < bytes.length && !this.sink.done) {
      const rest = bytes.slice(used);
      this.pending = [rest];
      this.boundary.reset(this.line, this.header, this.header === null ? undefined : this.rowsBefore + this.sink.rows);
      // A row with more fields than the header is handed back before its end: report it now.
      if (this.boundary.scan(rest) >= 0) {
        this.pending = [];
        this.parseWholeRow(rest);
      }
    }
  }

  finish(): void {
    if (this.sink.done) return;
    if (this.countingColumns) throw this.errors.tooManyColumns(this.boundary.fields, this.line);
    if (this.overlong !== null) throw this.overlongFailure();
    if (this.pending.length > 0) {
      const rest = joinBytes(this.pending);
      this.pending = [];
      this.parseRows(rest, 0, true);
    }
  }

  positionAtEnd(): TextPosition {
    return advanceBytes({ line: this.line, column: 1 }, joinBytes(this.pending));
  }


  /**
   * Reads the header (and blank lines before it) from `bytes`: where the rows after it start,
   * or -1 when the header goes on past these bytes. Every header is first read by the row
   * boundary, which hands it back once it has more fields than MAX_COLUMNS: then nothing more is
   * kept or allocated, the rest of the line is only counted, and the file is refused at its end.
   */
  private pushHeader(bytes: Uint8Array): number {
    const boundary = this.boundary;
    if (this.countingColumns) {
      if (boundary.scan(bytes) < 0) return -1;
      throw this.errors.tooManyColumns(boundary.fields, this.line);
    }
    let pos = 0;
    while (this.header === null && pos < bytes.length) {
      if (this.pending.length === 0) boundary.reset(this.line, null, undefined);
      const end = boundary.scan(bytes, pos);
      if (boundary.overflowed) {
        this.pending = [];
        this.countingColumns = true;
        boundary.countOn();
        if (boundary.scan(bytes, end) < 0) return -1;
        throw this.errors.tooManyColumns(boundary.fields, this.line);
      }
      if (end < 0) {
        this.pending.push(bytes.slice(pos));
        return -1;
      }
      const row = this.pending.length > 0 ? joinBytes(this.pending, bytes.subarray(pos, end)) : bytes.subarray(pos, end);
      this.pending = [];
      if (this.parseRows(row, 0, false) < row.length) throw new Error('CSV row boundary disagrees with the tokenizer');
      pos = end;
    }
    // Only blank lines so far: the header is still to come.
    return this.header === null ? -1 : pos;
  }

  /**
   * Counts the fields of an over-long row from bytes[from] (the start of a field past the
   * header's count, or of a later chunk) to the end of its line, keeping nothing; throws there.
   * As the fast path does, delimiters count up to the first line break, and a quote on the way
   * makes the count a lower bound.
   */
  private countOverlong(bytes: Uint8Array, from: number): void {
    const overlong = this.overlong as { count: number; exact: boolean };
    const delimiter = this.delimiter;
    for (let i = from; i < bytes.length; i++) {
      const c = bytes[i] as number;
      if (c === LF) throw this.overlongFailure();
      if (c === delimiter) overlong.count++;
      else if (c === QUOTE) overlong.exact = false;
    }
  }

  private overlongFailure() {
    const { line, column, count, exact } = this.overlong as { line: number; column: number; count: number; exact: boolean };
    return this.errors.tooManyFields(count, exact, line, column, this.columns);
  }

  /**
   * Parses a row the boundary found complete: up to its line break, or (handed back early, with
   * no line break yet) up to a field past the header's count, which is an error reported here.
   */
  private parseWholeRow(row: Uint8Array): void {
    const used = this.parseRows(row, 0, false);
    if (used < row.length && !this.sink.done) {
      this.generalRow(row, used, false);
      if (this.overlong === null) throw new Error('CSV row boundary disagrees with the tokenizer');
    }
  }

  /** Parses the complete rows of bytes[pos...]; returns where the first incomplete one starts. */
  private parseRows(bytes: Uint8Array, pos: number, final: boolean): number {
    const n = bytes.length;
    const search = Buffer.from(bytes.buffer, bytes.byteOffset, n);
    const lastNewline = search.lastIndexOf(LF);
    let nextQuote = -1;
    while (pos < n) {
      if (this.sink.done) return n;
      if (this.header !== null) {
        // Rows before the last newline and before the line of the next quote are complete and
        // have no quotes: the fast path takes them.
        if (nextQuote < pos) {
          nextQuote = search.indexOf(QUOTE, pos);
          if (nextQuote === -1) nextQuote = n;
        }
        let limit = lastNewline + 1;
        if (nextQuote < limit) limit = Math.max(pos, search.lastIndexOf(LF, nextQuote) + 1);
        if (pos < limit) {
          pos = this.fastRows(bytes, pos, limit);
          continue;
        }
      }
      if (!final && pos > lastNewline) return pos;
      const next = this.generalRow(bytes, pos, final);
      if (next < 0) return pos;
      pos = next;
    }
    return n;
  }

  /**
   * The rows in bytes[pos, limit): each ends with a newline before `limit` and none has a quote.
   * One pass per row finds the delimiters and hashes each field on the way; the field goes to
   * its column's profiler at once.
   */
  private fastRows(bytes: Uint8Array, pos: number, limit: number): number {
    const delimiter = this.delimiter;
    const columns = this.columns;
    const sink = this.sink;
    const profilers = sink.profilers;
    const maxFieldBytes = this.maxFieldBytes;
    const n = bytes.length;
    while (pos < limit) {
      if (sink.done) return limit;
      const first = bytes[pos];
      if (first === LF || (first === CR && bytes[pos + 1] === LF)) {
        // A blank line.
        if (first === LF) this.lf++;
        else this.crlf++;
        this.line++;
        pos += first === LF ? 1 : 2;
        continue;
      }
      const preview = sink.startPreviewRow();
      let i = pos;
      let column = 0;
      for (;;) {
        const start = i;
        let low = HASH_SEED_LOW;
        let high = HASH_SEED_HIGH;
        let c = 0;
        // The hot loop: two bytes per step (byte-hash hashes pairs, which halves the chain of
        // multiplications). A newline comes before `limit`, so the `i + 1 < n` test is there
        // only to let V8 drop its bounds checks. Keep it this small: in V8 a loop with a little
        // more in it (a look past a CR, an inner loop) runs at half the speed.
        while (i + 1 < n) {
          c = bytes[i] as number;
          if (c <= 44 && (c === delimiter || c === LF || c === CR)) break;
          const d = bytes[i + 1] as number;
          if (d <= 44 && (d === delimiter || d === LF || d === CR)) {
            low = Math.imul(low ^ c, HASH_STEP_LOW);
            high = ((high << 7) | (high >>> 25)) + c;
            i++;
            c = d;
            break;
          }
          const pair = c | (d << 8);
          low = Math.imul(low ^ pair, HASH_STEP_LOW);
          high = ((high << 7) | (high >>> 25)) + pair;
          i += 2;
        }
        if (i + 1 >= n) c = bytes[i] as number;
        if (c === CR && bytes[i + 1] !== LF) {
          // A CR without an LF after it is data: finish the field elsewhere.
          i = this.scanPastLoneCr(bytes, start, i);
          low = rawHash[0] as number;
          high = rawHash[1] as number;
          c = bytes[i] as number;
        }
        if (column === columns) {
          this.overlong = { line: this.line, column: columnOf(bytes, pos, start), count: columns + 1, exact: true };
          this.countOverlong(bytes, start);
          return bytes.length;
        }
        if (i - start > maxFieldBytes) throw this.errors.fieldTooLarge(bytes, pos, start, this.line, column, maxFieldBytes);
        (profilers[column] as ColumnProfiler).addCell(bytes, start, i, low, high);
        if (preview !== null) preview.push(sink.previewBuilder.bytesCell(bytes, start, i));
        column++;
        if (c === delimiter) {
          i++;
          continue;
        }
        if (column < columns) throw this.errors.tooFewFields(column, columns, this.line, this.line, columnOf(bytes, pos, i));
        if (c === CR) {
          this.crlf++;
          i += 2;
        } else {
          this.lf++;
          i++;
        }
        break;
      }
      sink.endRow();
      this.line++;
      pos = i;
    }
    return pos;
  }

  /**
   * Finishes a field that has a lone CR at bytes[i] (data, not a line break): returns where the
   * field ends, with the field's hash lanes in rawHash.
   */
  private scanPastLoneCr(bytes: Uint8Array, start: number, i: number): number {
    for (;;) {
      i++;
      const c = bytes[i];
      if (c === this.delimiter || c === LF || (c === CR && bytes[i + 1] === LF)) break;
    }
    hashBytes(bytes, start, i);
    return i;
  }

  /**
   * Any row, quotes and all, starting at bytes[rowStart], through the general path. Returns
   * where the next row starts, or -1 when the row needs more bytes.
   */
  private generalRow(bytes: Uint8Array, rowStart: number, final: boolean): number {
    const n = bytes.length;
    const first = bytes[rowStart];
    if (first === LF || (first === CR && bytes[rowStart + 1] === LF)) {
      // A blank line.
      if (first === LF) this.lf++;
      else this.crlf++;
      this.line++;
      return rowStart + (first === LF ? 1 : 2);
    }
    if (first === CR && rowStart + 1 === n) return final ? n : -1;
    const row = this.row;
    const next = row.parse(bytes, rowStart, final, this.line, this.header === null ? Number.MAX_SAFE_INTEGER : this.columns, this.columns);
    if (next === OVERLONG) {
      this.overlong = { line: this.line, column: columnOf(bytes, rowStart, row.extraAt), count: this.columns + 1, exact: true };
      this.countOverlong(bytes, row.extraAt);
      return bytes.length;
    }
    if (next < 0) return -1;
    if (row.ending === 1) this.lf++;
    else if (row.ending === 2) this.crlf++;
    this.deliver(bytes, row.ending === 0 ? n : next - row.ending);
    this.line = row.line + 1;
    return next;
  }

  /** Hands the general path's row (or the header) on; `rowEnd` is where its terminator is. */
  private deliver(bytes: Uint8Array, rowEnd: number): void {
    const row = this.row;
    const count = row.count;
    for (let k = 0; k < count; k++) {
      if ((row.valueEnd[k] as number) - (row.valueStart[k] as number) > this.maxFieldBytes) {
        throw this.errors.fieldTooLarge(bytes, row.fieldLineStart[k] as number, row.fieldAt[k] as number, row.fieldLine[k] as number, k, this.maxFieldBytes);
      }
    }
    if (this.header === null) {
      this.acceptHeader(bytes);
      return;
    }
    if (count < this.columns) throw this.errors.tooFewFields(count, this.columns, this.line, row.line, columnOf(bytes, row.lineStart, rowEnd));
    const sink = this.sink;
    const preview = sink.startPreviewRow();
    for (let k = 0; k < count; k++) {
      const source = row.source(k, bytes);
      const start = row.valueStart[k] as number;
      const end = row.valueEnd[k] as number;
      (sink.profilers[k] as ColumnProfiler).addBytes(source, start, end);
      if (preview !== null) preview.push(sink.previewBuilder.bytesCell(source, start, end));
    }
    sink.endRow();
  }

  private acceptHeader(bytes: Uint8Array): void {
    const row = this.row;
    const names: string[] = [];
    for (let k = 0; k < row.count; k++) names.push(decodeBytes(row.source(k, bytes), row.valueStart[k] as number, row.valueEnd[k] as number));
    checkHeader(this.file, names, (k) => ({
      line: row.fieldLine[k] as number,
      column: columnOf(bytes, row.fieldLineStart[k] as number, row.fieldAt[k] as number),
    }));
    this.header = names;
    this.columns = names.length;
    for (const name of names) this.sink.columnIndex(name);
  }
}
