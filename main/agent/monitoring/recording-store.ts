import type { RecorderStats } from '../../../shared/contract/monitoring.ts';
import { PredictionStore, type StoredPrediction } from './prediction-store.ts';
import { UnopenedStore, type RecordStore } from './unopened-store.ts';

/**
 * The prediction store as the hub uses it: opened at start, and when it cannot be opened (a full
 * or read-only disk) an UnopenedStore that drops and counts in its place, tried again every
 * REOPEN_EVERY_MS until it opens. What was dropped meanwhile stays in the recorder's counts.
 */
export const REOPEN_EVERY_MS = 60_000;
const DAY_MS = 86_400_000;

export interface StoreLimits {
  maxStoreBytes: number;
  retentionDays: number;
}

export class RecordingStore {
  readonly #file: string;
  readonly #now: () => number;
  readonly #warn: (text: string) => void;
  #inner: RecordStore;
  #limits: StoreLimits;
  #lastTry = 0;
  #failure: string | null = null;
  readonly #droppedUnopened = new Map<string, number>();

  constructor(file: string, limits: StoreLimits, options: { now: () => number; warn: (text: string) => void; given?: RecordStore | undefined }) {
    this.#file = file;
    this.#limits = limits;
    this.#now = options.now;
    this.#warn = options.warn;
    this.#inner = options.given ?? new UnopenedStore(new Error('The prediction store is not open yet.'));
    if (!options.given) this.#open();
  }

  /** Tries the real store again when it could not be opened and a while has passed. */
  retry(now: number): void {
    if (this.#inner instanceof UnopenedStore && now - this.#lastTry >= REOPEN_EVERY_MS) this.#open();
  }

  append(records: readonly StoredPrediction[]): void {
    this.#inner.append(records);
  }

  label(...args: Parameters<RecordStore['label']>): ReturnType<RecordStore['label']> {
    return this.#inner.label(...args);
  }

  windowRows(model: string, window: number): StoredPrediction[] {
    return this.#inner.windowRows(model, window);
  }

  labelledRows(model: string, window: number): StoredPrediction[] {
    return this.#inner.labelledRows(model, window);
  }

  lastWindow(model: string): { window: number; rows: number } | null {
    return this.#inner.lastWindow(model);
  }

  configure(limits: StoreLimits): void {
    this.#limits = limits;
    this.#inner.configure({ maxBytes: limits.maxStoreBytes, retentionMs: limits.retentionDays * DAY_MS });
    this.#inner.prune();
  }

  prune(): void {
    this.#inner.prune();
  }

  /** The recorder's health for one model; `sampledOut` is the hub's count (sampling happens before the store). */
  recorder(model: string, sampledOut: number): RecorderStats {
    const { movedAside: _, ...stats } = this.#inner.stats(model);
    const before = this.#droppedUnopened.get(model) ?? 0;
    if (before === 0) return { ...stats, sampledOut };
    return { ...stats, dropped: stats.dropped + before, droppedBy: { ...stats.droppedBy, 'disk-error': (stats.droppedBy['disk-error'] ?? 0) + before }, sampledOut };
  }

  close(): void {
    this.#inner.close();
  }

  #open(): void {
    this.#lastTry = this.#now();
    try {
      const opened = PredictionStore.open(this.#file, { maxBytes: this.#limits.maxStoreBytes, retentionMs: this.#limits.retentionDays * DAY_MS, warn: this.#warn, now: this.#now });
      if (this.#inner instanceof UnopenedStore) for (const [model, n] of this.#inner.dropped) this.#droppedUnopened.set(model, (this.#droppedUnopened.get(model) ?? 0) + n);
      this.#inner = opened;
      this.#failure = null;
    } catch (error) {
      // Said once; later tries keep the stand-in that counts the drops.
      if (this.#failure !== null) return;
      this.#inner = new UnopenedStore(error);
      this.#failure = this.#inner.stats().problem;
      this.#warn(`Monitoring: ${this.#failure}`);
    }
  }
}
