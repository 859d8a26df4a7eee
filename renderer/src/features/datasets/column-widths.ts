import type { ColumnType } from '../../../../shared/contract/datasets.ts';

export const MIN_COLUMN_WIDTH = 56;
export const MAX_COLUMN_WIDTH = 640;
/** Arrow keys on a column's resize handle move its edge by this much (Shift: four times). */
export const KEYBOARD_STEP = 16;

const typeWidths: Record<ColumnType, number> = {
  integer: 96,
  number: 112,
  boolean: 80,
  datetime: 176,
  string: 168,
  empty: 88,
};

export function clampWidth(width: number): number {
  return Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)));
}

/** A first width for a column: wide enough for its name (roughly) and typical values of its type. */
export function defaultColumnWidth(name: string, type: ColumnType | undefined): number {
  const forName = name.length * 8 + 34;
  return clampWidth(Math.max(typeWidths[type ?? 'string'], Math.min(forName, 280)));
}

/** Widths to remember: only columns the user resized, and never a width outside the limits. */
export function widthsToRemember(widths: Readonly<Record<string, number>>, columns: readonly string[]): Record<string, number> {
  const kept: Record<string, number> = {};
  for (const column of columns) {
    const width = widths[column];
    if (width !== undefined && Number.isFinite(width)) kept[column] = clampWidth(width);
  }
  return kept;
}
