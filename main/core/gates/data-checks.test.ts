import { describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../../shared/contract/datasets.ts';
import { GateSpec } from '../../../shared/contract/gates.ts';
import type { DatasetManifest } from '../datasets/dataset-manifest.ts';
import type { TableColumn } from '../training/data/table-columns.ts';
import { dataChecks } from './data-checks.ts';
import type { GatedSignature } from './gated-version.ts';

/** Data checks on tables made to break one expectation at a time. */
const spec = GateSpec.parse({ schemaVersion: 1 }).data;
const signature: GatedSignature = {
  task: 'classification',
  target: { name: 'species', type: 'string' },
  inputs: [
    { name: 'flipper', type: 'number', encoding: 'standardize' },
    { name: 'island', type: 'string', encoding: 'one-hot' },
  ],
  classes: ['a', 'b'],
};

function profile(name: string, type: ColumnProfile['type'], extra: Partial<ColumnProfile> = {}): ColumnProfile {
  return { name, type, count: 100, missing: 0, missingShare: 0, distinct: 2, approximate: false, min: null, max: null, mean: null, std: null, top: [], ...extra };
}

const training = [
  profile('flipper', 'number', { min: 170, max: 230, missing: 2, missingShare: 0.02 }),
  profile('island', 'string', { top: [{ value: 'Biscoe', count: 60 }, { value: 'Dream', count: 40 }] }),
];

function data(flipper: number[], island: (string | null)[], profiles = training) {
  const names = [...new Set(island.filter((v): v is string => v !== null))];
  const columns = new Map<string, TableColumn>([
    ['flipper', { name: 'flipper', reading: 'number', values: Float64Array.from(flipper) }],
    ['island', { name: 'island', reading: 'category', names, codes: Int32Array.from(island, (v) => (v === null ? -1 : names.indexOf(v))) }],
  ]);
  return { manifest: { name: 'penguins', version: 2 } as DatasetManifest, profile: profiles, table: { rows: flipper.length, columns }, rows: null };
}

const statusOf = (checks: ReturnType<typeof dataChecks>, id: string) => checks.find((c) => c.id === id)!;
const many = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));

describe('data checks', () => {
  it('pass rows like the training data', () => {
    const checks = dataChecks(spec, signature, training, data(many(100, (i) => 180 + (i % 40)), many(100, (i) => (i % 2 ? 'Biscoe' : 'Dream'))));
    expect(checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
  });

  it('fail values far outside the training range, warn a few just outside it', () => {
    const far = dataChecks(spec, signature, training, data(many(100, (i) => (i < 5 ? 400 : 200)), many(100, () => 'Biscoe')));
    expect(statusOf(far, 'data.ranges')).toMatchObject({ status: 'fail', sentence: expect.stringMatching(/^Values fall outside the training range \(±10\.0% of it\) in flipper \(5\.0% of rows outside 164 … 236\): more than the 1\.0% allowed/) });
    const few = dataChecks(spec, signature, training, data(many(200, (i) => (i === 0 ? 300 : 200)), many(200, () => 'Biscoe')));
    expect(statusOf(few, 'data.ranges').status).toBe('warn');
  });

  it('fail a missing share far from training, warn a drift within the band', () => {
    const missing = dataChecks(spec, signature, training, data(many(100, (i) => (i < 30 ? Number.NaN : 200)), many(100, () => 'Biscoe')));
    expect(statusOf(missing, 'data.missing')).toMatchObject({ status: 'fail', sentence: 'Missing shares moved by more than 5.0% (data.missingShareBand) in flipper (30.0% missing, 2.0% in training).' });
    const drift = dataChecks(spec, signature, training, data(many(100, (i) => (i < 6 ? Number.NaN : 200)), many(100, () => 'Biscoe')));
    expect(statusOf(drift, 'data.missing').status).toBe('warn');
  });

  it('pass a small test split whose few missing values are within what chance gives', () => {
    // 2 of 40 missing (5%) where training had 2%: past half the band, but well inside two standard errors.
    const small = dataChecks(spec, signature, training, data(many(40, (i) => (i < 2 ? Number.NaN : 200)), many(40, () => 'Biscoe')));
    expect(statusOf(small, 'data.missing').status).toBe('pass');
  });

  it('warn categories training never saw, fail a missing column, a changed type and too few rows', () => {
    const unseen = dataChecks(spec, signature, training, data(many(100, () => 200), many(100, (i) => (i < 10 ? 'Torgersen' : 'Biscoe'))));
    expect(statusOf(unseen, 'data.categories')).toMatchObject({ status: 'warn', sentence: 'Categories training never saw appear in island ("Torgersen": 10.0% of rows); the model treats them as unknown.' });
    const retyped = dataChecks(spec, signature, training, data(many(100, () => 200), many(100, () => 'Biscoe'), [profile('island', 'integer')]));
    expect(statusOf(retyped, 'data.schema')).toMatchObject({ status: 'fail', sentence: 'penguins@2 lacks flipper and changed type in island (string → integer), which the model reads.' });
    const few = dataChecks(spec, signature, training, data([200, 201], ['Biscoe', 'Dream']));
    expect(statusOf(few, 'data.rows')).toMatchObject({ status: 'fail', sentence: 'Only 2 rows to judge the model on; the spec asks for at least 30 (data.minRows).' });
  });
});
