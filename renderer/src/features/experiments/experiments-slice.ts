import type { MetricPoint, RunSummary } from '../../../../shared/contract/runs.ts';
import type { LatheSlice } from '../../state/store.ts';
import { compareInitialState, createCompareSlice, type CompareSlice, type CompareState } from './compare-slice.ts';
import { createRunPageSlice, openRunWithPoints, runPageInitialState, type RunPageSlice, type RunPageState } from './run-page-slice.ts';
import { createRunsTableSlice, runsTableInitialState, withLatestMetrics, type RunsTableSlice, type RunsTableState } from './runs-table-slice.ts';

/**
 * The Experiments area's view state: the runs table, the open run and the comparison, plus the
 * live events that touch more than one of them. Main owns every run; this is what is on screen.
 */
export interface ExperimentsSlice extends RunsTableSlice, RunPageSlice, CompareSlice {
  /** Live points of a run: its row's latest values, and the open run's curves. */
  runMetricsLogged(runId: string, points: readonly MetricPoint[]): void;
  /** A run's new record (status, end time, lifecycle): its row, the open run and the comparison. */
  runRecordChanged(run: RunSummary): void;
}

export type ExperimentsState = RunsTableState & RunPageState & CompareState;

export function experimentsInitialState(): ExperimentsState {
  return { ...runsTableInitialState(), ...runPageInitialState(), ...compareInitialState() };
}

export const createExperimentsSlice: LatheSlice<ExperimentsSlice> = (...args) => {
  const [set] = args;
  return {
    ...createRunsTableSlice(...args),
    ...createRunPageSlice(...args),
    ...createCompareSlice(...args),
    runMetricsLogged: (runId, points) =>
      set((state) => {
        const index = state.runs.findIndex((run) => run.id === runId);
        const change: Partial<ExperimentsState> = {};
        if (index >= 0) {
          const runs = [...state.runs];
          runs[index] = withLatestMetrics(runs[index]!, points);
          change.runs = runs;
        }
        if (state.openRun?.id === runId) change.openRun = openRunWithPoints(state.openRun, points);
        return change;
      }),
    runRecordChanged: (run) =>
      set((state) => {
        const change: Partial<ExperimentsState> = {};
        const open = state.openRun;
        if (open?.id === run.id && open.detail) {
          // The summary's fields over the detail's: status, end time, lifecycle, latest metrics.
          change.openRun = { ...open, detail: { ...open.detail, ...run } };
        }
        const comparison = state.comparison;
        if (comparison?.runs?.some((compared) => compared.id === run.id)) {
          change.comparison = { ...comparison, runs: comparison.runs.map((compared) => (compared.id === run.id ? run : compared)) };
        }
        return change;
      }),
  };
};
