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
 *
 * A large file is read as segments on two threads and merged (segment-pipeline.ts): the result
 * is the same whichever thread read what, and for a file of one segment (up to 8 MiB) the same
 * as here.
 */
import type { ColumnProfile, DatasetPreview, TableFormat } from '../../../../shared/contract/datasets.ts';
import { SegmentMerge } from './segment-merge.ts';
import { createSegmentScanner, FILE_START, type SegmentOptions } from './segment-scanner.ts';
import type { LineEnding } from './text-parser.ts';

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

/** What a segment scanner needs from the options, with their defaults. */
export function segmentOptions(options: TableScanOptions): SegmentOptions {
  return {
    format: options.format,
    fileName: options.fileName,
    mode: options.mode ?? 'full',
    previewRows: options.previewRows ?? DEFAULT_PREVIEW_ROWS,
    maxFieldBytes: options.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES,
    maxPreviewCellChars: options.maxPreviewCellChars ?? DEFAULT_MAX_PREVIEW_CELL_CHARS,
  };
}

/**
 * Reads a table file chunk by chunk, in bounded memory, into its row count, a profile of every
 * column and a preview of the first rows: the file as one segment (segment-scanner.ts), merged
 * alone. Chunks are not kept after write() returns, so the caller may reuse its buffer. Once
 * the scanner has thrown, it throws the same failure again.
 */
export function createTableScanner(options: TableScanOptions): TableScanner {
  const resolved = segmentOptions(options);
  const segment = createSegmentScanner(resolved, FILE_START);
  let failed: unknown = null;
  return {
    write: (chunk) => segment.write(chunk),
    end() {
      if (failed !== null) throw failed;
      try {
        const merge = new SegmentMerge(resolved);
        merge.add(segment.end(true));
        return merge.finish();
      } catch (error) {
        failed = error;
        throw error;
      }
    },
    get rows() {
      return segment.rows;
    },
    get done() {
      return segment.done;
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
