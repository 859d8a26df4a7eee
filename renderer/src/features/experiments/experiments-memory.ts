import { Dexie, type EntityTable } from 'dexie';
import type { ColumnId } from './run-columns.ts';

/**
 * What the Experiments area remembers across restarts, in IndexedDB: metric curves fetched
 * before (so reopening a comparison of finished runs draws without asking main again) and the
 * runs table's columns per workspace and experiment. Only ever a copy or a preference: a curve
 * is keyed by run, metric, resolution and the metric's last step and timestamp, so a run that
 * logs more is fetched afresh. When IndexedDB is missing or broken every read misses and every
 * write is dropped.
 */
export interface StoredSeries {
  /** `<workspace>\u0000<run>\u0000<metric>\u0000<points>\u0000<last step>\u0000<last timestamp>` */
  key: string;
  steps: number[];
  values: number[];
  timestamps: number[];
  stored: number;
  downsampled: boolean;
  savedAt: number;
}

interface ColumnLayout {
  /** `<workspace>\u0000<experiment id, or * for every experiment>` */
  key: string;
  columns: ColumnId[];
}

export interface SeriesMemory {
  load(keys: readonly string[]): Promise<(StoredSeries | undefined)[]>;
  save(entries: readonly StoredSeries[]): Promise<void>;
}

export interface ColumnsMemory {
  /** The columns chosen for this workspace and experiment (null: every experiment); null when none were. */
  columns(workspace: string, experimentId: string | null): Promise<ColumnId[] | null>;
  /** Remember a choice; null forgets it (back to the suggested columns). */
  columnsChosen(workspace: string, experimentId: string | null, columns: readonly ColumnId[] | null): Promise<void>;
}

export interface ExperimentsMemory {
  readonly series: SeriesMemory;
  readonly columns: ColumnsMemory;
}

/** Curves kept at most; the oldest saved go first. */
const MAX_KEPT = 3000;

class ExperimentsDatabase extends Dexie {
  series!: EntityTable<StoredSeries, 'key'>;
  columnLayouts!: EntityTable<ColumnLayout, 'key'>;
  constructor() {
    super('lathe-experiments');
    this.version(1).stores({ series: 'key, savedAt', columnLayouts: 'key' });
  }
}

async function safely<T>(operation: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await operation();
  } catch {
    return fallback;
  }
}

const layoutKey = (workspace: string, experimentId: string | null) => `${workspace}\u0000${experimentId ?? '*'}`;

export function createExperimentsMemory(): ExperimentsMemory {
  let db: ExperimentsDatabase | null = null;
  const open = (): ExperimentsDatabase => {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available');
    db ??= new ExperimentsDatabase();
    return db;
  };
  return {
    series: {
      load: (keys) => safely(() => open().series.bulkGet([...keys]), keys.map(() => undefined)),
      save: (entries) =>
        safely(async () => {
          if (entries.length === 0) return;
          const table = open().series;
          await table.bulkPut([...entries]);
          const count = await table.count();
          if (count > MAX_KEPT) await table.bulkDelete(await table.orderBy('savedAt').limit(count - MAX_KEPT).primaryKeys());
        }, undefined),
    },
    columns: {
      columns: (workspace, experimentId) => safely(async () => (await open().columnLayouts.get(layoutKey(workspace, experimentId)))?.columns ?? null, null),
      columnsChosen: (workspace, experimentId, columns) =>
        safely(async () => {
          const table = open().columnLayouts;
          if (columns === null) await table.delete(layoutKey(workspace, experimentId));
          else await table.put({ key: layoutKey(workspace, experimentId), columns: [...columns] });
        }, undefined),
    },
  };
}

/** A memory that forgets everything: for tests, and a model of what a broken IndexedDB gives. */
export function createForgetfulExperimentsMemory(): ExperimentsMemory {
  return {
    series: { load: async (keys) => keys.map(() => undefined), save: async () => undefined },
    columns: { columns: async () => null, columnsChosen: async () => undefined },
  };
}
