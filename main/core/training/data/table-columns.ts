import { isMissingBytes } from '../../datasets/table/missing-values.ts';
import { scanBoolean, scanNumber } from '../../datasets/table/text-values.ts';
import { decodeBytes } from '../../datasets/table/utf8-bytes.ts';
import { isoDays } from '../preprocessing/iso-days.ts';

/**
 * A dataset version's columns in memory, as training reads them: one typed array per column,
 * one slot per row. Numbers, true/false (1/0) and dates (days since 1970) are numbers with NaN
 * for a missing value; everything read as categories (text, and class labels of any type) is a
 * code per row (-1: missing) into the column's list of distinct values, in order of appearance.
 *
 * Missing means what it means to the table scanner: in CSV/TSV an empty field or one of its
 * missing tokens (missing-values.ts), in JSON `null` or an absent key.
 */
export type ColumnReading = 'number' | 'boolean' | 'datetime' | 'category';

export type TableColumn =
  | { name: string; reading: 'number' | 'boolean' | 'datetime'; values: Float64Array }
  | { name: string; reading: 'category'; codes: Int32Array; names: string[] };

export interface TableColumns {
  rows: number;
  columns: Map<string, TableColumn>;
}

/** Where the readers deliver cells: CSV/TSV as UTF-8 byte ranges, JSON as parsed values. */
export interface CellCollector {
  cell(bytes: Uint8Array, start: number, end: number, row: number): void;
  value(value: unknown, row: number): void;
  column(rows: number): TableColumn;
}

export function collectorFor(name: string, reading: ColumnReading, expectedRows: number): CellCollector {
  return reading === 'category' ? new CategoryCollector(name, expectedRows) : new NumberCollector(name, reading, expectedRows);
}

/** A column nobody asked for: its cells are skipped. */
export const skipCells: Omit<CellCollector, 'column'> = { cell: () => undefined, value: () => undefined };

class NumberCollector implements CellCollector {
  readonly #name: string;
  readonly #reading: 'number' | 'boolean' | 'datetime';
  #values: Float64Array;

  constructor(name: string, reading: 'number' | 'boolean' | 'datetime', expectedRows: number) {
    this.#name = name;
    this.#reading = reading;
    this.#values = new Float64Array(Math.max(16, expectedRows)).fill(Number.NaN);
  }

  cell(bytes: Uint8Array, start: number, end: number, row: number): void {
    if (isMissingBytes(bytes, start, end)) return;
    this.#put(row, this.#reading === 'number' ? scanNumber(bytes, start, end) : this.#reading === 'boolean' ? booleanOf(scanBoolean(bytes, start, end)) : isoDays(decodeBytes(bytes, start, end)));
  }

  value(value: unknown, row: number): void {
    if (value === null || value === undefined) return;
    if (this.#reading === 'number') this.#put(row, typeof value === 'number' ? value : Number.NaN);
    else if (this.#reading === 'boolean') this.#put(row, typeof value === 'boolean' ? Number(value) : Number.NaN);
    else this.#put(row, typeof value === 'string' ? isoDays(value) : Number.NaN);
  }

  column(rows: number): TableColumn {
    return { name: this.#name, reading: this.#reading, values: this.#values.subarray(0, rows) };
  }

  #put(row: number, value: number): void {
    if (row >= this.#values.length) this.#values = grow(this.#values, row, Number.NaN);
    this.#values[row] = value;
  }
}

class CategoryCollector implements CellCollector {
  readonly #name: string;
  readonly #names: string[] = [];
  readonly #index = new Map<string, number>();
  #codes: Int32Array;

  constructor(name: string, expectedRows: number) {
    this.#name = name;
    this.#codes = new Int32Array(Math.max(16, expectedRows)).fill(-1);
  }

  cell(bytes: Uint8Array, start: number, end: number, row: number): void {
    if (!isMissingBytes(bytes, start, end)) this.#put(row, decodeBytes(bytes, start, end));
  }

  value(value: unknown, row: number): void {
    if (value !== null && value !== undefined) this.#put(row, categoryText(value));
  }

  column(rows: number): TableColumn {
    return { name: this.#name, reading: 'category', codes: this.#codes.subarray(0, rows), names: this.#names };
  }

  #put(row: number, text: string): void {
    let code = this.#index.get(text);
    if (code === undefined) {
      code = this.#names.length;
      this.#names.push(text);
      this.#index.set(text, code);
    }
    if (row >= this.#codes.length) this.#codes = grow(this.#codes, row, -1);
    this.#codes[row] = code;
  }
}

/** A JSON value as a category: text as itself, numbers and true/false as JSON writes them, the rest as JSON text. */
export function categoryText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function booleanOf(scanned: number): number {
  return scanned < 0 ? Number.NaN : scanned;
}

function grow<T extends Float64Array | Int32Array>(array: T, row: number, fill: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(row + 1, array.length * 2));
  bigger.fill(fill);
  bigger.set(array);
  return bigger;
}
