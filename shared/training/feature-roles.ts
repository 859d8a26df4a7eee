import type { ColumnType } from '../contract/datasets.ts';

/**
 * Which columns feed a model, and how each becomes numbers. Every column but the target is a
 * feature unless it cannot help:
 * - no values at all, or missing in nearly every row (more than MOSTLY_MISSING of them);
 * - one value in every row that has one (constant);
 * - an identifier: text with nearly every value different (at least IDENTIFIER_SHARE of the
 *   values present are distinct), or whole numbers that count the rows (all distinct, spanning
 *   exactly as many numbers as there are rows). A model that learns identifiers learns the
 *   training rows, not the pattern.
 * Encodings: numbers and whole numbers are standardised; dates and date-times become days since
 * 1970-01-01 (UTC; a time without a zone is read as UTC), then standardised; true/false become
 * 1/0; text is one-hot encoded (the most frequent values, the rest into an "other" bucket).
 */
export const featureEncodings = ['standardize', 'epoch-days', 'binary', 'one-hot'] as const;
export type FeatureEncoding = (typeof featureEncodings)[number];

export const MOSTLY_MISSING = 0.95;
export const IDENTIFIER_SHARE = 0.95;
/** Below this many values, "nearly all distinct" says little: a small table is not called an identifier. */
export const IDENTIFIER_MIN_VALUES = 20;

export interface FeatureFacts {
  name: string;
  type: ColumnType;
  count: number;
  missing: number;
  distinct: number;
  approximate?: boolean;
  min?: number | null;
  max?: number | null;
  /** The most frequent value, for saying what a constant column holds. */
  topValue?: string | null;
}

export type FeatureRole = { use: true; encoding: FeatureEncoding } | { use: false; why: string };

export function featureRole(column: FeatureFacts, rows: number): FeatureRole {
  if (column.type === 'empty' || column.count === 0) return { use: false, why: 'every value is missing' };
  if (rows > 0 && column.missing / rows > MOSTLY_MISSING) {
    return { use: false, why: `missing in ${column.missing} of ${rows} rows (over ${Math.round(MOSTLY_MISSING * 100)}%)` };
  }
  if (column.distinct <= 1) {
    const value = column.topValue === undefined || column.topValue === null ? '' : ` (${JSON.stringify(column.topValue)})`;
    return { use: false, why: `constant: the same value${value} in every row that has one` };
  }
  if (column.type === 'string' && column.count >= IDENTIFIER_MIN_VALUES && (column.approximate || column.distinct >= IDENTIFIER_SHARE * column.count)) {
    return { use: false, why: `an identifier: ${column.approximate ? 'about ' : ''}${column.distinct} distinct values in ${column.count} rows, so a model would learn the rows, not a pattern` };
  }
  if (
    column.type === 'integer' &&
    column.count >= IDENTIFIER_MIN_VALUES &&
    !column.approximate &&
    column.distinct === rows &&
    column.min !== null &&
    column.min !== undefined &&
    column.max !== null &&
    column.max !== undefined &&
    column.max - column.min + 1 === rows
  ) {
    return { use: false, why: `an identifier: whole numbers ${column.min} to ${column.max}, one per row (a row number)` };
  }
  return { use: true, encoding: encodingFor(column.type) };
}

function encodingFor(type: Exclude<ColumnType, 'empty'>): FeatureEncoding {
  switch (type) {
    case 'integer':
    case 'number':
      return 'standardize';
    case 'datetime':
      return 'epoch-days';
    case 'boolean':
      return 'binary';
    case 'string':
      return 'one-hot';
  }
}
