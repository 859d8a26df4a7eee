import type { ColumnProfile, DatasetPreview } from '../../../../shared/contract/datasets.ts';
import { ColumnProfiler } from './column-profiler.ts';
import { PreviewBuilder } from './preview-builder.ts';

/**
 * The most columns a table may have. A profile is a card per column in the app and about 1.8 KB
 * per column in the manifest committed with every version (18 MB at this cap), and a wider
 * table is better kept as several narrower ones or in a columnar format. Checked before any
 * column's state exists: CSV/TSV headers in csv-tokenizer, JSON keys in json-records.
 */
export const MAX_COLUMNS = 10_000;

/**
 * Where the format parsers deliver rows: the columns with their profilers, the preview, the row
 * count, and (in preview mode) when to stop. A parser adds cells to `profilers[i]` and the row
 * from `startPreviewRow()`, then calls `endRow()`.
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

  constructor(options: { previewRows: number; maxPreviewCellChars: number; mode: 'full' | 'preview' }) {
    this.preview = new PreviewBuilder(options.previewRows, options.maxPreviewCellChars);
    this.stopAfter = options.mode === 'preview' ? Math.max(1, options.previewRows) : Number.POSITIVE_INFINITY;
  }

  /** The index of a column, adding it on first appearance (JSON keys); -1 past MAX_COLUMNS. */
  columnIndex(name: string): number {
    let index = this.columnIndexes.get(name);
    if (index === undefined) {
      if (this.columns.length === MAX_COLUMNS) return -1;
      index = this.columns.length;
      this.columns.push(name);
      this.profilers.push(new ColumnProfiler(name));
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

  profile(): ColumnProfile[] {
    return this.profilers.map((profiler) => profiler.profile(this.rows));
  }

  buildPreview(): DatasetPreview {
    return this.preview.build(this.columns);
  }
}
