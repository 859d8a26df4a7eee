import type { ColumnType } from '../../../../shared/contract/datasets.ts';
import type { FeatureEncoding } from '../../../../shared/training/feature-roles.ts';
import type { TrainingTask } from '../../../../shared/training/infer-task.ts';
import type { TableColumn, TableColumns } from '../data/table-columns.ts';
import { MAX_CATEGORIES, MIN_CATEGORY_ROWS, inputWidthOf, type FeatureColumn, type Preprocessing, type PreprocessedTarget } from './preprocessing-record.ts';

/**
 * Fits the preprocessing on the training split only (medians, means, spreads, the categories
 * kept), so nothing of the validation or test rows leaks into the model.
 */
export interface FeatureToFit {
  name: string;
  type: ColumnType;
  encoding: FeatureEncoding;
}

export function fitPreprocessing(
  features: readonly FeatureToFit[],
  target: { name: string; task: TrainingTask; classes?: string[] },
  table: TableColumns,
  train: Int32Array,
  options: { maxCategories?: number } = {},
): Preprocessing {
  const maxCategories = options.maxCategories ?? MAX_CATEGORIES;
  const columns = features.map((feature) => fitColumn(feature, columnOf(table, feature.name), train, maxCategories));
  return {
    schemaVersion: 1,
    target: fitTarget(target, columnOf(table, target.name), train),
    columns,
    inputs: columns.flatMap(inputNames),
    maxCategories,
  };
}

function fitColumn(feature: FeatureToFit, data: TableColumn, train: Int32Array, maxCategories: number): FeatureColumn {
  if (feature.encoding === 'one-hot') {
    if (data.reading !== 'category') throw new Error(`"${feature.name}" must be read as categories`);
    const counts = new Int32Array(data.names.length);
    let missing = 0;
    for (const row of train) {
      const code = data.codes[row] as number;
      if (code < 0) missing++;
      else counts[code]!++;
    }
    const ranked = data.names.map((name, code) => ({ name, count: counts[code] as number })).filter((entry) => entry.count > 0);
    ranked.sort((a, b) => b.count - a.count || compareText(a.name, b.name));
    const categories = ranked.filter((entry) => entry.count >= MIN_CATEGORY_ROWS).slice(0, maxCategories).map((entry) => entry.name);
    return { name: feature.name, type: 'string', encoding: 'one-hot', categories, fill: ranked[0]?.name ?? null, missingIndicator: missing > 0 };
  }
  if (data.reading === 'category') throw new Error(`"${feature.name}" must be read as numbers`);
  const present: number[] = [];
  for (const row of train) {
    const value = data.values[row] as number;
    if (!Number.isNaN(value)) present.push(value);
  }
  const missingIndicator = present.length < train.length;
  if (feature.encoding === 'binary') {
    const ones = present.reduce((sum, value) => sum + value, 0);
    return { name: feature.name, type: 'boolean', encoding: 'binary', fill: ones * 2 > present.length ? 1 : 0, missingIndicator };
  }
  const fill = median(present);
  // Mean and spread of the column as the model sees it: missing values filled.
  const filled = [...present, ...new Array<number>(train.length - present.length).fill(fill)];
  const { mean, std, scale } = spread(filled);
  return {
    name: feature.name,
    type: feature.type === 'datetime' ? 'datetime' : feature.type === 'integer' ? 'integer' : 'number',
    encoding: feature.encoding === 'epoch-days' ? 'epoch-days' : 'standardize',
    fill,
    mean,
    // A spread that is rounding error (a constant column) would blow rounding noise up to ±1.
    std: std > 1e-9 * scale && Number.isFinite(std) ? std : 1,
    missingIndicator,
  };
}

function fitTarget(target: { name: string; task: TrainingTask; classes?: string[] }, data: TableColumn, train: Int32Array): PreprocessedTarget {
  if (target.task === 'classification') {
    if (!target.classes) throw new Error('classification needs its classes');
    return { task: 'classification', name: target.name, classes: target.classes };
  }
  if (data.reading === 'category') throw new Error(`"${target.name}" must be read as numbers for regression`);
  const values = Array.from(train, (row) => data.values[row] as number);
  const { mean, std, scale } = spread(values);
  return { task: 'regression', name: target.name, mean, std: std > 1e-9 * scale && Number.isFinite(std) ? std : 1 };
}

/** Mean and standard deviation, computed on the values over their largest magnitude (no overflow). */
function spread(values: readonly number[]): { mean: number; std: number; scale: number } {
  let scale = 0;
  for (const value of values) scale = Math.max(scale, Math.abs(value));
  if (scale === 0 || !Number.isFinite(scale)) scale = 1;
  let sum = 0;
  for (const value of values) sum += value / scale;
  const scaledMean = values.length === 0 ? 0 : sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value / scale - scaledMean) ** 2;
  return { mean: scaledMean * scale, std: values.length === 0 ? 0 : Math.sqrt(squares / values.length) * scale, scale };
}

function inputNames(column: FeatureColumn): string[] {
  const own = column.encoding === 'one-hot' ? [...column.categories.map((category) => `${column.name}=${category}`), `${column.name}=(other)`] : [column.name];
  const names = column.missingIndicator ? [...own, `${column.name} (missing)`] : own;
  if (names.length !== inputWidthOf(column)) throw new Error('input names and width disagree');
  return names;
}

function columnOf(table: TableColumns, name: string): TableColumn {
  const column = table.columns.get(name);
  if (!column) throw new Error(`The table has no column "${name}"`);
  return column;
}

/** The median of the values (0 when there are none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Text in code-unit order: the same everywhere (no locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
