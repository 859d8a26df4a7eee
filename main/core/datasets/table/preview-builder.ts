import type { DatasetPreview, PreviewCell } from '../../../../shared/contract/datasets.ts';
import { jsonText } from './json-text.ts';
import { isMissingBytes } from './missing-values.ts';
import { cutAtChar, cutText, decodeBytes, detachedString } from './utf8-bytes.ts';

/**
 * The first rows of a table as cells: CSV cells are their raw text (missing tokens → null),
 * JSON cells their value (objects and arrays → their JSON text, null/absent → null). Cells
 * longer than `maxCellChars` characters (UTF-16 units) are cut, and the preview says so.
 */
export class PreviewBuilder {
  private readonly rows: PreviewCell[][] = [];
  private readonly limit: number;
  private readonly maxCellChars: number;
  private truncated = false;

  constructor(limit: number, maxCellChars: number) {
    this.limit = limit;
    this.maxCellChars = maxCellChars;
  }

  /** A new row to fill, or null once the preview has all its rows. */
  startRow(): PreviewCell[] | null {
    if (this.rows.length >= this.limit) return null;
    const row: PreviewCell[] = [];
    this.rows.push(row);
    return row;
  }

  /** A CSV cell: bytes[start, end). */
  bytesCell(bytes: Uint8Array, start: number, end: number): PreviewCell {
    if (isMissingBytes(bytes, start, end)) return null;
    // Never decode more than the cell can show: a character is at most 4 bytes.
    const cut = cutAtChar(bytes, start, end, this.maxCellChars * 4);
    if (cut < end) this.truncated = true;
    return this.cut(decodeBytes(bytes, start, cut));
  }

  valueCell(value: unknown): PreviewCell {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return detachedString(this.cut(value));
    if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
    if (typeof value === 'boolean') return value;
    return this.cut(jsonText(value));
  }

  /** The preview, every row padded with null to the final number of columns. */
  build(columns: string[]): DatasetPreview {
    const width = columns.length;
    const rows = this.rows.map((row) => (row.length < width ? [...row, ...new Array<PreviewCell>(width - row.length).fill(null)] : row));
    return { columns: [...columns], rows, truncatedCells: this.truncated };
  }

  private cut(text: string): string {
    if (text.length <= this.maxCellChars) return text;
    this.truncated = true;
    return cutText(text, this.maxCellChars);
  }
}
