import { Dexie, type EntityTable } from 'dexie';

/**
 * What this window remembers across restarts: recent workspaces, the dataset that was open in
 * each, and preview column widths. Never the only copy of anything main owns; when IndexedDB
 * is missing or broken every read gives its default and every write is a no-op.
 */
export interface RecentWorkspace {
  path: string;
  name: string;
  openedAt: string;
}

interface SelectedDataset {
  workspace: string;
  dataset: string;
}

interface ColumnWidths {
  /** `<workspace>\u0000<dataset>` */
  key: string;
  widths: Record<string, number>;
}

export interface UiMemory {
  recentWorkspaces(): Promise<RecentWorkspace[]>;
  workspaceOpened(workspace: { path: string; name: string }): Promise<void>;
  forgetWorkspace(path: string): Promise<void>;
  selectedDataset(workspace: string): Promise<string | null>;
  datasetSelected(workspace: string, dataset: string | null): Promise<void>;
  columnWidths(workspace: string, dataset: string): Promise<Record<string, number>>;
  columnWidthsChanged(workspace: string, dataset: string, widths: Record<string, number>): Promise<void>;
}

const MAX_RECENT = 8;

class UiMemoryDatabase extends Dexie {
  recentWorkspaces!: EntityTable<RecentWorkspace, 'path'>;
  selectedDatasets!: EntityTable<SelectedDataset, 'workspace'>;
  columnWidths!: EntityTable<ColumnWidths, 'key'>;

  constructor() {
    super('lathe-ui-memory');
    this.version(1).stores({
      recentWorkspaces: 'path, openedAt',
      selectedDatasets: 'workspace',
      columnWidths: 'key',
    });
  }
}

/** Run a Dexie operation; on any failure (no IndexedDB, quota, private mode) give the fallback. */
async function safely<T>(operation: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await operation();
  } catch {
    return fallback;
  }
}

export function createUiMemory(): UiMemory {
  let db: UiMemoryDatabase | null = null;
  const open = (): UiMemoryDatabase => {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available');
    db ??= new UiMemoryDatabase();
    return db;
  };
  const widthKey = (workspace: string, dataset: string) => `${workspace}\u0000${dataset}`;

  return {
    recentWorkspaces: () => safely(() => open().recentWorkspaces.orderBy('openedAt').reverse().limit(MAX_RECENT).toArray(), []),
    workspaceOpened: (workspace) =>
      safely(async () => {
        const table = open().recentWorkspaces;
        await table.put({ path: workspace.path, name: workspace.name, openedAt: new Date().toISOString() });
        const stale = await table.orderBy('openedAt').reverse().offset(MAX_RECENT).primaryKeys();
        if (stale.length) await table.bulkDelete(stale);
      }, undefined),
    forgetWorkspace: (path) => safely(() => open().recentWorkspaces.delete(path), undefined),
    selectedDataset: (workspace) => safely(async () => (await open().selectedDatasets.get(workspace))?.dataset ?? null, null),
    datasetSelected: (workspace, dataset) =>
      safely(async () => {
        const table = open().selectedDatasets;
        if (dataset === null) await table.delete(workspace);
        else await table.put({ workspace, dataset });
      }, undefined),
    columnWidths: (workspace, dataset) => safely(async () => (await open().columnWidths.get(widthKey(workspace, dataset)))?.widths ?? {}, {}),
    columnWidthsChanged: (workspace, dataset, widths) =>
      safely(() => open().columnWidths.put({ key: widthKey(workspace, dataset), widths }).then(() => undefined), undefined),
  };
}

/** A memory that forgets everything: for tests, and a model of what a broken IndexedDB gives. */
export function createForgetfulMemory(): UiMemory {
  return {
    recentWorkspaces: async () => [],
    workspaceOpened: async () => undefined,
    forgetWorkspace: async () => undefined,
    selectedDataset: async () => null,
    datasetSelected: async () => undefined,
    columnWidths: async () => ({}),
    columnWidthsChanged: async () => undefined,
  };
}
