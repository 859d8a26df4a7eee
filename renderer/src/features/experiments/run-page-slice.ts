import type { JobInfo } from '../../../../shared/contract/jobs.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import type { MetricHistory, MetricPoint, RunDetail } from '../../../../shared/contract/runs.ts';
import type { ReproductionReport } from '../../../../shared/contract/training.ts';
import type { LatheSlice } from '../../state/store.ts';
import type { Evaluation } from './evaluation.ts';
import { emptySeries, pointsByKey, seriesFromHistory, thinned, withPoints, type MetricSeries } from './metric-series.ts';

/** Points a run page's curve shows (main downsamples to this); a live curve past twice as many is thinned back. */
export const RUN_PAGE_POINTS = 600;
import type { LoadStatus } from './runs-table-slice.ts';

/** What the run page knows of its evaluation: none logged, still reading it, read, or unreadable. */
export type EvaluationState =
  | { readonly status: 'loading' }
  | { readonly status: 'none' }
  | { readonly status: 'ready'; readonly evaluation: Evaluation }
  | { readonly status: 'failed'; readonly error: LatheError };

export interface OpenRun {
  readonly id: string;
  readonly detail: RunDetail | null;
  readonly status: LoadStatus;
  readonly error: LatheError | null;
  /** Each metric's points; live points are appended as `runs:metrics` brings them. */
  readonly series: Readonly<Record<string, MetricSeries>>;
  readonly seriesStatus: LoadStatus;
  readonly seriesError: LatheError | null;
  /** Live points that came before the history they belong to: merged into it when it arrives. */
  readonly earlyPoints: readonly MetricPoint[];
  readonly evaluation: EvaluationState;
  /** The training job driving the run, while it runs (Cancel stops it). */
  readonly job: JobInfo | null;
}

/** A run being reproduced (training:reproduce), and whether the reproduction matched once it ended. */
export interface Reproduction {
  readonly runId: string;
  readonly report: ReproductionReport | null;
  readonly error: LatheError | null;
}

export interface RunPageState {
  openRun: OpenRun | null;
  /** By the original run's id. */
  reproductions: Readonly<Record<string, Reproduction>>;
}

export interface RunPageSlice extends RunPageState {
  runOpened(runId: string): void;
  runClosed(): void;
  runDetailLoaded(detail: RunDetail): void;
  runDetailFailed(runId: string, error: LatheError): void;
  runHistoriesLoaded(runId: string, histories: MetricHistory[]): void;
  runHistoriesFailed(runId: string, error: LatheError): void;
  runEvaluationRead(runId: string, evaluation: EvaluationState): void;
  runJobKnown(runId: string, job: JobInfo | null): void;
  reproductionStarted(originalId: string, runId: string): void;
  reproductionCompared(originalId: string, runId: string, report: ReproductionReport): void;
  reproductionFailed(originalId: string, runId: string, error: LatheError): void;
}

export function runPageInitialState(): RunPageState {
  return { openRun: null, reproductions: {} };
}

function openRunOf(id: string): OpenRun {
  return { id, detail: null, status: 'loading', error: null, series: {}, seriesStatus: 'loading', seriesError: null, earlyPoints: [], evaluation: { status: 'loading' }, job: null };
}

/** The open run with live points added: to its series when they are loaded, else kept for later. */
export function openRunWithPoints(run: OpenRun, points: readonly MetricPoint[]): OpenRun {
  if (run.seriesStatus !== 'ready') return { ...run, earlyPoints: [...run.earlyPoints, ...points] };
  const series = { ...run.series };
  for (const [key, list] of pointsByKey(points)) {
    const grown = withPoints(series[key] ?? emptySeries(key), list);
    series[key] = grown.steps.length > 2 * RUN_PAGE_POINTS ? thinned(grown, RUN_PAGE_POINTS) : grown;
  }
  return { ...run, series };
}

export const createRunPageSlice: LatheSlice<RunPageSlice> = (set) => {
  /** Change the open run, when it is still `runId`. */
  const update = (runId: string, change: (run: OpenRun) => Partial<OpenRun>) =>
    set((state) => (state.openRun?.id === runId ? { openRun: { ...state.openRun, ...change(state.openRun) } } : {}));
  return {
    ...runPageInitialState(),
    runOpened: (runId) => set((state) => (state.openRun?.id === runId ? {} : { openRun: openRunOf(runId) })),
    runClosed: () => set({ openRun: null }),
    runDetailLoaded: (detail) => update(detail.id, () => ({ detail, status: 'ready', error: null })),
    runDetailFailed: (runId, error) => update(runId, () => ({ status: 'failed', error })),
    runHistoriesLoaded: (runId, histories) =>
      update(runId, (run) => {
        const series: Record<string, MetricSeries> = {};
        for (const history of histories) series[history.key] = seriesFromHistory(history);
        const loaded: OpenRun = { ...run, series, seriesStatus: 'ready', seriesError: null, earlyPoints: [] };
        return run.earlyPoints.length > 0 ? openRunWithPoints(loaded, run.earlyPoints) : loaded;
      }),
    runHistoriesFailed: (runId, error) => update(runId, () => ({ seriesStatus: 'failed', seriesError: error })),
    runEvaluationRead: (runId, evaluation) => update(runId, () => ({ evaluation })),
    runJobKnown: (runId, job) => update(runId, () => ({ job })),
    reproductionStarted: (originalId, runId) => set((state) => ({ reproductions: { ...state.reproductions, [originalId]: { runId, report: null, error: null } } })),
    reproductionCompared: (originalId, runId, report) => set((state) => ({ reproductions: { ...state.reproductions, [originalId]: { runId, report, error: null } } })),
    reproductionFailed: (originalId, runId, error) => set((state) => ({ reproductions: { ...state.reproductions, [originalId]: { runId, report: null, error } } })),
  };
};
