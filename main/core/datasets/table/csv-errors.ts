import type { ErrorLocation } from '../../../../shared/contract/result.ts';
import type { LatheFailure } from '../../errors.ts';
import { fieldLabel, scanFailure, tooLarge } from './scan-errors.ts';
import { MAX_COLUMNS } from './table-sink.ts';
import { columnOf } from './utf8-bytes.ts';

/**
 * The CSV/TSV tokenizer's failures. Every one says what is wrong and where: the line, the
 * column (a character position in the line) and, for data rows, the row index (0-based, not
 * counting the header) and the column name.
 */
export class CsvErrors {
  private readonly file: string;
  private readonly separator: string;
  private readonly header: () => readonly string[] | null;
  private readonly row: () => number;

  constructor(file: string, delimiter: ',' | '\t', header: () => readonly string[] | null, row: () => number) {
    this.file = file;
    this.separator = delimiter === ',' ? 'comma' : 'tab';
    this.header = header;
    this.row = row;
  }

  empty(): LatheFailure {
    return scanFailure('PARSE_ERROR', this.file, `${this.file} is empty: there is no header row and no data.`, {}, 'Choose a file with a header row and at least one row of data.');
  }

  /** The header has `count` fields, more than MAX_COLUMNS (it starts on `line`). */
  tooManyColumns(count: number, line: number): LatheFailure {
    return scanFailure(
      'TOO_LARGE',
      this.file,
      `${this.file} has ${count.toLocaleString('en')} columns; Lathe imports tables of at most ${MAX_COLUMNS.toLocaleString('en')} columns.`,
      { line, column: 1 },
      `Keep the columns you need in a narrower file (or split it into several of at most ${MAX_COLUMNS.toLocaleString('en')} columns), and import that.`,
    );
  }

  headerOnly(line: number): LatheFailure {
    return scanFailure('PARSE_ERROR', this.file, `${this.file} has a header row but no data rows.`, { line }, 'Add at least one row of data under the header.');
  }

  /**
   * A quote-free row with a field past the header's count, which starts at `column` of `line`:
   * `count` fields in all, or at least that many when a quote came after (a quoted delimiter
   * cannot be told apart without parsing).
   */
  tooManyFields(count: number, exact: boolean, line: number, column: number, columns: number): LatheFailure {
    return scanFailure(
      'PARSE_ERROR',
      this.file,
      `Line ${line} of ${this.file} has ${exact ? '' : 'at least '}${count} fields; the header has ${columns} (field ${columns + 1} starts at column ${column}).`,
      this.location(line, column, undefined),
      this.delimiterHint(),
    );
  }

  tooManyFieldsAfterQuotes(bytes: Uint8Array, count: number, firstLine: number, line: number, lineStart: number, at: number, columns: number): LatheFailure {
    const column = columnOf(bytes, lineStart, at);
    const where = firstLine === line ? `Line ${line}` : `The row on lines ${firstLine}–${line}`;
    return scanFailure(
      'PARSE_ERROR',
      this.file,
      `${where} of ${this.file} has more than ${count} fields; the header has ${columns} (field ${count + 1} starts at line ${line}, column ${column}).`,
      this.location(line, column, undefined),
      this.delimiterHint(),
    );
  }

  tooFewFields(count: number, columns: number, firstLine: number, lastLine: number, column: number): LatheFailure {
    const where = firstLine === lastLine ? `Line ${firstLine}` : `The row on lines ${firstLine}–${lastLine}`;
    const missing = this.header()?.[count];
    return scanFailure(
      'PARSE_ERROR',
      this.file,
      `${where} of ${this.file} has ${count} field${count === 1 ? '' : 's'}; the header has ${columns} (${fieldLabel(count, missing)} is missing).`,
      this.location(lastLine, column, count),
      'Every row needs one value per column; leave a value empty between delimiters when it is missing.',
    );
  }

  fieldTooLarge(bytes: Uint8Array, lineStart: number, at: number, line: number, field: number, limit: number): LatheFailure {
    const column = columnOf(bytes, lineStart, at);
    const header = this.header();
    const what = `${header === null ? 'Column name' : 'Field'} ${field + 1}${header?.[field] === undefined ? '' : ` ("${header[field]}")`} at line ${line}, column ${column}`;
    return tooLarge(this.file, what, limit, this.location(line, column, field));
  }

  unterminatedQuote(bytes: Uint8Array, field: number, line: number, lineStart: number, at: number): LatheFailure {
    const column = columnOf(bytes, lineStart, at);
    return scanFailure(
      'PARSE_ERROR',
      this.file,
      `${this.file} ends inside a quoted value: the quote that opens ${fieldLabel(field, this.header()?.[field])} at line ${line}, column ${column} is never closed.`,
      this.location(line, column, field),
      'A value that starts with a double quote must end with one; write a quote inside it as two quotes ("").',
    );
  }

  textAfterQuote(bytes: Uint8Array, field: number, line: number, lineStart: number, at: number): LatheFailure {
    const column = columnOf(bytes, lineStart, at);
    return scanFailure(
      'PARSE_ERROR',
      this.file,
      `Line ${line} of ${this.file}, ${fieldLabel(field, this.header()?.[field])}: there is text after the closing quote, at column ${column}; a quoted value must be followed by a ${this.separator} or the end of the line.`,
      this.location(line, column, field),
      'Write a quote inside a quoted value as two quotes ("").',
    );
  }

  private location(line: number, column: number, field: number | undefined): Omit<ErrorLocation, 'file'> {
    const header = this.header();
    const name = field === undefined ? undefined : header?.[field];
    return { line, column, ...(header === null ? {} : { row: this.row() }), ...(name === undefined ? {} : { field: name }) };
  }

  private delimiterHint(): string {
    return `A value that contains a ${this.separator} must be in double quotes.`;
  }
}
