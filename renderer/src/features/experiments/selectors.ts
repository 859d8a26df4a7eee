import type { RunSummary } from '../../../../shared/contract/runs.ts';
import type { LatheState } from '../../state/store.ts';
import { defaultColumns, runKeys, sortRuns, type ColumnId, type RunKeys } from './run-columns.ts';

/** Memoise a derivation on the identity of its inputs (one store per window: one slot is enough). */
function memo<A extends readonly unknown[], R>(derive: (...inputs: A) => R): (...inputs: A) => R {
  let last: A | null = null;
  let result: R;
  return (...inputs: A) => {
    if (!last || inputs.length !== last.length || inputs.some((input, index) => input !== last![index])) {
      last = inputs;
      result = derive(...inputs);
    }
    return result;
  };
}

const keysOf = memo((runs: readonly RunSummary[]) => runKeys(runs));

/** The params and metrics the listed runs have. */
export const selectRunKeys = (state: LatheState): RunKeys => keysOf(state.runs);

const sorted = memo((runs: readonly RunSummary[], column: ColumnId, descending: boolean, keys: RunKeys) => sortRuns(runs, { column, descending }, Date.now(), keys.numericParams));

/** The listed runs in the table's order. */
export const selectSortedRuns = (state: LatheState): RunSummary[] => sorted(state.runs, state.sort.column, state.sort.descending, selectRunKeys(state));

const chosenColumns = memo((columns: ColumnId[] | null, keys: RunKeys, severalExperiments: boolean) => columns ?? defaultColumns(keys, { severalExperiments }));

/** The table's columns: the user's choice, or those that suit the runs listed. */
export const selectColumns = (state: LatheState): ColumnId[] =>
  chosenColumns(state.columns, selectRunKeys(state), state.runsQuery.experimentId === null && state.experiments.filter((experiment) => experiment.activeRuns > 0).length > 1);

/** The workspace has no runs at all (not merely none matching a filter, nor still loading). */
export const selectHasNoRuns = (state: LatheState): boolean =>
  state.runsStatus === 'ready' && state.runsTotal === 0 && state.runsQuery.filter === '' && state.runsQuery.experimentId === null;

export const selectSelectedRunIds = (state: LatheState): string[] => state.selectedRunIds;
