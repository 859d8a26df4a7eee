import type { TableColumn } from '../training/data/table-columns.ts';

/**
 * The model's metric on each slice of the rows: for each categorical column, the rows holding
 * each of its values (and the rows where it is missing). Accuracy for a classifier, mean
 * absolute error for a regressor. Exported for model cards as well as the slice gate.
 */
export interface SliceMetric {
  column: string;
  /** The value shared by the slice's rows; null: the rows where the column is missing. */
  value: string | null;
  rows: number;
  metric: 'accuracy' | 'mae';
  score: number;
}

export interface SliceInput {
  /** Per scored row: 1 right / 0 wrong (accuracy), or its absolute error (MAE). */
  outcome: { metric: 'accuracy'; right: Uint8Array } | { metric: 'mae'; errors: Float64Array };
  /** Per scored row: its index in the columns' rows. */
  rows: Int32Array;
  columns: readonly CategoryColumn[];
  /** Slices with fewer rows are left out. */
  minSupport: number;
}

type CategoryColumn = Extract<TableColumn, { reading: 'category' }>;

/** A column as slices: categories as they are, true/false as two values; null for numbers and dates. */
export function asCategory(column: TableColumn): CategoryColumn | null {
  if (column.reading === 'category') return column;
  if (column.reading !== 'boolean') return null;
  return { name: column.name, reading: 'category', names: ['false', 'true'], codes: Int32Array.from(column.values, (value) => (Number.isNaN(value) ? -1 : value)) };
}

export function sliceMetrics({ outcome, rows, columns, minSupport }: SliceInput): SliceMetric[] {
  const slices: SliceMetric[] = [];
  for (const column of columns) {
    const k = column.names.length;
    // Slot k holds the missing values.
    const counts = new Float64Array(k + 1);
    const totals = new Float64Array(k + 1);
    for (let i = 0; i < rows.length; i += 1) {
      const code = column.codes[rows[i]!]!;
      const slot = code < 0 ? k : code;
      counts[slot]! += 1;
      totals[slot]! += outcome.metric === 'accuracy' ? outcome.right[i]! : outcome.errors[i]!;
    }
    for (let slot = 0; slot <= k; slot += 1) {
      if (counts[slot]! < minSupport || counts[slot] === 0) continue;
      slices.push({ column: column.name, value: slot === k ? null : column.names[slot]!, rows: counts[slot]!, metric: outcome.metric, score: totals[slot]! / counts[slot]! });
    }
  }
  // Worst first: lowest accuracy, or highest error.
  return slices.sort((a, b) => (a.metric === 'accuracy' ? a.score - b.score : b.score - a.score));
}
