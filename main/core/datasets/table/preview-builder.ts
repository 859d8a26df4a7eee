import type { PreviewCell } from '../../../../shared/contract/datasets.ts';
import { jsonText } from './json-text.ts';
import { isMissingBytes } from './missing-values.ts';
import { cutAtChar, cutText, decodeBytes, detachedString } from './utf8-bytes.ts';

/**
 * The first rows of a table as cells: CSV cells are their raw text (missing tokens → null),
 * JSON cells their value (objects and arrays → their JSON text, null/absent → null). Cells
 * longer than `maxCellChars` characters (UTF-16 units) are cut, and the preview says so (per
 * row, as a merge of segments keeps only the first rows of the file).
 */
export interface PreviewRows {
  /** Cells by column index, as long as the row's last cell (the merge pads them). */
  rows: PreviewCell[][];
  /** Per row: a cell was cut short. */
  truncated: boolean[];
}

export class PreviewBuilder {
  private readonly rows: PreviewCell[][] = [];
  private readonly truncated: boolean[] = [];
  private readonly limit: number;
  private readonly maxCellChars: number;

  constructor(limit: number, maxCellChars: number) {
    this.limit = limit;
    this.maxCellChars = maxCellChars;
  }

  /** A new row to fill, or null once the preview has all its rows. */
  startRow(): PreviewCell[] | null {
    if (this.rows.length >= this.limit) return null;
    const row: PreviewCell[] = [];
    this.rows.push(row);
    this.truncated.push(false);
    return row;
  }

  /** A CSV cell: bytes[start, end). */
  bytesCell(bytes: Uint8Array, start: number, end: number): PreviewCell {
    if (isMissingBytes(bytes, start, end)) return null;
    // Never decode more than the cell can show: a character is at most 4 bytes.
    const cut = cutAtChar(bytes, start, end, this.maxCellChars * 4);
    if (cut < end) this.markCut();
    return this.cut(decodeBytes(bytes, start, cut));
  }

  valueCell(value: unknown): PreviewCell {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return detachedString(this.cut(value));
    if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
    if (typeof value === 'boolean') return value;
    return this.cut(jsonText(value));
  }

  state(): PreviewRows {
    return { rows: this.rows, truncated: this.truncated };
  }

  private cut(text: string): string {
    if (text.length <= this.maxCellChars) return text;
    this.markCut();
    return cutText(text, this.maxCellChars);
  }

  /** Cells are only made for the row started last. */
  private markCut(): void {
    this.truncated[this.truncated.length - 1] = true;
  }
}
