import type { DatasetDetail, DatasetSummary, DatasetVersion } from '../../../../shared/contract/datasets.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import type { LatheSlice } from '../../state/store.ts';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'failed';

/** Which dataset and version the detail view shows; `version: null` follows the latest. */
export interface DatasetSelection {
  readonly name: string | null;
  readonly version: number | null;
}

export interface DatasetsState {
  datasets: DatasetSummary[];
  datasetsStatus: LoadStatus;
  datasetsError: LatheError | null;
  selection: DatasetSelection;
  /** Versions of the selected dataset, newest first. */
  history: { readonly name: string; readonly versions: DatasetVersion[] } | null;
  historyError: LatheError | null;
  /** The version on screen. Kept while another version of the same dataset loads, to avoid a flash. */
  detail: DatasetDetail | null;
  detailStatus: LoadStatus;
  detailError: LatheError | null;
}

export interface DatasetsSlice extends DatasetsState {
  datasetsRequested(): void;
  datasetsListed(datasets: DatasetSummary[]): void;
  datasetsListFailed(error: LatheError): void;
  datasetSelected(name: string | null, version?: number | null): void;
  datasetHistoryLoaded(name: string, versions: DatasetVersion[]): void;
  datasetHistoryFailed(name: string, error: LatheError): void;
  datasetDetailLoaded(detail: DatasetDetail): void;
  datasetDetailFailed(name: string, version: number | null, error: LatheError): void;
}

export function datasetsInitialState(): DatasetsState {
  return {
    datasets: [],
    datasetsStatus: 'idle',
    datasetsError: null,
    selection: { name: null, version: null },
    history: null,
    historyError: null,
    detail: null,
    detailStatus: 'idle',
    detailError: null,
  };
}

/** Does this answer belong to what is selected now? Answers to earlier clicks are dropped. */
export function isForSelection(selection: DatasetSelection, name: string, version: number | null): boolean {
  return selection.name === name && (selection.version === null || version === null || selection.version === version);
}

export const createDatasetsSlice: LatheSlice<DatasetsSlice> = (set) => ({
  ...datasetsInitialState(),
  datasetsRequested: () => set({ datasetsStatus: 'loading' }),
  datasetsListed: (datasets) => set({ datasets, datasetsStatus: 'ready', datasetsError: null }),
  datasetsListFailed: (error) => set({ datasetsStatus: 'failed', datasetsError: error }),
  datasetSelected: (name, version = null) =>
    set((state) => {
      const sameDataset = state.selection.name === name;
      return {
        selection: { name, version },
        history: sameDataset ? state.history : null,
        historyError: sameDataset ? state.historyError : null,
        detail: sameDataset ? state.detail : null,
        detailStatus: name === null ? 'idle' : 'loading',
        detailError: null,
      };
    }),
  datasetHistoryLoaded: (name, versions) =>
    set((state) => (state.selection.name === name ? { history: { name, versions }, historyError: null } : {})),
  datasetHistoryFailed: (name, error) => set((state) => (state.selection.name === name ? { historyError: error } : {})),
  datasetDetailLoaded: (detail) =>
    set((state) =>
      isForSelection(state.selection, detail.version.name, detail.version.version)
        ? { detail, detailStatus: 'ready', detailError: null }
        : {},
    ),
  datasetDetailFailed: (name, version, error) =>
    set((state) => (isForSelection(state.selection, name, version) ? { detailStatus: 'failed', detailError: error } : {})),
});
