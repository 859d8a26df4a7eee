import { encodeMetricValue, type MetricPoint } from '../../../shared/contract/runs.ts';
import type { MetricColumns } from './metric-blocks.ts';

/** Time and timers, injectable so tests drive the throttle without waiting. */
export interface Clock {
  now(): number;
  /** Call `work` after `ms`; the returned function cancels it. */
  after(ms: number, work: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, work) {
    const timer = setTimeout(work, ms);
    timer.unref(); // pending live points never keep a process alive; they are in the database already
    return () => clearTimeout(timer);
  },
};

export const METRIC_EVENT_INTERVAL_MS = 250;

interface Pending {
  batches: { key: string; columns: MetricColumns }[];
  lastSent: number;
  cancel: (() => void) | null;
}

/**
 * The `runs:metrics` throttle: at most one event per run per 250 ms, carrying every point
 * logged since the previous one. The first points after a quiet spell go out at once; points
 * that follow within the interval wait for its end and go out together. Only committed points
 * are added here, so an event never shows a point the database does not hold.
 */
export class MetricEvents {
  readonly #send: (runId: string, points: MetricPoint[]) => void;
  readonly #clock: Clock;
  readonly #pending = new Map<string, Pending>();

  constructor(send: (runId: string, points: MetricPoint[]) => void, clock: Clock = systemClock) {
    this.#send = send;
    this.#clock = clock;
  }

  add(runId: string, batches: ReadonlyMap<string, MetricColumns>): void {
    let pending = this.#pending.get(runId);
    if (!pending) this.#pending.set(runId, (pending = { batches: [], lastSent: -Infinity, cancel: null }));
    for (const [key, columns] of batches) pending.batches.push({ key, columns });
    if (pending.cancel) return;
    const wait = pending.lastSent + METRIC_EVENT_INTERVAL_MS - this.#clock.now();
    if (wait <= 0) this.#flush(runId, pending);
    else pending.cancel = this.#clock.after(wait, () => this.#flush(runId, pending));
  }

  /** Send everything pending now (the run ended, or the store closes). */
  flush(runId?: string): void {
    for (const [id, pending] of this.#pending) if (runId === undefined || id === runId) this.#flush(id, pending);
  }

  #flush(runId: string, pending: Pending): void {
    pending.cancel?.();
    pending.cancel = null;
    if (pending.batches.length === 0) return;
    const points: MetricPoint[] = [];
    for (const { key, columns } of pending.batches.splice(0)) {
      for (let i = 0; i < columns.values.length; i += 1) {
        points.push({ key, step: columns.steps[i]!, value: encodeMetricValue(columns.values[i]!), timestamp: columns.timestamps[i]! });
      }
    }
    pending.lastSent = this.#clock.now();
    this.#send(runId, points);
  }
}
