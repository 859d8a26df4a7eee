import type { ColumnType } from '../../../../shared/contract/datasets.ts';
import type { TrainingTask } from '../../../../shared/training/infer-task.ts';
import { failure } from '../../errors.ts';
import { encodeTable, inputWidth } from '../preprocessing/encode-features.ts';
import { compareText, fitPreprocessing, type FeatureToFit } from '../preprocessing/fit-preprocessing.ts';
import type { Preprocessing } from '../preprocessing/preprocessing-record.ts';
import { splitRows, type SplitRows } from './data-split.ts';
import type { TableColumn, TableColumns } from './table-columns.ts';

/**
 * From the table in memory to what the model trains on: the split, the preprocessing fitted on
 * the training rows, every part's inputs (row-major Float32Array) and targets — a class index
 * for classification, the target standardised for regression (the preprocessing keeps how).
 */
export interface DataSpec {
  task: TrainingTask;
  target: { name: string; type: ColumnType };
  features: readonly FeatureToFit[];
  seed: number;
  classWeights: 'balanced' | 'none';
  maxCategories?: number;
}

export interface DataPart {
  rows: Int32Array;
  x: Float32Array;
  /** Classification: class indices; regression: standardised targets. */
  y: Float32Array;
  /** The target as the table holds it: class names or numbers (for test predictions). */
  actual: (string | number)[];
}

export interface TrainingData {
  preprocessing: Preprocessing;
  width: number;
  classes: string[] | null;
  /** Rows per class in the whole table. */
  classCounts: number[] | null;
  /** Per class, the weight of its rows in the loss (1 each unless `balanced`). */
  classWeights: number[] | null;
  train: DataPart;
  validation: DataPart;
  test: DataPart;
}

export function prepareTrainingData(table: TableColumns, spec: DataSpec): TrainingData {
  const read = table.columns.get(spec.target.name);
  if (!read) throw new Error(`The table has no column "${spec.target.name}"`);
  // A true/false target is read as 1/0 (so TRUE and true are one class), then named.
  const target = spec.task === 'classification' && read.reading === 'boolean' ? booleanClasses(read.values, read.name) : read;
  let split: SplitRows;
  let classes: string[] | null = null;
  let classOfRow: Int32Array | null = null;
  if (spec.task === 'classification') {
    if (target.reading !== 'category') throw new Error('a classification target is read as categories');
    const numeric = spec.target.type === 'integer' || spec.target.type === 'number';
    classes = [...target.names].sort(numeric ? (a, b) => Number(a) - Number(b) : compareText);
    const indexOfName = new Map(classes.map((name, index) => [name, index]));
    const classOfCode = Int32Array.from(target.names, (name) => indexOfName.get(name)!);
    classOfRow = new Int32Array(table.rows);
    for (let row = 0; row < table.rows; row++) {
      const code = target.codes[row] as number;
      if (code < 0) throw missingTarget(spec.target.name, row);
      classOfRow[row] = classOfCode[code] as number;
    }
    split = splitRows(table.rows, spec.seed, { classes: classOfRow });
  } else {
    if (target.reading === 'category') throw new Error('a regression target is read as numbers');
    for (let row = 0; row < table.rows; row++) if (Number.isNaN(target.values[row])) throw missingTarget(spec.target.name, row);
    split = splitRows(table.rows, spec.seed, { values: target.values });
  }

  const preprocessing = fitPreprocessing(spec.features, { name: spec.target.name, task: spec.task, ...(classes ? { classes } : {}) }, table, split.train, { maxCategories: spec.maxCategories });
  const part = (rows: Int32Array): DataPart => {
    const y = new Float32Array(rows.length);
    const actual: (string | number)[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as number;
      if (classOfRow && classes) {
        y[i] = classOfRow[row] as number;
        actual[i] = classes[classOfRow[row] as number] as string;
      } else if (target.reading !== 'category' && preprocessing.target.task === 'regression') {
        const value = target.values[row] as number;
        y[i] = (value - preprocessing.target.mean) / preprocessing.target.std;
        actual[i] = value;
      }
    }
    return { rows, x: encodeTable(preprocessing, table, rows), y, actual };
  };

  let classCounts: number[] | null = null;
  let classWeights: number[] | null = null;
  if (classes && classOfRow) {
    classCounts = classes.map(() => 0);
    for (const index of classOfRow) classCounts[index]! += 1;
    const inTrain = classes.map(() => 0);
    for (const row of split.train) inTrain[classOfRow[row] as number]! += 1;
    classWeights = inTrain.map((count) => (spec.classWeights === 'balanced' ? (count === 0 ? 0 : split.train.length / (classes!.length * count)) : 1));
  }
  return {
    preprocessing,
    width: inputWidth(preprocessing),
    classes,
    classCounts,
    classWeights,
    train: part(split.train),
    validation: part(split.validation),
    test: part(split.test),
  };
}

function booleanClasses(values: Float64Array, name: string): TableColumn {
  return { name, reading: 'category', names: ['false', 'true'], codes: Int32Array.from(values, (value) => (Number.isNaN(value) ? -1 : value)) };
}

function missingTarget(name: string, row: number) {
  return failure('INVALID_INPUT', `The target "${name}" is missing in row ${row + 1}; every row needs a target to learn from.`, {
    hint: 'Import a version without those rows (or with the target filled in), then train again.',
    location: { field: 'target', row },
  });
}
