import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../../shared/contract/jobs.ts';
import { createLatheStore } from '../../state/store.ts';
import { FakeMain, runOf, versionOf } from '../../testing/fake-api.ts';
import { explanationKey } from './compare-slice.ts';
import { createExperimentCommands } from './experiment-commands.ts';
import { createForgetfulExperimentsMemory, type ExperimentsMemory, type SeriesMemory, type StoredSeries } from './experiments-memory.ts';

function setup(series?: SeriesMemory, columns?: ExperimentsMemory['columns']) {
  const forgetful = createForgetfulExperimentsMemory();
  const memory: ExperimentsMemory = { series: series ?? forgetful.series, columns: columns ?? forgetful.columns };
  const main = new FakeMain();
  const store = createLatheStore();
  store.getState().workspaceOpened({ path: '/w', name: 'w', datasets: 0, createdAt: '2025-01-01T00:00:00Z' });
  // Live changes are looked up when the test says so (flushChanges), not on a timer.
  const commands = createExperimentCommands({ api: main, store, memory, schedule: () => undefined });
  const callsOf = (name: string) => main.calls.filter((call) => call.name === name);
  return { main, store, commands, callsOf };
}

const metric = (value: number, step = 9) => ({ value, step, timestamp: 1 });

describe('experiment commands: the runs table', () => {
  it('lists every page of runs, the first one small so rows show at once', async () => {
    const { main, store, commands, callsOf } = setup();
    for (let seed = 1; seed <= 450; seed++) main.addRun(runOf(seed));
    await commands.runs.searchRuns();
    expect(store.getState().runs).toHaveLength(450);
    expect(store.getState().runsStatus).toBe('ready');
    expect(callsOf('runs:search').map((call) => (call.input as { maxResults: number }).maxResults)).toEqual([200, 2000]);
  });

  it('keeps the rows and shows the located error when main cannot read the filter', async () => {
    const { main, store, commands } = setup();
    main.addRun(runOf(1));
    await commands.runs.searchRuns();
    main.filterRule = (filter) => ({ code: 'INVALID_INPUT', message: `Invalid filter at character 8: expected a number; found "x".\n  ${filter}\n         ^`, location: { field: 'filter', column: 8 } });
    await commands.runs.filterApplied('metrics.acc > x');
    expect(store.getState().filterError?.location?.column).toBe(8);
    expect(store.getState().runs).toHaveLength(1);
    main.filterRule = (_filter, run) => run.name === 'run-1';
    await commands.runs.filterApplied("params.model = 'mlp'");
    expect(store.getState().filterError).toBeNull();
  });

  it('follows main: a changed run is updated, a new one added, one that no longer matches removed', async () => {
    const { main, store, commands } = setup();
    main.addRun(runOf(1, { status: 'RUNNING', endTime: null }));
    main.addRun(runOf(2));
    await commands.runs.searchRuns();
    main.addRun(runOf(1, { status: 'FINISHED' }));
    main.addRun(runOf(3));
    main.runs.set(runOf(2).id, runOf(2, { lifecycle: 'deleted' }));
    for (const seed of [1, 2, 3]) commands.runChanged({ workspace: '/w', runId: runOf(seed).id, status: 'FINISHED', lifecycle: seed === 2 ? 'deleted' : 'active' });
    await commands.runs.flushChanges();
    expect(store.getState().runs.map((run) => [run.name, run.status]).sort()).toEqual([
      ['run-1', 'FINISHED'],
      ['run-3', 'FINISHED'],
    ]);
    // Another workspace's run is not this window's business.
    commands.runChanged({ workspace: '/elsewhere', runId: runOf(4).id, status: 'RUNNING', lifecycle: 'active' });
    expect(await commands.runs.flushChanges()).toEqual([]);
  });

  it('remembers the columns chosen, per experiment, across windows', async () => {
    const kept = new Map<string, string[]>();
    const columns: ExperimentsMemory['columns'] = {
      columns: async (workspace, experimentId) => (kept.get(`${workspace}/${experimentId}`) as never) ?? null,
      columnsChosen: async (workspace, experimentId, chosen) => void (chosen ? kept.set(`${workspace}/${experimentId}`, [...chosen]) : kept.delete(`${workspace}/${experimentId}`)),
    };
    const first = setup(undefined, columns);
    first.main.addRun(runOf(1));
    await first.commands.runs.searchRuns();
    first.commands.runs.columnsChosen(['name', 'metric:val_loss']);
    await expect.poll(() => kept.get('/w/null')).toEqual(['name', 'metric:val_loss']);
    const second = setup(undefined, columns);
    second.main.addRun(runOf(1));
    await second.commands.runs.searchRuns();
    await expect.poll(() => second.store.getState().columns).toEqual(['name', 'metric:val_loss']);
    // Another experiment has its own (none yet: the suggested ones).
    await second.commands.runs.experimentChosen('1');
    await expect.poll(() => second.store.getState().columns).toBeNull();
  });

  it('updates a row’s metrics from live points', async () => {
    const { main, store, commands } = setup();
    main.addRun(runOf(1, { status: 'RUNNING', endTime: null }));
    await commands.runs.searchRuns();
    commands.runMetricsLogged({ workspace: '/w', runId: runOf(1).id, points: [{ key: 'val_loss', step: 4, value: 0.5, timestamp: 9 }] });
    expect(store.getState().runs[0]?.metrics.val_loss?.value).toBe(0.5);
  });
});

describe('experiment commands: a run’s page', () => {
  const job: JobInfo = { id: 'job-000000000001', workspace: '/w', kind: 'training', title: 'Training run-1', ref: runOf(1).id, status: 'running', startedAt: '', endedAt: null, progress: null, error: null };

  it('opens a run with its curves, its evaluation and the job training it; Cancel stops that job', async () => {
    const { main, store, commands, callsOf } = setup();
    const run = main.addRun(runOf(1, { status: 'RUNNING', endTime: null, metrics: { loss: metric(0.4, 2) } }), { loss: [0.9, 0.6, 0.4] });
    main.jobs.push(job);
    await commands.runPage.openRun(run.id);
    const open = store.getState().openRun!;
    expect(open.detail?.name).toBe('run-1');
    expect(open.series.loss?.values).toEqual([0.9, 0.6, 0.4]);
    expect(open.job?.id).toBe(job.id);
    expect(open.evaluation).toEqual({ status: 'none' });
    expect(await commands.runPage.cancelRun(run.id)).toEqual({ ok: true });
    expect(callsOf('jobs:cancel')[0]?.input).toEqual({ workspace: '/w', jobId: job.id });
  });

  it('reads the evaluation once the run ends', async () => {
    const { main, store, commands } = setup();
    const run = main.addRun(runOf(1, { status: 'RUNNING', endTime: null }));
    await commands.runPage.openRun(run.id);
    const report = { task: 'classification', classes: ['a', 'b'], confusion: [[3, 1], [0, 4]] };
    main.addRun(runOf(1, { status: 'FINISHED', metrics: { test_accuracy: metric(0.875) }, artifacts: [{ path: 'evaluation.json', contentHash: 'sha256:x', bytes: 10 }] }));
    main.artifactTexts.set(`${run.id}\u0000evaluation.json`, JSON.stringify(report));
    commands.runChanged({ workspace: '/w', runId: run.id, status: 'FINISHED', lifecycle: 'active' });
    await commands.runPage.openRunChanged(run.id);
    const evaluation = store.getState().openRun?.evaluation;
    expect(evaluation?.status).toBe('ready');
    if (evaluation?.status === 'ready' && evaluation.evaluation.task === 'classification') {
      expect(evaluation.evaluation.accuracy).toBe(0.875);
      expect(evaluation.evaluation.matrix).toEqual([[3, 1], [0, 4]]);
    }
  });

  it('says plainly that a run is not trained by a job of this Lathe', async () => {
    const { main, commands } = setup();
    const run = main.addRun(runOf(1, { status: 'RUNNING', endTime: null }));
    await commands.runPage.openRun(run.id);
    const outcome = await commands.runPage.cancelRun(run.id);
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toMatch(/No job of this Lathe/);
  });

  it('deletes a run (it leaves the table) and restores it', async () => {
    const { main, store, commands } = setup();
    const run = main.addRun(runOf(1));
    await commands.runs.searchRuns();
    await commands.runPage.openRun(run.id);
    expect((await commands.deleteRun(run.id)).ok).toBe(true);
    expect(store.getState().runs).toHaveLength(0);
    expect(store.getState().openRun?.detail?.lifecycle).toBe('deleted');
    expect((await commands.restoreRun(run.id)).ok).toBe(true);
    expect(store.getState().openRun?.detail?.lifecycle).toBe('active');
  });
});

describe('experiment commands: comparing runs', () => {
  function compareSetup(memory?: SeriesMemory) {
    const context = setup(memory);
    for (const seed of [1, 2, 3]) {
      context.main.addRun(
        runOf(seed, { metrics: { loss: metric(0.1 * seed), val_loss: metric(0.2 * seed), test_accuracy: metric(0.9) } }),
        { loss: Array.from({ length: 50 }, (_, i) => 1 / (i + seed)), val_loss: Array.from({ length: 50 }, (_, i) => 2 / (i + seed)) },
      );
    }
    return { ...context, ids: [1, 2, 3].map((seed) => runOf(seed).id) };
  }

  it('draws one chart per metric over steps, every curve downsampled by main in one request; a second look asks nothing', async () => {
    const { store, commands, callsOf, ids } = compareSetup();
    await commands.compare.openComparison(ids);
    await commands.compare.loadCurves(20);
    const charts = store.getState().comparison!.charts;
    expect(Object.keys(charts).sort()).toEqual(['loss', 'val_loss']);
    expect(Object.keys(charts.loss!.byRun)).toHaveLength(3);
    expect(charts.loss!.byRun[ids[0]!]!.steps.length).toBeLessThanOrEqual(20);
    expect(callsOf('runs:metric-history')).toHaveLength(0);
    expect(callsOf('runs:metric-histories').map((call) => call.input)).toEqual([expect.objectContaining({ maxPoints: 20, withoutTimestamps: true, curves: expect.arrayContaining([{ runId: ids[0], key: 'loss' }]) })]);
    expect((callsOf('runs:metric-histories')[0]!.input as { curves: unknown[] }).curves).toHaveLength(6);
    store.getState().comparisonClosed();
    await commands.compare.openComparison(ids);
    await commands.compare.loadCurves(20);
    expect(callsOf('runs:metric-histories')).toHaveLength(1);
    // Every point, when asked.
    await commands.compare.loadCurves('every');
    expect(store.getState().comparison!.charts.loss!.byRun[ids[0]!]!.steps).toHaveLength(50);
  });

  it('takes ticked runs from the table without asking main again', async () => {
    const { store, commands, callsOf, ids } = compareSetup();
    await commands.runs.searchRuns();
    const searches = callsOf('runs:search').length;
    await commands.compare.openComparison(ids);
    expect(callsOf('runs:search')).toHaveLength(searches);
    expect(store.getState().comparison?.runs?.map((run) => run.name)).toEqual(['run-1', 'run-2', 'run-3']);
  });

  it('keeps finished runs’ curves in IndexedDB, and reads them back after a restart', async () => {
    const kept = new Map<string, StoredSeries>();
    const memory: SeriesMemory = {
      load: async (keys) => keys.map((key) => kept.get(key)),
      save: async (entries) => entries.forEach((entry) => kept.set(entry.key, entry)),
    };
    const first = compareSetup(memory);
    await first.commands.compare.openComparison(first.ids);
    await first.commands.compare.loadCurves(20);
    // Written once the page is idle, after the charts are drawn.
    await expect.poll(() => kept.size).toBe(6);
    // A new window: nothing in memory, everything in IndexedDB.
    const second = compareSetup(memory);
    await second.commands.compare.openComparison(second.ids);
    await second.commands.compare.loadCurves(20);
    expect(second.callsOf('runs:metric-histories')).toHaveLength(0);
    expect(Object.keys(second.store.getState().comparison!.charts.val_loss!.byRun)).toHaveLength(3);
  });

  it('asks main once why two runs differ, and keeps the answer for the pair', async () => {
    const { main, store, commands, callsOf } = setup();
    main.datasets.set('penguins', [versionOf('penguins', 2), versionOf('penguins', 1)]);
    const a = main.addRun(runOf(1, { params: { lr: '0.1' }, datasets: [{ name: 'penguins', version: 1, contentHash: versionOf('penguins', 1).contentHash }] }));
    const b = main.addRun(runOf(2, { params: { lr: '0.01' }, datasets: [{ name: 'penguins', version: 2, contentHash: versionOf('penguins', 2).contentHash }] }));
    await commands.compare.openComparison([a.id, b.id]);
    await commands.compare.explainDifference(a.id, b.id);
    await commands.compare.explainDifference(a.id, b.id);
    expect(callsOf('runs:compare').map((call) => (call.input as { runIds: string[] }).runIds)).toEqual([[a.id, b.id]]);
    const explanation = store.getState().comparison!.explanations[explanationKey(a.id, b.id)]!;
    expect('runs' in explanation && explanation.changes[0]!.data.map((change) => [change.before?.version, change.after?.version])).toEqual([[1, 2]]);
  });
});

describe('experiment commands: reproducing a run', () => {
  it('reproduces a run of Lathe’s training and, when the reproduction ends, says whether it matched', async () => {
    const { main, store, commands, callsOf } = setup();
    const original = main.addRun(runOf(1, { systemTags: { 'lathe.source': 'training' }, metrics: { test_accuracy: metric(0.9) } }));
    expect((await commands.reproduction.reproduce(original.id)).ok).toBe(true);
    const reproductionId = store.getState().reproductions[original.id]!.runId;
    expect(store.getState().reproductions[original.id]!.report).toBeNull();
    main.reproductionReport = {
      original: original.id,
      reproduction: reproductionId,
      sameBackend: true,
      tolerance: 0,
      verdict: 'identical',
      metrics: [{ key: 'test_accuracy', original: 0.9, reproduction: 0.9, difference: 0, match: true }],
      message: 'Every test metric matches exactly (same backend).',
    };
    // Still training: nothing to compare yet.
    commands.runChanged({ workspace: '/w', runId: reproductionId, status: 'RUNNING', lifecycle: 'active' });
    expect(callsOf('training:compare-reproduction')).toHaveLength(0);
    commands.runChanged({ workspace: '/w', runId: reproductionId, status: 'FINISHED', lifecycle: 'active' });
    await expect.poll(() => store.getState().reproductions[original.id]?.report?.verdict).toBe('identical');
    expect(callsOf('training:compare-reproduction')[0]?.input).toEqual({ workspace: '/w', runId: reproductionId, originalRunId: original.id });
  });
});

describe('experiment commands: a run that ends while its page opens', () => {
  it('shows the evaluation read at the end, not the one read while it trained', async () => {
    const { main, store, commands } = setup();
    const running = main.addRun(runOf(1, { status: 'RUNNING', endTime: null }));
    const opening = commands.runPage.openRun(running.id);
    // It ends before the page has read it: main has its evaluation now.
    main.addRun(runOf(1, { status: 'FINISHED', metrics: { test_accuracy: metric(0.75) } }));
    const ended = commands.runPage.openRunChanged(running.id);
    await Promise.all([opening, ended]);
    const evaluation = store.getState().openRun?.evaluation;
    expect(store.getState().openRun?.detail?.status).toBe('FINISHED');
    expect(evaluation?.status === 'ready' && evaluation.evaluation.task === 'classification' && evaluation.evaluation.accuracy).toBe(0.75);
  });
});
