import type { ColumnProfile } from '../../../shared/contract/datasets.ts';
import { failure } from '../errors.ts';
import { datasetVersion, readEvaluationTable } from '../gates/evaluation-data.ts';
import type { ColumnReading, TableColumn } from '../training/data/table-columns.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { ServedModelShape } from './served-model.ts';

/**
 * The rows a simulation sends: a dataset version's columns the model reads, and its target
 * column for the labels, read from the version's bytes (hash-checked as they stream, as training
 * reads them). Values come out as a v2 request carries them: numbers, true/false, text; null
 * for a missing value.
 */
export type CellValue = string | number | boolean | null;

export interface TrafficTable {
  /** NAME@V. */
  label: string;
  rows: number;
  /** The input columns, in the model's order, with how each is sent. */
  inputs: { name: string; kind: 'number' | 'boolean' | 'text' }[];
  value(column: string, row: number): CellValue;
  /** The true label of a row (null when the dataset has none there, or lacks the target column). */
  truth(row: number): string | number | null;
  hasTarget: boolean;
  /** The distinct values a text column holds, in order of appearance. */
  categories(column: string): readonly string[];
}

export async function readTrafficTable(workspace: Workspace, dataset: string, version: number, model: ServedModelShape): Promise<TrafficTable> {
  const read = await datasetVersion(workspace, dataset, version);
  const label = `${dataset}@${read.manifest.version}`;
  const profile = new Map(read.profile.map((column) => [column.name, column]));
  const lacking = model.inputs.filter((input) => !profile.has(input.name)).map((input) => input.name);
  if (lacking.length > 0) {
    throw failure('INVALID_INPUT', `${label} lacks ${lacking.length === 1 ? 'a column' : 'columns'} that model ${model.name} reads: ${lacking.slice(0, 10).join(', ')}${lacking.length > 10 ? ', …' : ''}.`, {
      hint: `Simulate with the dataset the model was trained on (or a version with the same columns); ${label} has ${[...profile.keys()].slice(0, 10).join(', ')}.`,
      location: { field: 'dataset' },
    });
  }
  const kinds = new Map(model.inputs.map((input) => [input.name, kindOf(input.type)]));
  const hasTarget = profile.has(model.target);
  const readAs = (column: ColumnProfile): ColumnReading => {
    if (column.name === model.target) return model.classes ? 'category' : 'number';
    const kind = kinds.get(column.name);
    return kind === 'number' ? 'number' : kind === 'boolean' ? 'boolean' : 'category';
  };
  let table;
  try {
    table = await readEvaluationTable(workspace, read, [...kinds.keys(), ...(hasTarget ? [model.target] : [])], readAs);
  } catch (error) {
    const said = error instanceof Error ? error.message : String(error);
    throw failure('DATA_DAMAGED', `The rows of ${label} could not be read: ${said}`, {
      hint: 'Fetch its bytes again (`lathe data pull`), or import that data again as a new version.',
      location: { field: 'dataset' },
    });
  }
  const columns = table.columns;
  const column = (name: string): TableColumn => columns.get(name)!;
  return {
    label,
    rows: table.rows,
    inputs: model.inputs.map((input) => ({ name: input.name, kind: kinds.get(input.name)! })),
    hasTarget,
    value: (name, row) => cellOf(column(name), row),
    truth: (row) => (hasTarget ? (cellOf(column(model.target), row) as string | number | null) : null),
    categories: (name) => {
      const found = columns.get(name);
      return found?.reading === 'category' ? found.names : [];
    },
  };
}

function kindOf(type: string): 'number' | 'boolean' | 'text' {
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'boolean') return 'boolean';
  return 'text';
}

function cellOf(column: TableColumn, row: number): CellValue {
  if (column.reading === 'category') {
    const code = column.codes[row]!;
    return code < 0 ? null : column.names[code]!;
  }
  const value = column.values[row]!;
  if (Number.isNaN(value)) return null;
  return column.reading === 'boolean' ? value === 1 : value;
}
