import type { LatheError } from '../../../../shared/contract/result.ts';
import type { RunComparison } from '../../../../shared/contract/run-comparison.ts';
import type { RunDetail, RunSummary } from '../../../../shared/contract/runs.ts';
import type { LatheSlice } from '../../state/store.ts';
import type { MetricSeries } from './metric-series.ts';
import type { EvaluationState } from './run-page-slice.ts';
import type { LoadStatus } from './runs-table-slice.ts';

/** How many points a compared curve gets: about the chart's width in pixels, or every one. */
export type CurveResolution = number | 'every';

export interface CompareChart {
  readonly status: LoadStatus;
  readonly resolution: CurveResolution;
  /** The curve of each run that has this metric. */
  readonly byRun: Readonly<Record<string, MetricSeries>>;
  readonly error: LatheError | null;
}

export interface Comparison {
  /** The runs compared, in the order chosen (their colours follow it). */
  readonly ids: readonly string[];
  readonly runs: readonly RunSummary[] | null;
  readonly status: LoadStatus;
  readonly error: LatheError | null;
  /** One chart per metric. */
  readonly charts: Readonly<Record<string, CompareChart>>;
  /** Full records of runs, loaded for their evaluations. */
  readonly details: Readonly<Record<string, RunDetail>>;
  readonly evaluations: Readonly<Record<string, EvaluationState>>;
  /** "Why did these differ" for a pair of runs (`explanationKey(a, b)`): main's runs:compare, or why it failed. */
  readonly explanations: Readonly<Record<string, RunComparison | LatheError>>;
}

export interface CompareState {
  comparison: Comparison | null;
}

export interface CompareSlice extends CompareState {
  comparisonOpened(ids: readonly string[]): void;
  comparisonClosed(): void;
  comparedRunsLoaded(ids: readonly string[], runs: RunSummary[]): void;
  comparedRunsFailed(ids: readonly string[], error: LatheError): void;
  compareChartRequested(key: string, resolution: CurveResolution): void;
  compareChartLoaded(key: string, resolution: CurveResolution, byRun: Record<string, MetricSeries>, error: LatheError | null): void;
  comparedRunDetailLoaded(detail: RunDetail): void;
  comparedEvaluationRead(runId: string, evaluation: EvaluationState): void;
  differenceExplained(key: string, explanation: RunComparison | LatheError): void;
}

export function compareInitialState(): CompareState {
  return { comparison: null };
}

export const explanationKey = (a: string, b: string): string => `${a}:${b}`;

export const sameIds = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id, index) => id === b[index]);

export const createCompareSlice: LatheSlice<CompareSlice> = (set) => {
  const update = (change: (comparison: Comparison) => Partial<Comparison>) =>
    set((state) => (state.comparison ? { comparison: { ...state.comparison, ...change(state.comparison) } } : {}));
  return {
    ...compareInitialState(),
    comparisonOpened: (ids) =>
      set((state) =>
        state.comparison && sameIds(state.comparison.ids, ids)
          ? {}
          : { comparison: { ids: [...ids], runs: null, status: 'loading', error: null, charts: {}, details: {}, evaluations: {}, explanations: {} } },
      ),
    comparisonClosed: () => set({ comparison: null }),
    comparedRunsLoaded: (ids, runs) =>
      set((state) => {
        if (!state.comparison || !sameIds(state.comparison.ids, ids)) return {};
        const byId = new Map(runs.map((run) => [run.id, run]));
        const ordered = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
        return { comparison: { ...state.comparison, runs: ordered, status: 'ready', error: null } };
      }),
    comparedRunsFailed: (ids, error) =>
      set((state) => (state.comparison && sameIds(state.comparison.ids, ids) ? { comparison: { ...state.comparison, status: 'failed', error } } : {})),
    compareChartRequested: (key, resolution) =>
      update((comparison) => {
        const current = comparison.charts[key];
        // The curves on screen stay while a finer or coarser set loads.
        return { charts: { ...comparison.charts, [key]: { status: 'loading', resolution, byRun: current?.byRun ?? {}, error: null } } };
      }),
    compareChartLoaded: (key, resolution, byRun, error) =>
      update((comparison) => {
        const current = comparison.charts[key];
        if (current && current.resolution !== resolution) return {};
        return { charts: { ...comparison.charts, [key]: { status: error ? 'failed' : 'ready', resolution, byRun, error } } };
      }),
    comparedRunDetailLoaded: (detail) => update((comparison) => ({ details: { ...comparison.details, [detail.id]: detail } })),
    comparedEvaluationRead: (runId, evaluation) => update((comparison) => ({ evaluations: { ...comparison.evaluations, [runId]: evaluation } })),
    differenceExplained: (key, explanation) => update((comparison) => ({ explanations: { ...comparison.explanations, [key]: explanation } })),
  };
};
