import type { RunSummary } from '../../../../shared/contract/runs.ts';
import type { LatheApi } from '../../lib/api-types.ts';
import type { LatheStore } from '../../state/store.ts';
import { explanationKey, sameIds, type CurveResolution } from './compare-slice.ts';
import { testMetrics } from './evaluation.ts';
import { curveMetrics } from './metric-groups.ts';
import type { MetricSeries } from './metric-series.ts';
import { evaluationOf } from './run-page-commands.ts';
import { runIdFilter } from './run-filter-text.ts';
import { firstFailure, type SeriesCache } from './series-cache.ts';

/** Runs named in one runs:search (its filter stays well under main's 10,000 characters). */
const IDS_PER_SEARCH = 100;
/** Confusion matrices shown side by side at most: past a dozen nobody reads them. */
export const MAX_MATRICES = 12;

export interface CompareCommandDeps {
  api: Pick<LatheApi, 'call'>;
  store: LatheStore;
  series: SeriesCache;
}

export type CompareCommands = ReturnType<typeof createCompareCommands>;

/** Is this run a classifier's, by its test metrics? (Its evaluation.json then has a confusion matrix.) */
export function looksClassification(run: RunSummary): boolean {
  const test = testMetrics(run.metrics);
  return 'accuracy' in test || 'f1_macro' in test || 'macro_f1' in test || 'log_loss' in test;
}

/**
 * The comparison's commands: read the compared runs, their curves (every metric at once, each
 * run's curve downsampled to about the chart's width by main), their evaluations, and what
 * "Why did these differ" needs.
 */
export function createCompareCommands({ api, store, series }: CompareCommandDeps) {
  const workspacePath = () => store.getState().workspace?.path ?? null;
  const comparing = (ids: readonly string[]) => {
    const current = store.getState().comparison?.ids;
    return current !== undefined && sameIds(current, ids);
  };

  async function readRuns(workspace: string, ids: readonly string[]) {
    const found: RunSummary[] = [];
    for (let start = 0; start < ids.length; start += IDS_PER_SEARCH) {
      const batch = ids.slice(start, start + IDS_PER_SEARCH);
      const result = await api.call('runs:search', { workspace, filter: runIdFilter(batch), maxResults: batch.length, includeDeleted: true });
      if (!result.ok) return result;
      found.push(...result.value.runs);
    }
    return { ok: true as const, value: found };
  }

  /** Compare these runs: read their records (the curves follow with loadCurves, once the charts' width is known). */
  async function openComparison(ids: readonly string[]): Promise<void> {
    const workspace = workspacePath();
    if (!workspace) return;
    const before = store.getState().comparison;
    store.getState().comparisonOpened(ids);
    // The same runs again (back from a run's page): their records are on screen already.
    if (before && sameIds(before.ids, ids) && before.status === 'ready') return;
    // Ticked in the runs table: their rows are current (events keep them so), no need to ask.
    const listed = new Map(store.getState().runs.map((run) => [run.id, run]));
    if (ids.every((id) => listed.has(id))) {
      store.getState().comparedRunsLoaded(ids, ids.map((id) => listed.get(id)!));
      return;
    }
    const result = await readRuns(workspace, ids);
    if (!comparing(ids) || workspacePath() !== workspace) return;
    if (result.ok) store.getState().comparedRunsLoaded(ids, result.value);
    else store.getState().comparedRunsFailed(ids, result.error);
  }

  /** Every compared metric's chart at `resolution`, fetched together; each chart is drawn once, when all its curves are in. */
  async function loadCurves(resolution: CurveResolution): Promise<void> {
    const workspace = workspacePath();
    const comparison = store.getState().comparison;
    if (!workspace || !comparison?.runs) return;
    const { ids, runs } = comparison;
    const keys = curveMetrics([...new Set(runs.flatMap((run) => Object.keys(run.metrics)))]);
    const pending = keys.filter((key) => comparison.charts[key]?.resolution !== resolution || comparison.charts[key]?.status === 'failed');
    for (const key of pending) store.getState().compareChartRequested(key, resolution);
    // Every chart's curves in one go: main answers them in one request, not one per curve.
    const requests = pending.flatMap((key) => runs.filter((run) => run.metrics[key] !== undefined).map((run) => ({ run, key })));
    const results = await series.curves(workspace, requests, resolution);
    if (!comparing(ids) || workspacePath() !== workspace) return;
    for (const key of pending) {
      const byRun: Record<string, MetricSeries> = {};
      const mine = results.filter((_, index) => requests[index]!.key === key);
      results.forEach((result, index) => {
        if (result.ok && requests[index]!.key === key) byRun[requests[index]!.run.id] = result.value;
      });
      store.getState().compareChartLoaded(key, resolution, byRun, firstFailure(mine));
    }
  }

  /** The evaluations of the compared classifiers (up to MAX_MATRICES), for their confusion matrices. */
  async function loadEvaluations(): Promise<void> {
    const workspace = workspacePath();
    const comparison = store.getState().comparison;
    if (!workspace || !comparison?.runs) return;
    const { ids } = comparison;
    const wanted = comparison.runs.filter(looksClassification).slice(0, MAX_MATRICES).filter((run) => !comparison.evaluations[run.id]);
    await Promise.all(
      wanted.map(async (run) => {
        store.getState().comparedEvaluationRead(run.id, { status: 'loading' });
        const detail = comparison.details[run.id] ?? (await loadDetail(workspace, ids, run.id));
        if (!detail || !comparing(ids)) return;
        const evaluation = await evaluationOf(api, workspace, detail);
        if (comparing(ids)) store.getState().comparedEvaluationRead(run.id, evaluation);
      }),
    );
  }

  async function loadDetail(workspace: string, ids: readonly string[], runId: string) {
    const result = await api.call('runs:get', { workspace, runId });
    if (!comparing(ids) || workspacePath() !== workspace) return null;
    if (!result.ok) {
      store.getState().comparedEvaluationRead(runId, { status: 'failed', error: result.error });
      return null;
    }
    store.getState().comparedRunDetailLoaded(result.value);
    return result.value;
  }

  /** "Why did these differ" for runs A and B: main compares them (params, data versions and columns, code, environment). */
  async function explainDifference(aId: string, bId: string): Promise<void> {
    const workspace = workspacePath();
    const comparison = store.getState().comparison;
    const key = explanationKey(aId, bId);
    if (!workspace || !comparison || comparison.explanations[key]) return;
    const { ids } = comparison;
    const result = await api.call('runs:compare', { workspace, runIds: [aId, bId] });
    if (!comparing(ids) || workspacePath() !== workspace) return;
    store.getState().differenceExplained(key, result.ok ? result.value : result.error);
  }

  /** A compared run changed (it ended, logged more): its record again; curves follow on the next draw. */
  async function comparedRunChanged(runId: string): Promise<void> {
    const workspace = workspacePath();
    const comparison = store.getState().comparison;
    if (!workspace || !comparison?.ids.includes(runId)) return;
    const result = await readRuns(workspace, [runId]);
    if (result.ok && result.value[0]) store.getState().runRecordChanged(result.value[0]);
  }

  return { openComparison, loadCurves, loadEvaluations, explainDifference, comparedRunChanged };
}
