import { metricNumber, type Experiment, type MetricPoint, type RunSummary } from '../../../../shared/contract/runs.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import type { LatheSlice } from '../../state/store.ts';
import { DEFAULT_SORT, type ColumnId, type SortOrder } from './run-columns.ts';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'failed';

/** Which runs the table lists: those of one experiment (null: every experiment), matching a filter. */
export interface RunsQuery {
  readonly experimentId: string | null;
  /** MLflow filter syntax with OR and parentheses; '' lists every run. */
  readonly filter: string;
}

export interface RunsTableState {
  experiments: Experiment[];
  experimentsStatus: LoadStatus;
  experimentsError: LatheError | null;
  runsQuery: RunsQuery;
  /** Every run matching the query that has arrived so far, in no particular order (the table sorts). */
  runs: RunSummary[];
  /** How many runs match, as main counted them; null until the first page arrives. */
  runsTotal: number | null;
  /** `loading` until every page is in; the runs so far are shown meanwhile. */
  runsStatus: LoadStatus;
  runsError: LatheError | null;
  /** Main could not read the filter: the error says where (location.column). */
  filterError: LatheError | null;
  sort: SortOrder;
  /** The columns the user chose; null: chosen from the runs (run-columns.ts defaultColumns). */
  columns: ColumnId[] | null;
  /** Runs ticked for comparing, in the order they were ticked. */
  selectedRunIds: string[];
}

export interface RunsTableSlice extends RunsTableState {
  experimentsRequested(): void;
  experimentsListed(experiments: Experiment[]): void;
  experimentsListFailed(error: LatheError): void;
  /** A new search starts: the runs on screen stay until its first page replaces them. */
  runsSearchStarted(query: RunsQuery): void;
  runsPageArrived(query: RunsQuery, runs: RunSummary[], total: number, first: boolean, last: boolean): void;
  runsSearchFailed(query: RunsQuery, error: LatheError): void;
  /** Live: these runs changed (or are new) and match the query. */
  runsUpdated(runs: RunSummary[]): void;
  /** Live: these runs no longer match (deleted, or changed out of the filter). */
  runsLeft(runIds: string[]): void;
  runSortChosen(column: ColumnId): void;
  runColumnsChosen(columns: ColumnId[] | null): void;
  runTicked(runId: string, ticked: boolean): void;
  runsTicked(runIds: string[]): void;
}

export function runsTableInitialState(): RunsTableState {
  return {
    experiments: [],
    experimentsStatus: 'idle',
    experimentsError: null,
    runsQuery: { experimentId: null, filter: '' },
    runs: [],
    runsTotal: null,
    runsStatus: 'idle',
    runsError: null,
    filterError: null,
    sort: DEFAULT_SORT,
    columns: null,
    selectedRunIds: [],
  };
}

export const sameQuery = (a: RunsQuery, b: RunsQuery): boolean => a.experimentId === b.experimentId && a.filter === b.filter;

/** A filter main could not read: shown under the filter box, not as a failure of the list. */
export function isFilterError(error: LatheError): boolean {
  return error.code === 'INVALID_INPUT' && error.location?.field === 'filter';
}

/** Rows with the latest value of each metric that these points bring (the last by step, then timestamp). */
export function withLatestMetrics(run: RunSummary, points: readonly MetricPoint[]): RunSummary {
  let metrics: RunSummary['metrics'] | null = null;
  for (const point of points) {
    const current = (metrics ?? run.metrics)[point.key];
    if (current && (current.step > point.step || (current.step === point.step && current.timestamp > point.timestamp))) continue;
    metrics ??= { ...run.metrics };
    metrics[point.key] = { value: point.value, step: point.step, timestamp: point.timestamp };
  }
  return metrics ? { ...run, metrics } : run;
}

export const createRunsTableSlice: LatheSlice<RunsTableSlice> = (set) => ({
  ...runsTableInitialState(),
  experimentsRequested: () => set({ experimentsStatus: 'loading' }),
  experimentsListed: (experiments) => set({ experiments, experimentsStatus: 'ready', experimentsError: null }),
  experimentsListFailed: (error) => set({ experimentsStatus: 'failed', experimentsError: error }),
  runsSearchStarted: (query) =>
    set((state) => ({
      runsQuery: query,
      runsStatus: 'loading',
      runsError: null,
      // A new filter's error is not known yet; the old one goes when the answer comes.
      filterError: state.runsQuery.filter === query.filter ? state.filterError : null,
    })),
  runsPageArrived: (query, runs, total, first, last) =>
    set((state) => {
      if (!sameQuery(state.runsQuery, query)) return {};
      // A run that a live update added while pages were still coming is not listed twice.
      const known = first ? new Set<string>() : new Set(state.runs.map((run) => run.id));
      const fresh = first ? runs : runs.filter((run) => !known.has(run.id));
      // Ticked runs stay ticked whatever the filter: a person may filter to find more to compare.
      return {
        runs: first ? fresh : [...state.runs, ...fresh],
        runsTotal: total,
        runsStatus: last ? 'ready' : 'loading',
        runsError: null,
        filterError: null,
      };
    }),
  runsSearchFailed: (query, error) =>
    set((state) => {
      if (!sameQuery(state.runsQuery, query)) return {};
      if (isFilterError(error)) return { filterError: error, runsStatus: state.runs.length > 0 || state.runsTotal !== null ? 'ready' : 'failed' };
      return { runsStatus: 'failed', runsError: error };
    }),
  runsUpdated: (updated) =>
    set((state) => {
      if (updated.length === 0) return {};
      const byId = new Map(updated.map((run) => [run.id, run]));
      let added = 0;
      const runs = state.runs.map((run) => {
        const next = byId.get(run.id);
        if (!next) return run;
        byId.delete(run.id);
        return next;
      });
      for (const run of byId.values()) {
        runs.push(run);
        added += 1;
      }
      return { runs, runsTotal: state.runsTotal === null ? null : state.runsTotal + added };
    }),
  runsLeft: (runIds) =>
    set((state) => {
      const leaving = new Set(runIds);
      const runs = state.runs.filter((run) => !leaving.has(run.id));
      if (runs.length === state.runs.length) return {};
      return {
        runs,
        runsTotal: state.runsTotal === null ? null : Math.max(0, state.runsTotal - (state.runs.length - runs.length)),
        selectedRunIds: state.selectedRunIds.filter((id) => !leaving.has(id)),
      };
    }),
  runSortChosen: (column) =>
    set((state) => ({
      // The same column again turns the order round; a new one starts with what people look for
      // first: the highest metric, the newest start, names from A.
      sort: state.sort.column === column ? { column, descending: !state.sort.descending } : { column, descending: column.startsWith('metric:') || column === 'start' || column === 'duration' },
    })),
  runColumnsChosen: (columns) => set({ columns }),
  runTicked: (runId, ticked) =>
    set((state) => {
      const has = state.selectedRunIds.includes(runId);
      if (ticked === has) return {};
      return { selectedRunIds: ticked ? [...state.selectedRunIds, runId] : state.selectedRunIds.filter((id) => id !== runId) };
    }),
  runsTicked: (runIds) => set({ selectedRunIds: [...new Set(runIds)] }),
});

/** A metric's latest value as a number (NaN and infinities included). */
export function latestNumber(run: RunSummary, key: string): number | null {
  const latest = run.metrics[key];
  return latest === undefined ? null : metricNumber(latest.value);
}
