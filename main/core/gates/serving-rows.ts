import type { TableColumn, TableColumns } from '../training/data/table-columns.ts';

/**
 * Rows of a dataset version as a client would send them to the serving runtime: one record per
 * row with the model's input columns, values as the table held them (numbers, text, true/false,
 * dates as ISO text), null where a value is missing.
 */
export function servingRows(table: TableColumns, inputs: readonly { name: string }[], rows: ArrayLike<number>): Record<string, unknown>[] {
  const columns = inputs.map((input) => [input.name, table.columns.get(input.name)] as const);
  const records: Record<string, unknown>[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i]!;
    const record: Record<string, unknown> = {};
    for (const [name, column] of columns) record[name] = column ? cellOf(column, row) : null;
    records[i] = record;
  }
  return records;
}

function cellOf(column: TableColumn, row: number): unknown {
  if (column.reading === 'category') {
    const code = column.codes[row]!;
    return code < 0 ? null : column.names[code];
  }
  const value = column.values[row]!;
  if (Number.isNaN(value)) return null;
  if (column.reading === 'boolean') return value === 1;
  if (column.reading === 'datetime') return new Date(value * 86_400_000).toISOString();
  return value;
}
