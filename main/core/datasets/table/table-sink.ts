import { ColumnProfiler, type HistogramStart } from './column-profiler.ts';
import { PreviewBuilder } from './preview-builder.ts';
import type { HistogramWidth } from './streaming-histogram.ts';

/**
 * The most columns a table may have. A profile is a card per column in the app and about 1.8 KB
 * per column in the manifest committed with every version (18 MB at this cap), and a wider
 * table is better kept as several narrower ones or in a columnar format. Checked before any
 * column's state exists: CSV/TSV headers in csv-tokenizer, JSON keys in json-records.
 */
export const MAX_COLUMNS = 10_000;

/**
 * Where the format parsers deliver the rows of a segment of a file (or the whole file): the
 * columns with their profilers, the preview, the row count, and (in preview mode) when to stop.
 * A parser adds cells to `profilers[i]` and the row from `startPreviewRow()`, then calls
 * `endRow()`. In a segment after the first, a new column's histogram starts from the width the
 * file's first values chose when that is known, and otherwise keeps its values for the merge.
 */
export class TableSink {
  readonly columns: string[] = [];
  readonly profilers: ColumnProfiler[] = [];
  rows = 0;
  /** Preview mode only: enough rows have been read. */
  done = false;
  private readonly preview: PreviewBuilder;
  private readonly stopAfter: number;
  private readonly columnIndexes = new Map<string, number>();

  private readonly firstSegment: boolean;
  private readonly widths: Readonly<Record<string, HistogramWidth>>;

  constructor(options: { previewRows: number; maxPreviewCellChars: number; mode: 'full' | 'preview'; firstSegment: boolean; widths: Readonly<Record<string, HistogramWidth>> | null }) {
    this.preview = new PreviewBuilder(options.previewRows, options.maxPreviewCellChars);
    this.stopAfter = options.mode === 'preview' ? Math.max(1, options.previewRows) : Number.POSITIVE_INFINITY;
    this.firstSegment = options.firstSegment;
    this.widths = options.widths ?? {};
  }

  /** The index of a column, adding it on first appearance (JSON keys); -1 past MAX_COLUMNS. */
  columnIndex(name: string): number {
    let index = this.columnIndexes.get(name);
    if (index === undefined) {
      if (this.columns.length === MAX_COLUMNS) return -1;
      index = this.columns.length;
      this.columns.push(name);
      const width = Object.hasOwn(this.widths, name) ? this.widths[name] : undefined;
      const histogram: HistogramStart = this.firstSegment ? 'choose' : (width ?? 'keep values');
      this.profilers.push(new ColumnProfiler(name, histogram));
      this.columnIndexes.set(name, index);
    }
    return index;
  }

  startPreviewRow() {
    return this.preview.startRow();
  }

  get previewBuilder(): PreviewBuilder {
    return this.preview;
  }

  endRow(): void {
    if (++this.rows >= this.stopAfter) this.done = true;
  }
}
