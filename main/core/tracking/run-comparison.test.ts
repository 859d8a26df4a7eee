import { describe, expect, it } from 'vitest';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { Workspace } from '../workspace/workspace.ts';
import { trackingFor } from './open-tracking.ts';

const tempDir = useTempDirs();

describe('why did these runs differ', () => {
  it('names the param, data, code and environment changes against the first run', async () => {
    const root = await tempDir();
    const { call, file, workspace } = await coreOnNewWorkspace(root);
    const v1 = (await call('datasets:import-file', { workspace, path: await file('p1.csv', 'species,mass\nAdelie,3750\nGentoo,5000\n'), name: 'penguins' })).version;
    const v2 = (await call('datasets:import-file', { workspace, path: await file('p2.csv', 'species,mass,sex\nAdelie,3750,f\nGentoo,5000,m\nChinstrap,3500,f\n'), name: 'penguins' })).version;

    const local = await Workspace.open(workspace);
    const tracking = trackingFor(local, null);
    const runOn = (version: typeof v1, params: Record<string, string>, backend: string, commit: string) => {
      const run = tracking.createRun({
        experiment: 'penguins',
        name: `run-${params.lr}`,
        params,
        datasets: [{ name: 'penguins', version: version.version, contentHash: version.contentHash }],
        gitCommit: commit,
        environment: { backend, libraries: { '@tensorflow/tfjs-core': '4.22.0' } },
      });
      tracking.logMetrics(run.id, [{ key: 'test_accuracy', value: Number(params.lr) * 10, step: 0 }]);
      tracking.setStatus(run.id, 'FINISHED');
      return run.id;
    };
    const a = runOn(v1, { lr: '0.01', model: 'mlp', epochs: '20' }, 'wasm', v1.commit);
    const b = runOn(v2, { lr: '0.001', model: 'mlp', epochs: '20' }, 'cpu', v2.commit);
    await local.close();

    const comparison = await call('runs:compare', { workspace, runIds: [a, b] });
    expect(comparison.params[0]).toEqual({ key: 'lr', values: ['0.01', '0.001'], differs: true });
    expect(comparison.params.find((p) => p.key === 'model')).toEqual({ key: 'model', values: ['mlp', 'mlp'], differs: false });
    expect(comparison.metrics).toEqual([{ key: 'test_accuracy', values: [0.1, 0.01] }]);
    expect(comparison.data[1]![0]).toMatchObject({ name: 'penguins', version: 2, rows: 3, columns: [{ name: 'species' }, { name: 'mass' }, { name: 'sex' }] });
    expect(comparison.code.differs).toBe(true);
    expect(comparison.changes).toEqual([
      {
        runId: b,
        against: a,
        data: [
          {
            name: 'penguins',
            before: expect.objectContaining({ version: 1, rows: 2, message: 'Import p1.csv' }),
            after: expect.objectContaining({ version: 2, rows: 3, message: 'Import p2.csv' }),
            columnsAdded: ['sex'],
            columnsRemoved: [],
            typesChanged: [],
          },
        ],
        reasons: [
          'param lr: 0.01 → 0.001',
          'data: penguins@1 → penguins@2 (other bytes); +1 rows; columns added: sex',
          `code: workspace commit ${v1.commit.slice(0, 10)} → ${v2.commit.slice(0, 10)}`,
          'backend: wasm → cpu',
        ],
      },
    ]);
  });

  it('refuses fewer than two runs, and a run that does not exist, saying which', async () => {
    const { call, workspace } = await coreOnNewWorkspace(await tempDir());
    await expect(call('runs:compare', { workspace, runIds: ['a'.repeat(32)] })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('at least two') } });
    await expect(call('runs:compare', { workspace, runIds: ['a'.repeat(32), 'b'.repeat(32)] })).rejects.toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
