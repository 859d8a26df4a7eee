import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DatasetName } from './datasets.ts';
import { datasetNameFromFile, datasetNameProblem } from './dataset-name.ts';

describe('datasetNameFromFile', () => {
  it.each([
    ['penguins.csv', 'penguins'],
    ['Palmer Penguins (2020).CSV', 'palmer-penguins-2020'],
    ['sales_2024-Q1.tsv', 'sales_2024-q1'],
    ['events.v2.jsonl', 'events.v2'],
    ['Données été.json', 'donnees-ete'],
    ['.hidden.csv', 'hidden'],
    ['--weird--name--.csv', 'weird-name'],
    ['a..b.csv', 'a.b'],
    ['C:\\Users\\me\\Downloads\\Iris.csv', 'iris'],
    ['README', 'readme'],
    ['数据.csv', 'dataset'],
    ['.csv', 'csv'],
    ['aux.csv', 'aux-data'],
    ['CON.tsv', 'con-data'],
    ['com1.v2.csv', 'com1-data.v2'],
  ])('%s → %s', (fileName, expected) => {
    expect(datasetNameFromFile(fileName)).toBe(expected);
  });

  it('caps the name at 100 characters without a trailing separator', () => {
    const name = datasetNameFromFile(`${'a'.repeat(99)}-b${'c'.repeat(50)}.csv`);
    expect(name).toBe('a'.repeat(99));
  });

  it('always gives a name the contract accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (fileName) => {
        expect(DatasetName.safeParse(datasetNameFromFile(fileName)).success).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('datasetNameProblem', () => {
  it('explains what is wrong with a typed name', () => {
    expect(datasetNameProblem('penguins')).toBeNull();
    expect(datasetNameProblem('')).toMatch(/empty/);
    expect(datasetNameProblem('my data')).toMatch(/letters, digits/);
    expect(datasetNameProblem('a..b')).toMatch(/\.\./);
    expect(datasetNameProblem('data.')).toMatch(/end with "\."/);
    for (const reserved of ['CON', 'nul', 'Aux', 'COM1', 'lpt9', 'aux.csv', 'prn.v2']) expect(datasetNameProblem(reserved)).toMatch(/device names on Windows/);
    expect(datasetNameProblem('console')).toBeNull();
    expect(datasetNameProblem('com10')).toBeNull();
  });
});
