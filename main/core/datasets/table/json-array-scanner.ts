import { JsonRecords } from './json-records.ts';
import { scanFailure, tooLarge } from './scan-errors.ts';
import type { TableSink } from './table-sink.ts';
import { joinBytes, type TableParser } from './text-parser.ts';
import type { TextPosition } from './text-position.ts';
import { decodeBytes } from './utf8-bytes.ts';

// Where the scanner is in `[ {..}, {..} ]`.
const BEFORE_ARRAY = 0;
const ARRAY_START = 1; // after "["
const IN_OBJECT = 2;
const IN_STRING = 3;
const IN_ESCAPE = 4; // after a backslash in a string
const AFTER_ELEMENT = 5;
const AFTER_COMMA = 6;
const AFTER_ARRAY = 7;

/**
 * A top-level JSON array of objects, streamed: a small state machine over the bytes (strings,
 * escapes, depth) finds where each element starts and ends, and only that element is decoded
 * and given to JSON.parse, so memory holds one element at a time, never the file. Everything
 * between elements (brackets, commas, whitespace) is checked here, with line and column.
 * A file is read as one segment: its elements can only be found from its start.
 */
export class JsonArrayScanner implements TableParser {
  private readonly file: string;
  private readonly sink: TableSink;
  private readonly maxBytes: number;
  private readonly records: JsonRecords;
  private state = BEFORE_ARRAY;
  private depth = 0;
  /** Position of the next byte. */
  private line = 1;
  private column = 1;
  private lastWasCr = false;
  private lf = 0;
  private crlf = 0;
  /** The current element's bytes from earlier chunks. */
  private pieces: Uint8Array[] = [];
  private pieceBytes = 0;
  private elementAt: TextPosition = { line: 1, column: 1 };
  private elements = 0;

  constructor(options: { file: string; maxFieldBytes: number; sink: TableSink }) {
    this.file = options.file;
    this.sink = options.sink;
    this.maxBytes = options.maxFieldBytes;
    this.records = new JsonRecords(options.file, options.sink);
  }

  push(bytes: Uint8Array): void {
    if (this.sink.done) return;
    const n = bytes.length;
    let state = this.state;
    let depth = this.depth;
    let line = this.line;
    let column = this.column;
    let elementStart = state === IN_OBJECT || state === IN_STRING || state === IN_ESCAPE ? 0 : -1;
    for (let i = 0; i < n; i++) {
      const c = bytes[i] as number;
      if (state === IN_STRING) {
        if (c === 34) state = IN_OBJECT;
        else if (c === 92) state = IN_ESCAPE;
      } else if (state === IN_ESCAPE) {
        state = IN_STRING;
      } else if (state === IN_OBJECT) {
        if (c === 34) {
          state = IN_STRING;
        } else if (c === 123 || c === 91) {
          depth++;
        } else if ((c === 125 || c === 93) && --depth === 0) {
          this.endElement(bytes, elementStart, i + 1);
          elementStart = -1;
          state = AFTER_ELEMENT;
          if (this.sink.done) return;
        }
      } else if (c !== 32 && c !== 10 && c !== 13 && c !== 9) {
        this.line = line;
        this.column = column;
        if (c === 123 && (state === ARRAY_START || state === AFTER_COMMA)) {
          state = IN_OBJECT;
          depth = 1;
          elementStart = i;
          this.elementAt = { line, column };
        } else if (state === BEFORE_ARRAY && c === 91) {
          state = ARRAY_START;
        } else if (state === AFTER_ELEMENT && c === 44) {
          state = AFTER_COMMA;
        } else if ((state === AFTER_ELEMENT || state === ARRAY_START) && c === 93) {
          state = AFTER_ARRAY;
        } else {
          throw this.unexpected(state, bytes, i);
        }
      }
      if (c === 10) {
        if (i > 0 ? bytes[i - 1] === 13 : this.lastWasCr) this.crlf++;
        else this.lf++;
        line++;
        column = 1;
      } else if ((c & 0xc0) !== 0x80) {
        column++;
      }
    }
    this.state = state;
    this.depth = depth;
    this.line = line;
    this.column = column;
    if (n > 0) this.lastWasCr = bytes[n - 1] === 13;
    if (elementStart >= 0) {
      this.pieces.push(bytes.slice(elementStart));
      this.pieceBytes += n - elementStart;
      if (this.pieceBytes > this.maxBytes) throw this.elementTooLarge();
    }
  }

  finish(): void {
    if (this.sink.done) return;
    const at = { line: this.line, column: this.column };
    switch (this.state) {
      case BEFORE_ARRAY:
        throw scanFailure('PARSE_ERROR', this.file, `${this.file} is empty: there is no JSON array in it.`, {}, 'Lathe expects a JSON array of objects: [{"a": 1}, {"a": 2}].');
      case AFTER_ARRAY:
        if (this.elements === 0) throw scanFailure('PARSE_ERROR', this.file, `${this.file} holds an empty array: there are no rows to import.`, { line: 1, column: 1 });
        return;
      case IN_OBJECT:
      case IN_STRING:
      case IN_ESCAPE:
        throw scanFailure(
          'PARSE_ERROR',
          this.file,
          `${this.file} ends inside element ${this.elements + 1} of the array, which starts at line ${this.elementAt.line}, column ${this.elementAt.column}: the object is never closed.`,
          { ...this.elementAt, row: this.elements },
          'The file may have been cut short; check that it ends with "}]".',
        );
      default:
        throw scanFailure('PARSE_ERROR', this.file, `${this.file} ends before the array is closed with "]" (line ${at.line}, column ${at.column}).`, at, 'The file may have been cut short; check that it ends with "]".');
    }
  }

  positionAtEnd(): TextPosition {
    return { line: this.line, column: this.column };
  }

  get nextLine(): number {
    return this.line;
  }

  get separators(): { lf: number; crlf: number } {
    return { lf: this.lf, crlf: this.crlf };
  }

  atRowBoundary(): boolean {
    return this.state === AFTER_ARRAY;
  }

  finishRow(): number {
    throw new Error('A JSON array is read as one segment');
  }

  private endElement(bytes: Uint8Array, start: number, end: number): void {
    let text: string;
    if (this.pieces.length > 0) {
      if (this.pieceBytes + end > this.maxBytes) throw this.elementTooLarge();
      text = decodeBytes(joinBytes(this.pieces, bytes.subarray(0, end)), 0, this.pieceBytes + end);
      this.pieces = [];
      this.pieceBytes = 0;
    } else {
      if (end - start > this.maxBytes) throw this.elementTooLarge();
      text = decodeBytes(bytes, start, end);
    }
    this.records.add(text, this.elementAt, this.elements++);
  }

  private elementTooLarge() {
    const what = `Element ${this.elements + 1} of the array (starting at line ${this.elementAt.line}, column ${this.elementAt.column})`;
    return tooLarge(this.file, what, this.maxBytes, { ...this.elementAt, row: this.elements });
  }

  /** The failure for a byte that does not fit where it is (this.line/column point at it). */
  private unexpected(state: number, bytes: Uint8Array, i: number) {
    const at = { line: this.line, column: this.column };
    const where = `line ${at.line}, column ${at.column}`;
    const found = describeJsonStart(bytes, i);
    const fail = (message: string, extra: { row?: number; hint?: string } = {}) =>
      scanFailure('PARSE_ERROR', this.file, message, extra.row === undefined ? at : { ...at, row: extra.row }, extra.hint);
    if (state === BEFORE_ARRAY) {
      return fail(`${this.file} is not a JSON array of objects: it starts with ${found} at ${where}.`, {
        hint: bytes[i] === 123 ? 'For one JSON object per line, name the file .jsonl (JSON Lines); otherwise wrap the objects in [ and ].' : 'Lathe expects a JSON array of objects: [{"a": 1}, {"a": 2}].',
      });
    }
    if (state === AFTER_ARRAY) return fail(`${this.file} has ${found} after the end of the array, at ${where}.`, { hint: 'Only whitespace may follow the closing "]".' });
    if (state === AFTER_ELEMENT) return fail(`${this.file} has ${found} at ${where} where "," or "]" should follow element ${this.elements} of the array.`, { row: this.elements - 1 });
    if (state === AFTER_COMMA && bytes[i] === 93) return fail(`${this.file} has a "," with no element after it, before the "]" at ${where}.`, { hint: 'Remove the comma after the last element.' });
    return fail(`Element ${this.elements + 1} of the array in ${this.file} is not an object: it starts with ${found} at ${where}.`, {
      row: this.elements,
      hint: 'Every element must be an object: {"column": value, ...}.',
    });
  }
}

/** What a JSON value starting at bytes[i] is, for messages. */
export function describeJsonStart(bytes: Uint8Array, i: number): string {
  const c = bytes[i] as number;
  if (c === 34) return 'a string';
  if (c === 91) return 'an array';
  if (c === 123) return 'an object';
  if (c === 45 || (c >= 48 && c <= 57)) return 'a number';
  const word = decodeBytes(bytes, i, Math.min(bytes.length, i + 5));
  if (word.startsWith('true') || word.startsWith('false')) return 'a boolean';
  if (word.startsWith('null')) return 'null';
  return JSON.stringify(decodeBytes(bytes, i, i + (c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2)));
}
