import { describe, expect, it } from 'vitest';
import type { LatheEvent } from '../../../shared/contract/calls.ts';
import type { JobInfo } from '../../../shared/contract/jobs.ts';
import { metricNumber } from '../../../shared/contract/runs.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { evaluationRecord, signatureRecord } from './artifact-records.ts';
import { preprocessingRecord } from './preprocessing/preprocessing-record.ts';

/** Whole training runs, on small data and few epochs; the worker is the source tree's. */
const tempDir = useTempDirs();

async function penguins() {
  const fixture = await coreOnNewWorkspace(await tempDir());
  await fixture.call('datasets:import-sample', { workspace: fixture.workspace });
  const seen: LatheEvent[] = [];
  fixture.core.events.on((event) => seen.push(event));
  return { ...fixture, seen };
}

describe('a training run', () => {
  it('is recorded whole: params, dataset input, git commit, environment, live metrics, test metrics and artifacts', async () => {
    const { core, workspace, call, seen } = await penguins();
    try {
      const started = await call('training:start', { workspace, dataset: 'penguins', target: 'Species', model: 'linear', epochs: 6, runName: 'first' });
      const summary = await call('training:wait', { workspace, runId: started.runId });
      expect(summary).toMatchObject({ status: 'FINISHED', error: null, task: 'classification', model: 'linear', target: 'Species', name: 'first', experimentName: 'penguins' });
      expect(summary.dataset).toMatchObject({ name: 'penguins', version: 1, contentHash: expect.stringMatching(/^sha256:/) });
      expect(Object.keys(summary.test).sort()).toEqual(['test_accuracy', 'test_f1_macro', 'test_log_loss', 'test_roc_auc']);
      expect(metricNumber(summary.test.test_accuracy!)).toBeGreaterThan(0.8);
      expect(summary.artifacts.sort()).toEqual(['evaluation.json', 'model/model.json', 'model/weights.bin', 'preprocessing.json', 'signature.json', 'test-predictions.jsonl']);

      const run = await call('runs:get', { workspace, runId: started.runId });
      expect(run.params).toMatchObject({ model: 'linear', epochs: '6', batchSize: '32', learningRate: '0.01', optimizer: 'adam', seed: '42', earlyStoppingPatience: '10', classWeights: 'none', l2: '0', backend: 'auto', target: 'Species', task: 'classification', dataset: 'penguins', datasetVersion: '1', classes: '3' });
      expect(run.params).not.toHaveProperty('hidden');
      expect(run.gitCommit).toMatch(/^[0-9a-f]{40}$/);
      expect(run.environment).toMatchObject({ backend: summary.backend, node: process.version, libraries: { '@tensorflow/tfjs-core': '4.22.0' } });
      const history = await call('runs:metric-history', { workspace, runId: started.runId, key: 'val_loss' });
      expect(history.steps).toEqual([1, 2, 3, 4, 5, 6]);

      // Metrics went out live, and the job said which epoch it was on.
      const live = seen.filter((event) => event.name === 'runs:metrics' && event.payload.runId === started.runId);
      expect(live.flatMap((event) => (event.name === 'runs:metrics' ? event.payload.points.map((p) => p.key) : []))).toContain('val_accuracy');
      const progress = seen.flatMap((event) => (event.name === 'jobs:changed' && event.payload.id === started.jobId ? [event.payload as JobInfo] : []));
      expect(progress.at(-1)).toMatchObject({ kind: 'training', status: 'finished', ref: started.runId, progress: { unit: 'epochs', total: 6, done: 6 } });
      expect(progress.at(-1)!.progress!.message).toMatch(/^epoch 6 of 6 · val_loss \d/);

      const text = async (path: string) => (await call('runs:read-artifact', { workspace, runId: started.runId, path })).text;
      const evaluation = evaluationRecord.parse(await text('evaluation.json'), 'evaluation.json');
      expect(evaluation.report.task).toBe('classification');
      expect(evaluation.split.train + evaluation.split.validation + evaluation.split.test).toBe(344);
      const signature = signatureRecord.parse(await text('signature.json'), 'signature.json');
      expect(signature.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
      expect(signature.inputs.map((input) => input.name)).toContain('Island');
      expect(preprocessingRecord.parse(await text('preprocessing.json'), 'preprocessing.json').inputs).toHaveLength(signature.model.inputs);
      const predictions = (await text('test-predictions.jsonl')).trim().split('\n').map((line) => JSON.parse(line) as { row: number; actual: string; predicted: string; probabilities: Record<string, number> });
      expect(predictions).toHaveLength(evaluation.split.test);
      expect(Object.keys(predictions[0]!.probabilities)).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
      expect(predictions.filter((p) => p.actual === p.predicted).length / predictions.length).toBeCloseTo(metricNumber(summary.test.test_accuracy!), 12);
    } finally {
      await core.close();
    }
  });

  it('is reproduced exactly, from its recorded inputs, on the same backend', async () => {
    const { core, workspace, call } = await penguins();
    try {
      const original = await call('training:start', { workspace, dataset: 'penguins', target: 'Species', model: 'mlp', hidden: [8], epochs: 4, seed: 7 });
      const again = await call('training:reproduce', { workspace, runId: original.runId });
      expect(again.reproduces).toBe(original.runId);
      const report = await call('training:compare-reproduction', { workspace, runId: again.runId });
      expect(report).toMatchObject({ original: original.runId, reproduction: again.runId, sameBackend: true, tolerance: 0, verdict: 'identical' });
      expect(report.metrics.map((m) => m.key)).toEqual(['test_accuracy', 'test_f1_macro', 'test_log_loss', 'test_roc_auc']);
      const params = (id: string) => call('runs:get', { workspace, runId: id }).then((run) => run.params);
      expect(await params(again.runId)).toEqual(await params(original.runId));
    } finally {
      await core.close();
    }
  });

  it('runs beside another: both finish, both recorded', async () => {
    const { core, workspace, call } = await penguins();
    try {
      const [a, b] = await Promise.all([
        call('training:start', { workspace, dataset: 'penguins', target: 'Species', model: 'linear', epochs: 3 }),
        call('training:start', { workspace, dataset: 'penguins', target: 'Island', model: 'mlp', hidden: [4], epochs: 3 }),
      ]);
      expect(a.runId).not.toBe(b.runId);
      const [first, second] = await Promise.all([call('training:wait', { workspace, runId: a.runId }), call('training:wait', { workspace, runId: b.runId })]);
      expect([first.status, second.status]).toEqual(['FINISHED', 'FINISHED']);
      expect([first.target, second.target]).toEqual(['Species', 'Island']);
      const found = await call('runs:search', { workspace });
      expect(found.runs.map((run) => run.id).sort()).toEqual([a.runId, b.runId].sort());
    } finally {
      await core.close();
    }
  });

  it('stops when its job is cancelled: the run is KILLED and keeps the epochs it finished', async () => {
    const { core, workspace, call } = await penguins();
    try {
      let cancelled: Promise<unknown> | null = null;
      let started: { runId: string; jobId: string } | null = null;
      const firstEpoch = new Promise<void>((resolve) => {
        core.events.on((event) => {
          if (event.name === 'runs:metrics' && started && event.payload.runId === started.runId && !cancelled) {
            cancelled = call('jobs:cancel', { workspace, jobId: started.jobId as `job-${string}` });
            resolve();
          }
        });
      });
      started = await call('training:start', { workspace, dataset: 'penguins', target: 'Species', model: 'mlp', epochs: 10_000, earlyStoppingPatience: 0 });
      await firstEpoch;
      await cancelled;
      const summary = await call('training:wait', { workspace, runId: started.runId });
      expect(summary.status).toBe('KILLED');
      expect(summary.error).toMatchObject({ code: 'CANCELLED', message: expect.stringMatching(/^Cancelled after \d+ of 10000 epochs; run [0-9a-f]{32} is KILLED, with the metrics of the epochs it finished\.$/) });
      const history = await call('runs:metric-history', { workspace, runId: started.runId, key: 'loss' });
      expect(history.steps.length).toBeGreaterThan(0);
      expect(history.steps.length).toBeLessThan(10_000);
      const jobs = await call('jobs:list', { workspace });
      expect(jobs.find((job) => job.id === started!.jobId)).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    } finally {
      await core.close();
    }
  });

  it('stops when Lathe closes: the run ends KILLED, not left RUNNING', async () => {
    const root = await tempDir();
    const { core, workspace, call } = await coreOnNewWorkspace(root);
    await call('datasets:import-sample', { workspace });
    let runId = '';
    const firstEpoch = new Promise<void>((resolve) => core.events.on((event) => event.name === 'runs:metrics' && event.payload.runId === runId && resolve()));
    ({ runId } = await call('training:start', { workspace, dataset: 'penguins', target: 'Species', model: 'mlp', epochs: 10_000, earlyStoppingPatience: 0 }));
    await firstEpoch;
    await core.close();
    const reopened = await coreOnNewWorkspace(root); // "creating" a workspace that exists opens it
    try {
      const run = await reopened.call('runs:get', { workspace, runId });
      expect(run.status).toBe('KILLED');
      expect(run.systemTags['lathe.killed']).toMatch(/^Cancelled after \d+ of 10000 epochs/);
    } finally {
      await reopened.core.close();
    }
  });

  it('fails when the loss stops being a number, saying at which epoch and what to try, keeping the metrics', async () => {
    const fixture = await coreOnNewWorkspace(await tempDir());
    const { core, workspace, call } = fixture;
    try {
      let csv = 'x1,x2,y\n';
      for (let i = 0; i < 60; i++) csv += `${(i * 7) % 10}.5,${(i * 3) % 5}.25,${(((i * 7) % 10) * 3 - ((i * 3) % 5) * 2).toFixed(2)}\n`;
      await call('datasets:import-file', { workspace, path: await fixture.file('lines.csv', csv), name: 'lines' });
      // Ten ELU layers stepped by Adam at the largest learning rate allowed, four rows at a time.
      const started = await call('training:start', { workspace, dataset: 'lines', target: 'y', model: 'mlp', hidden: new Array(10).fill(64), activation: 'elu', learningRate: 10, batchSize: 4, l2: 0, epochs: 60, backend: 'wasm' });
      const summary = await call('training:wait', { workspace, runId: started.runId });
      expect(summary.status).toBe('FAILED');
      expect(summary.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^Training diverged at epoch (\d+) of 60: the training loss became (NaN|Infinity)\./), hint: expect.stringContaining('Try a lower learning rate (this run used 10; try 1)') });
      const epoch = Number(/epoch (\d+)/.exec(summary.error!.message)![1]);
      const history = await call('runs:metric-history', { workspace, runId: started.runId, key: 'loss' });
      expect(history.steps.at(-1)).toBe(epoch);
      expect(['NaN', 'Infinity']).toContain(history.values.at(-1));
      expect(summary.artifacts).toEqual([]);
    } finally {
      await core.close();
    }
  });
});
