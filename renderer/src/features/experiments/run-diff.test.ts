import { describe, expect, it } from 'vitest';
import { runOf } from '../../testing/fake-api.ts';
import { versionOf } from '../../testing/fake-api.ts';
import { datasetRefsToShow, diffRuns, type DatasetFacts } from './run-diff.ts';

const column = (name: string, type: 'integer' | 'number' | 'string') => ({
  name,
  type,
  count: 1,
  missing: 0,
  missingShare: 0,
  distinct: 1,
  approximate: false,
  min: null,
  max: null,
  mean: null,
  std: null,
  top: [],
});

const v1: DatasetFacts = { version: versionOf('penguins', 1, { rows: 344, columns: 3 }), profile: [column('species', 'string'), column('mass', 'integer'), column('island', 'string')] };
const v2: DatasetFacts = { version: versionOf('penguins', 2, { rows: 333, columns: 3 }), profile: [column('species', 'string'), column('mass', 'number'), column('sex', 'string')] };

const a = runOf(1, {
  params: { lr: '0.01', hidden: '64,32', epochs: '20' },
  datasets: [{ name: 'penguins', version: 1, contentHash: v1.version.contentHash }],
  gitCommit: 'a'.repeat(40),
  environment: { backend: 'cpu', node: 'v24.1.0', libraries: { '@tensorflow/tfjs-core': '4.22.0' } },
});
const b = runOf(2, {
  params: { lr: '0.001', hidden: '64,32', batch: '32' },
  datasets: [{ name: 'penguins', version: 2, contentHash: v2.version.contentHash }],
  gitCommit: 'a'.repeat(40),
  environment: { backend: 'wasm', node: 'v24.1.0', libraries: { '@tensorflow/tfjs-core': '4.22.0', '@tensorflow/tfjs-backend-wasm': '4.22.0' } },
});

describe('why two runs differ', () => {
  it('lists the params that changed, were added or removed', () => {
    expect(diffRuns(a, b).params).toEqual([
      { key: 'batch', before: null, after: '32' },
      { key: 'epochs', before: '20', after: null },
      { key: 'lr', before: '0.01', after: '0.001' },
    ]);
  });

  it('explains the data change from both versions: rows, columns, hash and column types', () => {
    const shown = (ref: string) => ({ 'penguins@1': v1, 'penguins@2': v2 })[ref] ?? null;
    const [data] = diffRuns(a, b, shown).data;
    expect(data?.rows).toEqual({ key: 'rows', before: '344', after: '333' });
    expect(data?.columns).toBeNull();
    expect(data?.contentHash?.before).toBe(v1.version.contentHash);
    expect(data?.columnsAdded).toEqual(['sex']);
    expect(data?.columnsRemoved).toEqual(['island']);
    expect(data?.typesChanged).toEqual([{ key: 'mass', before: 'integer', after: 'number' }]);
    expect(datasetRefsToShow(a, b)).toEqual(['penguins@1', 'penguins@2']);
  });

  it('says nothing of data both runs read alike, and of an unchanged commit', () => {
    const same = { ...b, datasets: a.datasets, gitCommit: a.gitCommit };
    const difference = diffRuns(a, same);
    expect(difference.data).toEqual([]);
    expect(difference.gitCommit).toBeNull();
    expect(datasetRefsToShow(a, same)).toEqual([]);
  });

  it('lists backend and library changes of the environment', () => {
    expect(diffRuns(a, b).environment).toEqual([
      { key: 'backend', before: 'cpu', after: 'wasm' },
      { key: 'library @tensorflow/tfjs-backend-wasm', before: null, after: '4.22.0' },
    ]);
  });
});
