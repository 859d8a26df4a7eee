import type { LatheApi } from '../../lib/api-types.ts';
import type { UiMemory } from '../../lib/ui-memory.ts';
import type { LatheStore } from '../../state/store.ts';
import { datasetNameFromFile } from '../../../../shared/contract/dataset-name.ts';

export interface DatasetCommandDeps {
  api: Pick<LatheApi, 'call' | 'importFile'>;
  store: LatheStore;
  memory: UiMemory;
  newImportId?: () => string;
}

/** Where a file is going: a named dataset, or (when absent) the one its file name suggests. */
export interface ImportTarget {
  datasetName?: string;
  message?: string;
}

export type DatasetCommands = ReturnType<typeof createDatasetCommands>;

export function newImportId(): string {
  return crypto.randomUUID();
}

/**
 * What the Datasets area does: ask main through the API, then tell the store what happened.
 * Answers that arrive after the user moved on (another workspace, another dataset) are dropped.
 */
export function createDatasetCommands({ api, store, memory, newImportId: makeImportId = newImportId }: DatasetCommandDeps) {
  const workspacePath = () => store.getState().workspace?.path ?? null;
  /** Imports this window started: main's event about them is news only to other windows. */
  const ownImports = new Set<string>();
  const startImport = () => {
    const importId = makeImportId();
    ownImports.add(importId);
    if (ownImports.size > 200) ownImports.delete(ownImports.values().next().value!);
    return importId;
  };
  let listRequest = 0;
  let detailRequest = 0;
  let historyRequest = 0;
  let importQueue: Promise<void> = Promise.resolve();

  async function refreshDatasets(): Promise<void> {
    const workspace = workspacePath();
    if (!workspace) return;
    const request = ++listRequest;
    store.getState().datasetsRequested();
    const result = await api.call('datasets:list', { workspace });
    if (request !== listRequest || workspacePath() !== workspace) return;
    if (!result.ok) {
      store.getState().datasetsListFailed(result.error);
      return;
    }
    store.getState().datasetsListed(result.value);
    const { selection } = store.getState();
    const names = result.value.map((summary) => summary.name);
    if (selection.name !== null && names.includes(selection.name)) return;
    // Nothing selected yet (or it went away): the one open last time, else the first by name.
    const remembered = await memory.selectedDataset(workspace);
    if (workspacePath() !== workspace || (store.getState().selection.name !== selection.name)) return;
    const first = [...names].sort((a, b) => a.localeCompare(b))[0] ?? null;
    const pick = remembered !== null && names.includes(remembered) ? remembered : first;
    if (pick !== null) await selectDataset(pick);
    else if (selection.name !== null) store.getState().datasetSelected(null);
  }

  async function loadHistory(name: string): Promise<void> {
    const workspace = workspacePath();
    if (!workspace) return;
    const request = ++historyRequest;
    const result = await api.call('datasets:log', { workspace, name });
    if (request !== historyRequest || workspacePath() !== workspace) return;
    if (result.ok) store.getState().datasetHistoryLoaded(name, result.value);
    else store.getState().datasetHistoryFailed(name, result.error);
  }

  async function loadDetail(name: string, version: number | null): Promise<void> {
    const workspace = workspacePath();
    if (!workspace) return;
    const request = ++detailRequest;
    const result = await api.call('datasets:show', version === null ? { workspace, name } : { workspace, name, version });
    if (request !== detailRequest || workspacePath() !== workspace) return;
    if (result.ok) store.getState().datasetDetailLoaded(result.value);
    else store.getState().datasetDetailFailed(name, version, result.error);
  }

  /** Show one dataset, at one version (`null`: the latest). */
  async function selectDataset(name: string, version: number | null = null): Promise<void> {
    const workspace = workspacePath();
    if (!workspace) return;
    const changedDataset = store.getState().selection.name !== name;
    store.getState().datasetSelected(name, version);
    void memory.datasetSelected(workspace, name);
    await Promise.all([changedDataset || !store.getState().history ? loadHistory(name) : Promise.resolve(), loadDetail(name, version)]);
  }

  /** Another window, the CLI or this window changed a dataset: bring the list and the view up to date. */
  async function datasetChanged(name: string): Promise<void> {
    const { selection } = store.getState();
    const tasks: Promise<void>[] = [refreshDatasets()];
    if (selection.name === name) {
      tasks.push(loadHistory(name));
      if (selection.version === null) tasks.push(loadDetail(name, null));
    }
    await Promise.all(tasks);
  }

  async function runImport(file: File, datasetName: string, message: string | undefined): Promise<void> {
    const workspace = workspacePath();
    if (!workspace) return;
    const importId = startImport();
    const state = store.getState();
    state.importStarted({ importId, fileName: file.name, datasetName, totalBytes: file.size, sends: true });
    const result = await api.importFile(file, { workspace, name: datasetName, message: message?.trim() || `Import ${file.name}`, importId }, (sent, total) =>
      store.getState().importSendProgressed(importId, sent, total),
    );
    if (workspacePath() !== workspace) return;
    if (!result.ok) {
      store.getState().importFailed(result.error, file.name);
      return;
    }
    const sameDataset = state.selection.name === result.value.version.name;
    store.getState().datasetImported(result.value, file.name);
    void memory.datasetSelected(workspace, result.value.version.name);
    await Promise.all([refreshDatasets(), sameDataset && result.value.status === 'unchanged' ? Promise.resolve() : loadHistory(result.value.version.name), loadDetail(result.value.version.name, result.value.version.version)]);
  }

  /**
   * Import dropped or chosen files, one after another. One file may go to a named dataset (a
   * drop on a dataset's page); several files each become the dataset their name suggests.
   */
  function importFiles(files: readonly File[], target: ImportTarget = {}): Promise<void> {
    if (files.length === 0) return importQueue;
    store.getState().importQueued(files.length);
    for (const file of files) {
      const datasetName = files.length === 1 && target.datasetName ? target.datasetName : datasetNameFromFile(file.name);
      importQueue = importQueue.then(() => runImport(file, datasetName, target.message));
    }
    return importQueue;
  }

  async function importSample(): Promise<void> {
    const workspace = workspacePath();
    if (!workspace) return;
    const importId = startImport();
    store.getState().importQueued(1);
    store.getState().importStarted({ importId, fileName: 'the sample data', datasetName: '', totalBytes: null, sends: false });
    const result = await api.call('datasets:import-sample', { workspace, importId });
    if (workspacePath() !== workspace) return;
    if (!result.ok) {
      store.getState().importFailed(result.error, 'the sample data');
      return;
    }
    store.getState().datasetImported(result.value, result.value.version.sourceFile);
    void memory.datasetSelected(workspace, result.value.version.name);
    await Promise.all([refreshDatasets(), loadHistory(result.value.version.name), loadDetail(result.value.version.name, result.value.version.version)]);
  }

  /** Stop the import under way; main keeps nothing of it. */
  async function cancelImport(): Promise<void> {
    const workspace = workspacePath();
    const jobId = store.getState().activeImport?.jobId;
    if (workspace && jobId) await api.call('jobs:cancel', { workspace, jobId });
  }

  return { refreshDatasets, selectDataset, datasetChanged, importFiles, importSample, cancelImport, isOwnImport: (importId: string) => ownImports.has(importId) };
}
