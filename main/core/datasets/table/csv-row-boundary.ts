import { tooLarge } from './scan-errors.ts';
import { MAX_COLUMNS } from './table-sink.ts';

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3; // a quote inside a quoted field: closes it, or starts a "" escape

const QUOTE = 34;
const LF = 10;

/**
 * Finds where a CSV row ends when the row spans chunks, reading each new chunk once and keeping
 * only a few numbers of state, so a long row (a 10 MB quoted field, or a file with no newline)
 * costs linear time. The tokenizer keeps the row's bytes meanwhile and parses them once this
 * says the row is complete. It also bounds that buffer: a field over the limit is TOO_LARGE
 * right away, and a data row with more fields than the header is handed back early so the
 * tokenizer reports it. A header with more than MAX_COLUMNS fields is handed back as soon as
 * it has one more (`overflowed`), and can then be read on to its end only counting its fields
 * (`countOn`), so a file with a million columns is refused without keeping its header.
 */
export class CsvRowBoundary {
  private readonly file: string;
  private readonly delimiter: number;
  private readonly maxBytes: number;
  private state = FIELD_START;
  private fieldIndex = 0;
  private fieldBytes = 0;
  private rowBytes = 0;
  private line = 1;
  private column = 1;
  private fieldLine = 1;
  private fieldColumn = 1;
  private maxFields = 0;
  private names: readonly string[] | null = null;
  private row: number | undefined;

  constructor(file: string, delimiter: number, maxFieldBytes: number) {
    this.file = file;
    this.delimiter = delimiter;
    this.maxBytes = maxFieldBytes;
  }

  /** A row starts on `line`; `names` is the header (null while reading the header itself). */
  reset(line: number, names: readonly string[] | null, row: number | undefined): void {
    this.state = FIELD_START;
    this.fieldIndex = 0;
    this.fieldBytes = 0;
    this.rowBytes = 0;
    this.line = line;
    this.column = 1;
    this.names = names;
    this.maxFields = names === null ? MAX_COLUMNS : names.length;
    this.row = row;
  }

  /**
   * Reads the next piece of the row: the index just past the newline that ends it (or past the
   * delimiter that starts one field too many), or -1 when the row goes on.
   */
  scan(bytes: Uint8Array, from = 0): number {
    const delimiter = this.delimiter;
    for (let i = from; i < bytes.length; i++) {
      const c = bytes[i] as number;
      let state = this.state;
      if (state === FIELD_START) {
        this.fieldLine = this.line;
        this.fieldColumn = this.column;
        this.fieldBytes = 0;
        state = c === QUOTE ? QUOTED : UNQUOTED;
        if (state === QUOTED) {
          this.state = state;
          this.step(c);
          continue;
        }
      }
      if (state === QUOTED) {
        if (c === QUOTE) state = QUOTE_SEEN;
        else this.fieldBytes++;
      } else if (state === QUOTE_SEEN && c === QUOTE) {
        state = QUOTED;
        this.fieldBytes++;
      } else if (c === delimiter) {
        state = FIELD_START;
        if (++this.fieldIndex >= this.maxFields) return i + 1;
      } else if (c === LF) {
        return i + 1;
      } else {
        // After a closing quote this is an error the tokenizer reports once the row is whole.
        state = UNQUOTED;
        this.fieldBytes++;
      }
      this.state = state;
      this.step(c);
      if (this.fieldBytes > this.maxBytes) throw this.fieldTooLarge();
      if (this.names === null && this.rowBytes > this.maxBytes) {
        throw tooLarge(this.file, 'The header row', this.maxBytes, { line: this.fieldLine, column: 1 });
      }
    }
    return -1;
  }

  /** The header read so far has more than MAX_COLUMNS fields. */
  get overflowed(): boolean {
    return this.names === null && this.fieldIndex >= MAX_COLUMNS;
  }

  /** Fields in the row read so far. */
  get fields(): number {
    return this.fieldIndex + 1;
  }

  /** Reads on with no limit on fields (to count them). */
  countOn(): void {
    this.maxFields = Number.MAX_SAFE_INTEGER;
  }

  private step(c: number): void {
    this.rowBytes++;
    if (c === LF) {
      this.line++;
      this.column = 1;
    } else if ((c & 0xc0) !== 0x80) {
      this.column++;
    }
  }

  private fieldTooLarge() {
    const name = this.names?.[this.fieldIndex];
    const what = `Field ${this.fieldIndex + 1}${name === undefined ? '' : ` ("${name}")`} starting at line ${this.fieldLine}, column ${this.fieldColumn}`;
    return tooLarge(this.file, what, this.maxBytes, {
      line: this.fieldLine,
      column: this.fieldColumn,
      ...(this.row === undefined ? {} : { row: this.row }),
      ...(name === undefined ? {} : { field: name }),
    });
  }
}
