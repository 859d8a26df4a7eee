import { describe, expect, it } from 'vitest';
import type { TableColumn, TableColumns } from './table-columns.ts';
import { prepareTrainingData, type DataSpec } from './training-data.ts';

const rows = 40;
const x: TableColumn = { name: 'x', reading: 'number', values: Float64Array.from({ length: rows }, (_, i) => i) };
const table = (target: TableColumn): TableColumns => ({ rows, columns: new Map([['x', x], [target.name, target]]) });
const spec = (type: DataSpec['target']['type'], extra: Partial<DataSpec> = {}): DataSpec => ({
  task: 'classification',
  target: { name: 'y', type },
  features: [{ name: 'x', type: 'number', encoding: 'standardize' }],
  seed: 1,
  classWeights: 'none',
  ...extra,
});

describe('the data a model trains on', () => {
  it('orders classes by name (numbers by value), weighs them as scikit-learn\'s "balanced", and keeps each row\'s actual class', () => {
    const names = ['10', '9', '2'];
    const codes = Int32Array.from({ length: rows }, (_, i) => (i < 30 ? 0 : i < 36 ? 1 : 2)); // 30 × "10", 6 × "9", 4 × "2"
    const data = prepareTrainingData(table({ name: 'y', reading: 'category', codes, names }), spec('integer', { classWeights: 'balanced' }));
    expect(data.classes).toEqual(['2', '9', '10']);
    expect(data.classCounts).toEqual([4, 6, 30]);
    const inTrain = [0, 1, 2].map((c) => Array.from(data.train.y).filter((y) => y === c).length);
    expect(data.classWeights).toEqual(inTrain.map((count) => data.train.rows.length / (3 * count)));
    data.test.rows.forEach((row, i) => expect(data.test.actual[i]).toBe(names[codes[row]!]));
    expect(data.train.x.length).toBe(data.train.rows.length * data.width);
  });

  it('reads true/false targets as two classes whatever their case', () => {
    const values = Float64Array.from({ length: rows }, (_, i) => i % 2);
    const data = prepareTrainingData(table({ name: 'y', reading: 'boolean', values }), spec('boolean'));
    expect(data.classes).toEqual(['false', 'true']);
    expect(new Set(data.test.actual)).toEqual(new Set(['false', 'true']));
  });

  it('standardises a regression target on the training rows, and refuses a row without a target', () => {
    const values = Float64Array.from({ length: rows }, (_, i) => 100 + 2 * i);
    const data = prepareTrainingData(table({ name: 'y', reading: 'number', values }), spec('number', { task: 'regression' }));
    const target = data.preprocessing.target;
    expect(target.task).toBe('regression');
    if (target.task !== 'regression') return;
    data.train.rows.forEach((row, i) => expect(data.train.y[i]).toBeCloseTo((values[row]! - target.mean) / target.std, 5));
    values[7] = Number.NaN;
    expect(() => prepareTrainingData(table({ name: 'y', reading: 'number', values }), spec('number', { task: 'regression' }))).toThrow(/missing in row 8/);
  });
});
