import { describe, expect, it } from 'vitest';
import { createLatheStore } from '../../state/store.ts';
import { historyOf, runOf, summaryOfRun } from '../../testing/fake-api.ts';
import { selectColumns, selectHasNoRuns, selectSortedRuns } from './selectors.ts';

const query = { experimentId: null, filter: '' };
const summary = (seed: number, overrides: Parameters<typeof runOf>[1] = {}) => summaryOfRun(runOf(seed, overrides));

describe('experiments slice: the runs table', () => {
  it('adds pages as they arrive and replaces the runs when a new search answers', () => {
    const store = createLatheStore();
    store.getState().runsSearchStarted(query);
    store.getState().runsPageArrived(query, [summary(1), summary(2)], 3, true, false);
    expect(store.getState().runsStatus).toBe('loading');
    store.getState().runsPageArrived(query, [summary(3)], 3, false, true);
    expect(store.getState().runs.map((run) => run.name)).toEqual(['run-1', 'run-2', 'run-3']);
    expect(store.getState().runsStatus).toBe('ready');

    const filtered = { experimentId: null, filter: "params.model = 'mlp'" };
    store.getState().runsSearchStarted(filtered);
    // The old rows stay on screen until the new search's first page replaces them.
    expect(store.getState().runs).toHaveLength(3);
    // A page of the search before is dropped.
    store.getState().runsPageArrived(query, [summary(9)], 9, false, true);
    expect(store.getState().runs).toHaveLength(3);
    store.getState().runsPageArrived(filtered, [summary(2)], 1, true, true);
    expect(store.getState().runs.map((run) => run.name)).toEqual(['run-2']);
    expect(store.getState().runsTotal).toBe(1);
  });

  it('shows a filter main cannot read under the box, keeping the runs listed before', () => {
    const store = createLatheStore();
    store.getState().runsSearchStarted(query);
    store.getState().runsPageArrived(query, [summary(1)], 1, true, true);
    const bad = { experimentId: null, filter: 'metrics.acc >' };
    store.getState().runsSearchStarted(bad);
    const error = { code: 'INVALID_INPUT' as const, message: 'Invalid filter at character 14: expected a number; found the end.', location: { field: 'filter', column: 14 } };
    store.getState().runsSearchFailed(bad, error);
    expect(store.getState().filterError).toEqual(error);
    expect(store.getState().runsError).toBeNull();
    expect(store.getState().runs).toHaveLength(1);
    // Any other failure is the list's.
    store.getState().runsSearchFailed(bad, { code: 'DISK_ERROR', message: 'disk' });
    expect(store.getState().runsError?.code).toBe('DISK_ERROR');
  });

  it('updates a row live: status, new runs, runs that leave, latest metrics', () => {
    const store = createLatheStore();
    store.getState().runsSearchStarted(query);
    store.getState().runsPageArrived(query, [summary(1, { status: 'RUNNING', endTime: null }), summary(2)], 2, true, true);
    store.getState().runsUpdated([summary(1, { status: 'FINISHED' }), summary(3)]);
    expect(store.getState().runs.map((run) => [run.name, run.status])).toEqual([
      ['run-1', 'FINISHED'],
      ['run-2', 'FINISHED'],
      ['run-3', 'FINISHED'],
    ]);
    expect(store.getState().runsTotal).toBe(3);
    store.getState().runTicked(summary(2).id, true);
    store.getState().runsLeft([summary(2).id]);
    expect(store.getState().runs).toHaveLength(2);
    expect(store.getState().selectedRunIds).toEqual([]);
    const id = summary(1).id;
    store.getState().runMetricsLogged(id, [
      { key: 'loss', step: 3, value: 0.3, timestamp: 10 },
      { key: 'loss', step: 2, value: 0.9, timestamp: 11 },
    ]);
    // The latest point is the last by step, not the last to arrive.
    expect(store.getState().runs[0]!.metrics.loss).toEqual({ value: 0.3, step: 3, timestamp: 10 });
  });

  it('sorts by a clicked column, and turns the order round on a second click', () => {
    const store = createLatheStore();
    const runs = [
      summary(1, { metrics: { val_accuracy: { value: 0.8, step: 9, timestamp: 1 } } }),
      summary(2, { metrics: { val_accuracy: { value: 'NaN', step: 9, timestamp: 1 } } }),
      summary(3, { metrics: { val_accuracy: { value: 0.95, step: 9, timestamp: 1 } } }),
      summary(4),
    ];
    store.getState().runsSearchStarted(query);
    store.getState().runsPageArrived(query, runs, 4, true, true);
    store.getState().runSortChosen('metric:val_accuracy');
    // A metric starts highest first; NaN and missing values come last either way.
    expect(selectSortedRuns(store.getState()).map((run) => run.name)).toEqual(['run-3', 'run-1', 'run-2', 'run-4']);
    store.getState().runSortChosen('metric:val_accuracy');
    expect(selectSortedRuns(store.getState()).map((run) => run.name)).toEqual(['run-1', 'run-3', 'run-2', 'run-4']);
  });

  it('sorts a numeric param as numbers, not as text', () => {
    const store = createLatheStore();
    const runs = [summary(1, { params: { epochs: '100' } }), summary(2, { params: { epochs: '20' } }), summary(3, { params: { epochs: '5' } })];
    store.getState().runsSearchStarted(query);
    store.getState().runsPageArrived(query, runs, 3, true, true);
    store.getState().runSortChosen('param:epochs');
    expect(selectSortedRuns(store.getState()).map((run) => run.params.epochs)).toEqual(['5', '20', '100']);
  });

  it('picks columns for the params that differ and the validation metrics, until the user chooses', () => {
    const store = createLatheStore();
    const runs = [
      summary(1, { params: { seed: '1', lr: '0.1', model: 'mlp' }, metrics: { loss: { value: 1, step: 1, timestamp: 1 }, val_accuracy: { value: 1, step: 1, timestamp: 1 } } }),
      summary(2, { params: { seed: '1', lr: '0.01', model: 'mlp' }, metrics: { loss: { value: 1, step: 1, timestamp: 1 }, val_accuracy: { value: 1, step: 1, timestamp: 1 } } }),
    ];
    store.getState().runsSearchStarted(query);
    store.getState().runsPageArrived(query, runs, 2, true, true);
    const columns = selectColumns(store.getState());
    expect(columns.slice(0, 5)).toEqual(['status', 'name', 'start', 'duration', 'dataset']);
    // lr differs between the runs, so it leads; one shared param fills in, so there are at least two.
    expect(columns.slice(5)).toEqual(['metric:val_accuracy', 'metric:loss', 'param:lr', 'param:model']);
    store.getState().runColumnsChosen(['name', 'param:seed']);
    expect(selectColumns(store.getState())).toEqual(['name', 'param:seed']);
  });

  it('tells an empty workspace from a filter that matches nothing', () => {
    const store = createLatheStore();
    store.getState().runsSearchStarted(query);
    store.getState().runsPageArrived(query, [], 0, true, true);
    expect(selectHasNoRuns(store.getState())).toBe(true);
    const filtered = { experimentId: null, filter: 'metrics.acc > 2' };
    store.getState().runsSearchStarted(filtered);
    store.getState().runsPageArrived(filtered, [], 0, true, true);
    expect(selectHasNoRuns(store.getState())).toBe(false);
  });

  it('forgets every run of the previous workspace when another opens', () => {
    const store = createLatheStore();
    store.getState().runsPageArrived(query, [summary(1)], 1, true, true);
    store.getState().runOpened(summary(1).id);
    store.getState().workspaceOpened({ path: '/other', name: 'other', datasets: 0, createdAt: '2025-01-01T00:00:00Z' });
    expect(store.getState().runs).toEqual([]);
    expect(store.getState().openRun).toBeNull();
  });
});

describe('experiments slice: the open run', () => {
  it('keeps live points that come before the history, and merges them without doubles', () => {
    const store = createLatheStore();
    const run = runOf(7, { status: 'RUNNING', endTime: null });
    store.getState().runOpened(run.id);
    store.getState().runDetailLoaded(run);
    // Two points arrive while the history is still loading; one of them the history holds too.
    store.getState().runMetricsLogged(run.id, [
      { key: 'loss', step: 2, value: 0.5, timestamp: 1_750_000_000_002 },
      { key: 'loss', step: 3, value: 0.4, timestamp: 1_750_000_000_003 },
    ]);
    store.getState().runHistoriesLoaded(run.id, [historyOf('loss', [0.9, 0.7, 0.5])]);
    expect(store.getState().openRun?.series.loss?.values).toEqual([0.9, 0.7, 0.5, 0.4]);
    // Later points are appended as they come, and a new metric gets its own curve.
    store.getState().runMetricsLogged(run.id, [
      { key: 'loss', step: 4, value: 0.35, timestamp: 1_750_000_000_004 },
      { key: 'val_loss', step: 4, value: 0.6, timestamp: 1_750_000_000_004 },
    ]);
    expect(store.getState().openRun?.series.loss?.steps).toEqual([0, 1, 2, 3, 4]);
    expect(store.getState().openRun?.series.val_loss?.values).toEqual([0.6]);
  });

  it('drops answers about a run that is no longer open', () => {
    const store = createLatheStore();
    store.getState().runOpened(runOf(1).id);
    store.getState().runOpened(runOf(2).id);
    store.getState().runDetailLoaded(runOf(1));
    expect(store.getState().openRun?.detail).toBeNull();
    store.getState().runDetailLoaded(runOf(2));
    expect(store.getState().openRun?.detail?.name).toBe('run-2');
  });
});
