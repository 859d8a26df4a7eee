import { MISSING_VALUE_TOKENS } from '../../datasets/table/missing-values.ts';
import type { TableColumns } from '../data/table-columns.ts';
import { categoryText } from '../data/table-columns.ts';
import { isoDays } from './iso-days.ts';
import { inputWidthOf, type FeatureColumn, type OneHotFeature, type Preprocessing } from './preprocessing-record.ts';

/**
 * Applies a fitted Preprocessing (preprocessing-record.ts) to rows: training's columns in memory
 * (`encodeTable`), or records as serving receives them (`encodeRecords`: one object per row,
 * values as JSON gives them or as text from a CSV line). Both reduce every cell to the same thing
 * first — a number (NaN: missing) for numeric and true/false columns, a category's input slot
 * (−1: missing) for text — and write inputs from that in one place, so a row gives the same
 * inputs whichever way it arrives. Pure TypeScript: serving needs no TensorFlow.js for this.
 */
export function inputWidth(preprocessing: Preprocessing): number {
  return preprocessing.columns.reduce((sum, column) => sum + inputWidthOf(column), 0);
}

/** The inputs of `rows` (indices into the table), row-major: rows.length × inputWidth. */
export function encodeTable(preprocessing: Preprocessing, table: TableColumns, rows: Int32Array): Float32Array {
  const width = inputWidth(preprocessing);
  const out = new Float32Array(rows.length * width);
  let offset = 0;
  for (const column of preprocessing.columns) {
    const data = table.columns.get(column.name);
    if (!data) throw new Error(`The table has no column "${column.name}"`);
    if (column.encoding === 'one-hot') {
      if (data.reading !== 'category') throw new Error(`"${column.name}" was read as ${data.reading}, not as categories`);
      const slotOfCode = Int32Array.from(data.names, (name) => slotOf(column, name));
      for (let r = 0; r < rows.length; r++) {
        const code = data.codes[rows[r] as number] as number;
        writeOneHot(column, code < 0 ? -1 : (slotOfCode[code] as number), out, r * width + offset);
      }
    } else {
      if (data.reading === 'category') throw new Error(`"${column.name}" was read as categories, not numbers`);
      for (let r = 0; r < rows.length; r++) writeNumber(column, data.values[rows[r] as number] as number, out, r * width + offset);
    }
    offset += inputWidthOf(column);
  }
  return out;
}

/** The inputs of records as serving receives them; a column a record lacks counts as missing. */
export function encodeRecords(preprocessing: Preprocessing, records: readonly Readonly<Record<string, unknown>>[]): Float32Array {
  const width = inputWidth(preprocessing);
  const out = new Float32Array(records.length * width);
  let offset = 0;
  for (const column of preprocessing.columns) {
    const slots = column.encoding === 'one-hot' ? new Map(column.categories.map((category, slot) => [category, slot])) : null;
    for (let r = 0; r < records.length; r++) {
      const raw = Object.hasOwn(records[r]!, column.name) ? records[r]![column.name] : null;
      const at = r * width + offset;
      if (column.encoding === 'one-hot') {
        writeOneHot(column, isMissing(raw) ? -1 : (slots!.get(categoryText(raw)) ?? column.categories.length), out, at);
      } else {
        writeNumber(column, numberOf(column, raw), out, at);
      }
    }
    offset += inputWidthOf(column);
  }
  return out;
}

function slotOf(column: OneHotFeature, category: string): number {
  const slot = column.categories.indexOf(category);
  return slot < 0 ? column.categories.length : slot;
}

function writeNumber(column: Exclude<FeatureColumn, OneHotFeature>, value: number, out: Float32Array, at: number): void {
  const missing = Number.isNaN(value);
  const x = missing ? column.fill : value;
  out[at] = column.encoding === 'binary' ? x : (x - column.mean) / column.std;
  if (column.missingIndicator) out[at + 1] = missing ? 1 : 0;
}

/** `slot`: a category's index, categories.length for "other", −1 for a missing value. */
function writeOneHot(column: OneHotFeature, slot: number, out: Float32Array, at: number): void {
  const missing = slot < 0;
  const filled = missing ? (column.fill === null ? column.categories.length : slotOf(column, column.fill)) : slot;
  out[at + filled] = 1;
  if (column.missingIndicator) out[at + column.categories.length + 1] = missing ? 1 : 0;
}

const MISSING_TEXT = new Set(MISSING_VALUE_TOKENS);

/** null, undefined, and in text the tokens a CSV file writes for a missing value. */
function isMissing(raw: unknown): boolean {
  return raw === null || raw === undefined || (typeof raw === 'string' && MISSING_TEXT.has(raw)) || (typeof raw === 'number' && Number.isNaN(raw));
}

/** A served value as the number training saw for this column; NaN (treated as missing) when it is not one. */
function numberOf(column: Exclude<FeatureColumn, OneHotFeature>, raw: unknown): number {
  if (isMissing(raw)) return Number.NaN;
  switch (column.encoding) {
    case 'standardize':
      if (typeof raw === 'number') return Number.isFinite(raw) ? raw : Number.NaN;
      return typeof raw === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(raw) ? Number(raw) : Number.NaN;
    case 'epoch-days':
      return typeof raw === 'string' ? isoDays(raw) : Number.NaN;
    case 'binary':
      if (typeof raw === 'boolean') return Number(raw);
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true' ? 1 : 0;
      return Number.NaN;
  }
}
