import type { TableFormat } from '../../../../shared/contract/datasets.ts';
import type { LatheFailure } from '../../errors.ts';
import type { ColumnState } from './column-profiler.ts';
import { CsvTokenizer } from './csv-tokenizer.ts';
import { JsonArrayScanner } from './json-array-scanner.ts';
import { JsonLinesScanner } from './json-lines-scanner.ts';
import type { PreviewRows } from './preview-builder.ts';
import { scanFailure } from './scan-errors.ts';
import type { HistogramWidth } from './streaming-histogram.ts';
import { TableSink } from './table-sink.ts';
import { joinBytes, type TableParser } from './text-parser.ts';
import type { TextPosition } from './text-position.ts';
import { Utf8Check, type EncodingProblem } from './utf8-check.ts';

/**
 * One segment of a table file: the rows between two row boundaries, read on their own into
 * mergeable column profiles (column-profiler.ts), the first rows for the preview, and what
 * the merge needs to go on (rows, lines, record separators). A whole file is one segment; a
 * large one is read as several, on several threads, and merged in file order (profile-merge.ts,
 * segment-pipeline.ts).
 *
 * A segment that starts after the first row boundary is told the header (CSV/TSV) and where it
 * starts. Where it starts may be a guess (segment-pipeline.ts): the line and rows before it are
 * then unknown (line 1 and row 0 stand in), so its errors are not final: the pipeline reads it
 * again, located, before reporting one.
 */
export interface SegmentOptions {
  format: TableFormat;
  fileName: string;
  mode: 'full' | 'preview';
  previewRows: number;
  maxFieldBytes: number;
  maxPreviewCellChars: number;
}

export interface SegmentStart {
  /** Where its first byte is in the file. */
  byteOffset: number;
  /** The line its first byte is on, and the data rows before it (1 and 0 stand in when not known). */
  line: number;
  rowsBefore: number;
  /** CSV/TSV after the first segment: the header's names. */
  header: readonly string[] | null;
  /** Columns known before it, in order (JSON Lines, for a located read: the column limit counts them). */
  columnsBefore: readonly string[] | null;
  /** Starting histogram widths chosen by the file's first values, by column, where known. */
  widths: Readonly<Record<string, HistogramWidth>> | null;
}

export const FILE_START: SegmentStart = { byteOffset: 0, line: 1, rowsBefore: 0, header: null, columnsBefore: null, widths: null };

/** A segment read to its end: everything the merge needs, as plain data (it crosses threads). */
export interface SegmentResult {
  rows: number;
  /** Line breaks in its bytes (the next segment starts this many lines later). */
  lines: number;
  lf: number;
  crlf: number;
  /** The first segment: whether the file starts with a byte order mark. */
  bom: boolean;
  /** CSV/TSV: the header (read in the first segment, given to the others). */
  header: string[] | null;
  /** Preview mode: it stopped once it had the rows. */
  done: boolean;
  columns: ColumnState[];
  preview: PreviewRows;
}

export interface SegmentScanner {
  /** The next bytes of the segment. Throws LatheFailure on bad input. */
  write(chunk: Uint8Array): void;
  /** Whether the bytes written end at a row boundary (a segment that does not is extended). */
  atRowBoundary(): boolean;
  /**
   * Bytes past the segment's end, when it ends inside a row, only to finish that row: how many
   * of them the row takes, or -1 when it takes them all and goes on.
   */
  finishRow(chunk: Uint8Array): number;
  /** The end of the segment; `endOfFile`: also of the file (the checks only its end can make). */
  end(endOfFile: boolean): SegmentResult;
  /** Data rows read so far. */
  readonly rows: number;
  /** Preview mode: enough rows have been read. */
  readonly done: boolean;
  /** CSV/TSV: the header, once read. */
  readonly header: readonly string[] | null;
  /** The starting histogram widths chosen so far, by column (the first segment's tell the others). */
  histogramWidths(): Record<string, HistogramWidth>;
}

const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/**
 * Reads a segment chunk by chunk, in bounded memory. The bytes are checked as UTF-8 but never
 * decoded as a whole: the parsers work on bytes and decode only names, preview cells and shown
 * values. Chunks are not kept after write() returns, so the caller may reuse its buffer. Once
 * it has thrown, it throws the same failure again.
 */
export function createSegmentScanner(options: SegmentOptions, start: SegmentStart): SegmentScanner {
  const file = options.fileName;
  const first = start.byteOffset === 0;
  const sink = new TableSink({
    previewRows: options.previewRows,
    maxPreviewCellChars: options.maxPreviewCellChars,
    mode: options.mode,
    firstSegment: first,
    widths: start.widths,
  });
  for (const name of start.columnsBefore ?? []) sink.columnIndex(name);
  const parser = createParser(options, sink, start);
  const utf8 = new Utf8Check(start.byteOffset);
  /** The first bytes of the file, held back until it is clear whether they start with a byte order mark. */
  let head: Uint8Array | null = first ? new Uint8Array(0) : null;
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
  /** Checks a chunk as UTF-8 and pushes its bytes, up to the first problem (then thrown). */
  const checked = (chunk: Uint8Array) => {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    const result = utf8.check(bytes);
    const last = result.problem !== null;
    if (result.completed !== null) push(result.completed, last && result.start === result.end);
    if (result.start < result.end || (last && result.completed === null)) {
      push(result.start === 0 && result.end === bytes.length ? bytes : bytes.subarray(result.start, result.end), last);
    }
    if (result.problem !== null) problem(result.problem);
  };

  return {
    write(chunk) {
      guarded(() => {
        if (sink.done || chunk.length === 0) return;
        checked(chunk);
      });
    },
    atRowBoundary: () => parser.atRowBoundary(),
    finishRow(chunk) {
      return guarded(() => {
        if (parser.atRowBoundary()) return 0;
        // Checked as UTF-8 as far as the row goes: past its end, the bytes are the next
        // segment's, and a problem there is that segment's to report.
        const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
        const result = utf8.check(bytes);
        // A completed character holds no line break, so the row goes on through it.
        if (result.completed !== null) parser.finishRow(result.completed);
        if (result.start < result.end) {
          const used = parser.finishRow(bytes.subarray(result.start, result.end));
          if (used >= 0) return result.start + used;
        }
        if (result.problem !== null) problem(result.problem);
        return -1;
      });
    },
    end(endOfFile) {
      return guarded(() => {
        if (endOfFile && !sink.done) {
          if (head !== null && head.length > 0) push(new Uint8Array(0), true);
          const found = utf8.end();
          if (found !== null) problem(found);
          parser.finish();
        }
        ended = true;
        const separators = parser.separators;
        return {
          rows: sink.rows,
          lines: parser.nextLine - start.line,
          lf: separators.lf,
          crlf: separators.crlf,
          bom,
          header: parser instanceof CsvTokenizer && parser.headerNames !== null ? [...parser.headerNames] : null,
          done: sink.done,
          columns: sink.profilers.map((profiler) => profiler.state()),
          preview: sink.previewBuilder.state(),
        };
      });
    },
    get rows() {
      return sink.rows;
    },
    get done() {
      return sink.done;
    },
    get header() {
      return parser instanceof CsvTokenizer ? parser.headerNames : null;
    },
    histogramWidths() {
      const widths: Record<string, HistogramWidth> = {};
      for (const profiler of sink.profilers) {
        const width = profiler.histogramWidth;
        if (width !== null) widths[profiler.name] = width;
      }
      return widths;
    },
  };
}

function createParser(options: SegmentOptions, sink: TableSink, start: SegmentStart): TableParser {
  const { fileName: file, maxFieldBytes } = options;
  const at = { line: start.line, rowsBefore: start.rowsBefore };
  switch (options.format) {
    case 'csv':
      return new CsvTokenizer({ file, delimiter: ',', maxFieldBytes, sink, ...at, header: start.header });
    case 'tsv':
      return new CsvTokenizer({ file, delimiter: '\t', maxFieldBytes, sink, ...at, header: start.header });
    case 'json':
      if (start.byteOffset !== 0) throw new Error('A JSON array is read as one segment');
      return new JsonArrayScanner({ file, maxFieldBytes, sink });
    case 'jsonl':
      return new JsonLinesScanner({ file, maxFieldBytes, sink, ...at });
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
