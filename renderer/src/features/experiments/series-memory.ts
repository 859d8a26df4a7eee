import { Dexie, type EntityTable } from 'dexie';

/**
 * Metric curves fetched before, kept across restarts so reopening a comparison of finished runs
 * draws without asking main again. Only a copy: keyed by run, metric, resolution and the
 * metric's last step and timestamp, so a run that logs more is fetched afresh. When IndexedDB
 * is missing or broken every read misses and every write is dropped.
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

export interface SeriesMemory {
  load(keys: readonly string[]): Promise<(StoredSeries | undefined)[]>;
  save(entries: readonly StoredSeries[]): Promise<void>;
}

/** Curves kept at most; the oldest saved go first. */
const MAX_KEPT = 3000;

class SeriesDatabase extends Dexie {
  series!: EntityTable<StoredSeries, 'key'>;
  constructor() {
    super('lathe-metric-series');
    this.version(1).stores({ series: 'key, savedAt' });
  }
}

export function createSeriesMemory(): SeriesMemory {
  let db: SeriesDatabase | null = null;
  const open = (): SeriesDatabase => {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available');
    db ??= new SeriesDatabase();
    return db;
  };
  return {
    async load(keys) {
      try {
        return await open().series.bulkGet([...keys]);
      } catch {
        return keys.map(() => undefined);
      }
    },
    async save(entries) {
      if (entries.length === 0) return;
      try {
        const table = open().series;
        await table.bulkPut([...entries]);
        const count = await table.count();
        if (count > MAX_KEPT) await table.bulkDelete(await table.orderBy('savedAt').limit(count - MAX_KEPT).primaryKeys());
      } catch {
        // A copy that could not be kept is fetched again next time.
      }
    },
  };
}

export function createForgetfulSeriesMemory(): SeriesMemory {
  return { load: async (keys) => keys.map(() => undefined), save: async () => undefined };
}
