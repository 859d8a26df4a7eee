import { describeJsonStart } from './json-array-scanner.ts';
import { JsonRecords } from './json-records.ts';
import { scanFailure, tooLarge } from './scan-errors.ts';
import type { TableSink } from './table-sink.ts';
import { joinBytes, type TableParser } from './text-parser.ts';
import { advanceBytes, type TextPosition } from './text-position.ts';
import { columnOf, decodeBytes } from './utf8-bytes.ts';

/**
 * JSON Lines (.jsonl, .ndjson): one JSON object per line. Blank (whitespace-only) lines are
 * skipped, so a trailing newline or blank line is fine; any other line must be one object.
 * A line longer than the limit is TOO_LARGE as soon as it is, not when it ends.
 */
export class JsonLinesScanner implements TableParser {
  private readonly file: string;
  private readonly sink: TableSink;
  private readonly maxBytes: number;
  private readonly records: JsonRecords;
  /** The line the next unread line starts on. */
  private line: number;
  /** Rows before this segment (for error locations). */
  private readonly rowsBefore: number;
  private lf = 0;
  private crlf = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(options: { file: string; maxFieldBytes: number; sink: TableSink; line: number; rowsBefore: number }) {
    this.file = options.file;
    this.sink = options.sink;
    this.maxBytes = options.maxFieldBytes;
    this.line = options.line;
    this.rowsBefore = options.rowsBefore;
    this.records = new JsonRecords(options.file, options.sink);
  }

  get nextLine(): number {
    return this.line;
  }

  get separators(): { lf: number; crlf: number } {
    return { lf: this.lf, crlf: this.crlf };
  }

  atRowBoundary(): boolean {
    return this.pending.length === 0;
  }

  finishRow(bytes: Uint8Array): number {
    if (this.pending.length === 0) return 0;
    const nl = bytes.indexOf(10);
    if (nl === -1) {
      this.keep(bytes);
      return -1;
    }
    const line = joinBytes(this.pending, bytes.subarray(0, nl + 1));
    this.pending = [];
    this.pendingBytes = 0;
    this.readLine(line, 0, line.length - 1);
    return nl + 1;
  }

  push(bytes: Uint8Array): void {
    if (this.sink.done) return;
    let pos = 0;
    if (this.pending.length > 0) {
      const nl = bytes.indexOf(10);
      if (nl === -1) {
        this.keep(bytes);
        return;
      }
      const line = joinBytes(this.pending, bytes.subarray(0, nl + 1));
      this.pending = [];
      this.pendingBytes = 0;
      this.readLine(line, 0, line.length - 1);
      pos = nl + 1;
    }
    while (pos < bytes.length && !this.sink.done) {
      const nl = bytes.indexOf(10, pos);
      if (nl === -1) {
        this.keep(bytes.subarray(pos));
        return;
      }
      this.readLine(bytes, pos, nl);
      pos = nl + 1;
    }
  }

  finish(): void {
    if (this.sink.done) return;
    if (this.pending.length > 0) {
      const last = joinBytes(this.pending);
      this.pending = [];
      this.readLine(last, 0, last.length);
    }
  }

  positionAtEnd(): TextPosition {
    return advanceBytes({ line: this.line, column: 1 }, joinBytes(this.pending));
  }


  private keep(bytes: Uint8Array): void {
    this.pending.push(bytes.slice());
    this.pendingBytes += bytes.length;
    if (this.pendingBytes > this.maxBytes) {
      throw tooLarge(this.file, `Line ${this.line}`, this.maxBytes, { line: this.line, column: 1, row: this.rowsBefore + this.sink.rows });
    }
  }

  /** The line bytes[start, end); bytes[end] is its "\n" (or end is the end of the file). */
  private readLine(bytes: Uint8Array, start: number, end: number): void {
    const line = this.line++;
    if (end < bytes.length) {
      if (end > start && bytes[end - 1] === 13) this.crlf++;
      else this.lf++;
    }
    if (end - start > this.maxBytes) throw tooLarge(this.file, `Line ${line}`, this.maxBytes, { line, column: 1, row: this.rowsBefore + this.sink.rows });
    let first = start;
    while (first < end && (bytes[first] === 32 || bytes[first] === 9 || bytes[first] === 13)) first++;
    if (first === end) return;
    const at = { line, column: columnOf(bytes, start, first) };
    if (bytes[first] !== 123) {
      throw scanFailure(
        'PARSE_ERROR',
        this.file,
        `Line ${line} of ${this.file} is not a JSON object: it starts with ${describeJsonStart(bytes, first)}.`,
        { ...at, row: this.rowsBefore + this.sink.rows },
        bytes[first] === 91 && line === 1 ? 'A file holding one JSON array should be named .json.' : 'Each line must hold one object: {"column": value, ...}.',
      );
    }
    this.records.add(decodeBytes(bytes, first, end), at, this.rowsBefore + this.sink.rows);
  }
}
