import { failure, toLatheError } from '../../core/errors.ts';
import type { PredictionStore, StoredPrediction, StoreStats } from './prediction-store.ts';

/**
 * What the hub records into while the prediction store cannot be opened (a full or read-only
 * disk at start-up): the agent serves anyway, every prediction is dropped and counted as
 * 'disk-error', `problem` says why, and a label is refused as UNAVAILABLE. The hub tries to open
 * the real store again now and then, and switches to it once it opens.
 */
export type RecordStore = Pick<PredictionStore, 'append' | 'label' | 'windowRows' | 'labelledRows' | 'lastWindow' | 'configure' | 'prune' | 'stats' | 'close'>;

export class UnopenedStore implements RecordStore {
  readonly #problem: string;
  readonly #dropped = new Map<string, number>();

  constructor(error: unknown) {
    this.#problem = `${toLatheError(error).message} Predictions are not recorded until it opens (the agent tries again every minute); serving goes on.`;
  }

  /** Predictions dropped per model while the store was not open. */
  get dropped(): ReadonlyMap<string, number> {
    return this.#dropped;
  }

  append(records: readonly StoredPrediction[]): void {
    for (const record of records) this.#dropped.set(record.model, (this.#dropped.get(record.model) ?? 0) + 1);
  }

  label(): never {
    throw failure('UNAVAILABLE', `The label cannot be joined now: ${this.#problem}`, { hint: 'Free space on the agent\'s disk (or make its data folder writable), then send the label again.' });
  }

  windowRows(): StoredPrediction[] {
    return [];
  }

  labelledRows(): StoredPrediction[] {
    return [];
  }

  lastWindow(): null {
    return null;
  }

  configure(): void {}

  prune(): void {}

  stats(model?: string): StoreStats {
    const dropped = model === undefined ? [...this.#dropped.values()].reduce((a, b) => a + b, 0) : (this.#dropped.get(model) ?? 0);
    return { recorded: 0, dropped, droppedBy: { 'store-full': 0, 'disk-error': dropped, 'queue-full': 0 }, labelled: 0, storeBytes: 0, oldestAt: null, problem: this.#problem, movedAside: 0 };
  }

  close(): void {}
}
