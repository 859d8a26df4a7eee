import type { PreviewCell } from '../../../../shared/contract/datasets.ts';
import { ColumnProfiler } from './column-profiler.ts';
import { CsvErrors } from './csv-errors.ts';
import { scanFailure } from './scan-errors.ts';
import type { SegmentOptions, SegmentResult } from './segment-scanner.ts';
import type { HistogramWidth } from './streaming-histogram.ts';
import { MAX_COLUMNS } from './table-sink.ts';
import type { TableScanResult } from './table-scanner.ts';
import { lineEndingOf } from './text-parser.ts';

/**
 * The segments of a file merged in file order into the file's profile. Columns are the union in
 * order of first appearance; each column's profile merges (column-profiler.ts), so counts,
 * types, min/max, histograms and exact distinct counts are as one pass would have them, and
 * the rest (mean and standard deviation, estimated top values) depend only on the segments,
 * never on which thread read which. The preview takes the first rows, and the checks only the
 * whole file can make (a table with no rows) are made at the end.
 */
export class SegmentMerge {
  readonly columns: string[] = [];
  rows = 0;
  /** Line breaks so far: the next segment starts on line lines + 1. */
  lines = 0;
  private readonly options: SegmentOptions;
  private readonly profilers: ColumnProfiler[] = [];
  private readonly indexes = new Map<string, number>();
  private lf = 0;
  private crlf = 0;
  private bom = false;
  private header: string[] | null = null;
  private readonly previewRows: PreviewCell[][] = [];
  private truncated = false;
  private done = false;
  private segments = 0;

  constructor(options: SegmentOptions) {
    this.options = options;
  }

  /**
   * Adds the next segment. False, adding nothing, when its new columns would take the table
   * past MAX_COLUMNS (the caller reads the segment again, located, for the error).
   */
  add(segment: SegmentResult): boolean {
    const map = segment.columns.map((column) => this.indexes.get(column.name) ?? -1);
    if (this.columns.length + map.filter((index) => index < 0).length > MAX_COLUMNS) return false;
    segment.columns.forEach((column, k) => {
      let index = map[k] as number;
      if (index < 0) {
        index = this.columns.length;
        this.columns.push(column.name);
        this.profilers.push(new ColumnProfiler(column.name));
        this.indexes.set(column.name, index);
        map[k] = index;
      }
      (this.profilers[index] as ColumnProfiler).merge(column);
    });
    if (this.segments++ === 0) {
      this.bom = segment.bom;
      this.header = segment.header;
    }
    const preview = segment.preview;
    for (let r = 0; r < preview.rows.length && this.previewRows.length < this.options.previewRows; r++) {
      const row: PreviewCell[] = [];
      (preview.rows[r] as PreviewCell[]).forEach((cell, k) => {
        const index = map[k] as number;
        while (row.length < index) row.push(null);
        row[index] = cell;
      });
      this.previewRows.push(row);
      if (preview.truncated[r] === true) this.truncated = true;
    }
    this.rows += segment.rows;
    this.lines += segment.lines;
    this.lf += segment.lf;
    this.crlf += segment.crlf;
    if (segment.done) this.done = true;
    return true;
  }

  /** Starting histogram widths chosen so far, by column (the segments after tell their histograms). */
  histogramWidths(): Record<string, HistogramWidth> {
    const widths: Record<string, HistogramWidth> = {};
    for (const profiler of this.profilers) {
      const width = profiler.histogramWidth;
      if (width !== null) widths[profiler.name] = width;
    }
    return widths;
  }

  /** The file's profile, once every segment is in; throws for a table with no rows. */
  finish(): TableScanResult {
    const { format, fileName: file } = this.options;
    if (!this.done && this.rows === 0) {
      if (format === 'csv' || format === 'tsv') {
        const errors = new CsvErrors(file, format === 'csv' ? ',' : '\t', () => this.header, () => this.rows);
        if (this.header === null) throw errors.empty();
        throw errors.headerOnly(Math.max(1, this.lines));
      }
      if (format === 'jsonl') {
        throw scanFailure('PARSE_ERROR', file, `${file} is empty: it has no JSON objects, one per line.`, {}, 'Lathe expects one JSON object per line: {"a": 1}');
      }
    }
    const width = this.columns.length;
    const rows = this.previewRows.map((row) => (row.length < width ? [...row, ...new Array<PreviewCell>(width - row.length).fill(null)] : row));
    return {
      columns: [...this.columns],
      rows: this.rows,
      profile: this.profilers.map((profiler) => profiler.profile(this.rows)),
      preview: { columns: [...this.columns], rows, truncatedCells: this.truncated },
      parse: { bom: this.bom, lineEnding: lineEndingOf(this.lf, this.crlf) },
    };
  }
}
