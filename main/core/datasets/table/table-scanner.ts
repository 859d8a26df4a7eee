/**
 * The streaming table scanner behind dataset import: a data file's bytes go in chunk by chunk
 * (never the whole file), and out come the row count, a profile of every column and a preview
 * of the first rows, or a LatheFailure saying what is wrong and where.
 *
 * Where: every failure's location has `file`; `line` and `column` are 1-based, the column
 * counting characters (code points) in the line; `row` is the 0-based data row (the header is
 * not a row; a JSON array's element index); `field` is the column name when there is one;
 * encoding failures add `byteOffset`. Messages say the same in words ("Line 7 of data.csv has
 * 4 fields; the header has 5 ...").
 *
 * Preview mode reads until it has `previewRows` rows (then `done` is true and later writes are
 * ignored); its result profiles only those rows and skips the end-of-file checks.
 *
 * Types: CSV/TSV cells are inferred from their text (text-values.ts; missing tokens in
 * missing-values.ts); JSON values keep their JSON type, except that an ISO 8601 date string is
 * a datetime. Distinct counts and top values are exact up to 10,000 distinct values per column,
 * then estimated (distinct-counter.ts). See each file for the details.
 */
import type { ColumnProfile, DatasetPreview, TableFormat } from '../../../../shared/contract/datasets.ts';
import type { LatheFailure } from '../../errors.ts';
import { CsvTokenizer } from './csv-tokenizer.ts';
import { JsonArrayScanner } from './json-array-scanner.ts';
import { JsonLinesScanner } from './json-lines-scanner.ts';
import { scanFailure } from './scan-errors.ts';
import { TableSink } from './table-sink.ts';
import { joinBytes, type LineEnding, type TableParser } from './text-parser.ts';
import type { TextPosition } from './text-position.ts';
import { Utf8Check, type EncodingProblem } from './utf8-check.ts';

export { formatFromFileName } from './format-from-file-name.ts';
export { MISSING_VALUE_TOKENS } from './missing-values.ts';

export interface TableScanOptions {
  /** 'csv' | 'tsv' | 'json' (a top-level array of objects) | 'jsonl'. */
  format: TableFormat;
  /** For error locations and messages only. */
  fileName: string;
  /** preview: stop (and set `done`) once previewRows rows are read. Default full. */
  mode?: 'full' | 'preview';
  /** Default 100. */
  previewRows?: number;
  /** Default 64 MiB: a field (or a JSON record / JSON Lines line) over this is TOO_LARGE. */
  maxFieldBytes?: number;
  /** Default 1000: longer preview cells are cut (and preview.truncatedCells is true). */
  maxPreviewCellChars?: number;
}

export interface ParseInfo {
  bom: boolean;
  /** How records are separated ('none': a single line without a line break). */
  lineEnding: LineEnding;
}

export interface TableScanResult {
  columns: string[];
  rows: number;
  profile: ColumnProfile[];
  preview: DatasetPreview;
  parse: ParseInfo;
}

export interface TableScanner {
  /** The next bytes of the file. Throws LatheFailure on bad input. */
  write(chunk: Uint8Array): void;
  /** The end of the file: throws LatheFailure for problems only visible there. */
  end(): TableScanResult;
  /** Data rows read so far (for progress). */
  readonly rows: number;
  /** Preview mode: enough rows have been read; the caller may stop writing. */
  readonly done: boolean;
}

export const DEFAULT_PREVIEW_ROWS = 100;
export const DEFAULT_MAX_FIELD_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_PREVIEW_CELL_CHARS = 1000;

const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/**
 * Reads a table file chunk by chunk, in bounded memory, into its row count, a profile of every
 * column and a preview of the first rows. The bytes are checked as UTF-8 but never decoded as a
 * whole: the parsers work on bytes and decode only names, preview cells and shown values.
 * Chunks are not kept after write() returns, so the caller may reuse its buffer. Once the
 * scanner has thrown, it throws the same failure again.
 */
export function createTableScanner(options: TableScanOptions): TableScanner {
  const file = options.fileName;
  const maxFieldBytes = options.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
  const sink = new TableSink({
    previewRows: options.previewRows ?? DEFAULT_PREVIEW_ROWS,
    maxPreviewCellChars: options.maxPreviewCellChars ?? DEFAULT_MAX_PREVIEW_CELL_CHARS,
    mode: options.mode ?? 'full',
  });
  const parser = createParser(options.format, file, maxFieldBytes, sink);
  const utf8 = new Utf8Check();
  /** The first bytes, held back until it is clear whether they start with a byte order mark. */
  let head: Uint8Array | null = new Uint8Array(0);
  let bom = false;
  let failed: unknown = null;
  let ended = false;

  const guarded = <T>(run: () => T): T => {
    if (failed !== null) throw failed;
    if (ended) throw new Error('The table scanner has already ended');
    try {
      return run();
    } catch (error) {
      failed = error;
      throw error;
    }
  };
  const push = (bytes: Uint8Array, last: boolean) => {
    if (head !== null) {
      bytes = joinBytes([head], bytes);
      if (!last && bytes.length < 3 && BOM.subarray(0, bytes.length).every((byte, i) => bytes[i] === byte)) {
        head = bytes;
        return;
      }
      head = null;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        bom = true;
        bytes = bytes.subarray(3);
      }
    }
    if (bytes.length > 0) parser.push(bytes);
  };
  const problem = (found: EncodingProblem) => {
    if (!sink.done) throw encodingFailure(file, found, parser.positionAtEnd());
  };

  return {
    write(chunk) {
      guarded(() => {
        if (sink.done || chunk.length === 0) return;
        const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
        const checked = utf8.check(bytes);
        const last = checked.problem !== null;
        if (checked.completed !== null) push(checked.completed, last && checked.start === checked.end);
        if (checked.start < checked.end || (last && checked.completed === null)) {
          push(checked.start === 0 && checked.end === bytes.length ? bytes : bytes.subarray(checked.start, checked.end), last);
        }
        if (checked.problem !== null) problem(checked.problem);
      });
    },
    end() {
      return guarded(() => {
        if (!sink.done) {
          if (head !== null && head.length > 0) push(new Uint8Array(0), true);
          const found = utf8.end();
          if (found !== null) problem(found);
          parser.finish();
        }
        ended = true;
        return {
          columns: [...sink.columns],
          rows: sink.rows,
          profile: sink.profile(),
          preview: sink.buildPreview(),
          parse: { bom, lineEnding: parser.lineEnding() },
        };
      });
    },
    get rows() {
      return sink.rows;
    },
    get done() {
      return sink.done;
    },
  };
}

/** The preview of a file, reading only as far as it needs (the rest of the stream is closed). */
export async function readPreview(chunks: AsyncIterable<Uint8Array>, options: Omit<TableScanOptions, 'mode'>): Promise<DatasetPreview> {
  const scanner = createTableScanner({ ...options, mode: 'preview' });
  for await (const chunk of chunks) {
    scanner.write(chunk);
    if (scanner.done) break;
  }
  return scanner.end().preview;
}

function createParser(format: TableFormat, file: string, maxFieldBytes: number, sink: TableSink): TableParser {
  switch (format) {
    case 'csv':
      return new CsvTokenizer({ file, delimiter: ',', maxFieldBytes, sink });
    case 'tsv':
      return new CsvTokenizer({ file, delimiter: '\t', maxFieldBytes, sink });
    case 'json':
      return new JsonArrayScanner({ file, maxFieldBytes, sink });
    case 'jsonl':
      return new JsonLinesScanner({ file, maxFieldBytes, sink });
  }
}

function encodingFailure(file: string, problem: EncodingProblem, at: TextPosition): LatheFailure {
  const where = `line ${at.line}, column ${at.column}`;
  const location = { ...at, byteOffset: problem.byteOffset };
  const saveAsUtf8 = 'Save it as UTF-8 (in Excel: "CSV UTF-8") and import again.';
  switch (problem.kind) {
    case 'nul':
      return scanFailure('ENCODING_ERROR', file, `${file} looks like a binary file, not text: it has a NUL byte at ${where} (byte offset ${problem.byteOffset}).`, location, 'Lathe imports text tables: CSV, TSV, JSON and JSON Lines.');
    case 'utf16':
      return scanFailure('ENCODING_ERROR', file, `${file} is UTF-16 text, not UTF-8; save it as UTF-8 and import again.`, location, saveAsUtf8);
    case 'truncated':
      return scanFailure('ENCODING_ERROR', file, `${file} ends in the middle of a UTF-8 character at ${where}; save it as UTF-8 and import again.`, location, saveAsUtf8);
    case 'invalid':
      return scanFailure('ENCODING_ERROR', file, `${file} is not valid UTF-8 at ${where} (byte 0x${problem.byte.toString(16).padStart(2, '0')}); save it as UTF-8 and import again.`, location, saveAsUtf8);
  }
}
