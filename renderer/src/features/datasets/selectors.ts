import type { DatasetSummary, DatasetVersion } from '../../../../shared/contract/datasets.ts';
import type { LatheState } from '../../state/store.ts';

let lastDatasets: DatasetSummary[] | null = null;
let lastSorted: DatasetSummary[] = [];

/** Datasets by name, so the list does not reshuffle when one is imported. Memoised on the array. */
export function selectSortedDatasets(state: LatheState): DatasetSummary[] {
  if (state.datasets !== lastDatasets) {
    lastDatasets = state.datasets;
    lastSorted = [...state.datasets].sort((a, b) => a.name.localeCompare(b.name));
  }
  return lastSorted;
}

export const selectSelectedName = (state: LatheState): string | null => state.selection.name;

/** The workspace is known to have no datasets (not merely still loading). */
export const selectWorkspaceIsEmpty = (state: LatheState): boolean =>
  state.datasetsStatus === 'ready' && state.datasets.length === 0;

export const selectIsImporting = (state: LatheState): boolean => state.activeImport !== null;

/** The newest version of the selected dataset, from its history (null until the history loads). */
export function selectLatestVersion(state: LatheState): DatasetVersion | null {
  const history = state.history;
  return history && history.name === state.selection.name ? (history.versions[0] ?? null) : null;
}

/** The version number on screen: the one asked for, or the one the latest turned out to be. */
export function selectShownVersion(state: LatheState): number | null {
  return state.detail?.version.version ?? state.selection.version;
}
