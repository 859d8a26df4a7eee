import type { SweepMetric } from '../../../../shared/contract/sweeps.ts';
import type { TrialParams } from '../search-space.ts';
import type { MetricWatch, TrialHandle, TrialLaunch, TrialOutcome, TrialTrainer } from '../trial-trainer.ts';

/**
 * Tests only: a trainer whose trials "log" a scripted curve of the watched metric, one step per
 * turn of the event loop (no clock), and stop when asked. With `hold`, a trial that has logged
 * its curve waits for `release()` before it ends, so a test decides when trials end.
 */
export class ScriptedTrainer implements TrialTrainer {
  readonly launches: TrialLaunch[] = [];
  readonly stops = new Map<number, string>();
  active = 0;
  maxActive = 0;
  readonly #curveOf: (params: TrialParams, number: number) => number[];
  readonly #metric: string;
  readonly #hold: boolean;
  readonly #failStart: ((number: number) => Error | null) | null;
  readonly #held: { number: number; release: () => void }[] = [];
  readonly #startWaiters: { count: number; resolve: () => void }[] = [];
  readonly #heldWaiters: { count: number; resolve: () => void }[] = [];

  constructor(options: { metric: SweepMetric['name']; curveOf: (params: TrialParams, number: number) => number[]; hold?: boolean; failStart?: (number: number) => Error | null }) {
    this.#curveOf = options.curveOf;
    this.#metric = options.metric;
    this.#hold = options.hold ?? false;
    this.#failStart = options.failStart ?? null;
  }

  async start(launch: TrialLaunch, watch: MetricWatch): Promise<TrialHandle> {
    const failed = this.#failStart?.(launch.number);
    if (failed) throw failed;
    this.launches.push(launch);
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    for (const waiter of this.#startWaiters.filter((w) => this.launches.length >= w.count)) waiter.resolve();
    const runId = launch.number.toString(16).padStart(32, '0');
    let stopRequested = false;
    const ended = this.#play(launch, watch, () => stopRequested).finally(() => {
      this.active -= 1;
    });
    return {
      runId,
      ended,
      stop: async (reason) => {
        this.stops.set(launch.number, reason);
        stopRequested = true;
        const held = this.#held.findIndex((entry) => entry.number === launch.number);
        if (held >= 0) this.#held.splice(held, 1)[0]!.release(); // a held trial asked to stop ends at once
      },
    };
  }

  /** Resolves once `count` trials have started. */
  started(count: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.launches.length >= count) resolve();
      else this.#startWaiters.push({ count, resolve });
    });
  }

  /** Resolves once `count` trials are waiting to be released. */
  holding(count: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.#held.length >= count) resolve();
      else this.#heldWaiters.push({ count, resolve });
    });
  }

  /** Let the oldest held trial end. */
  release(): void {
    this.#held.shift()?.release();
  }

  async #play(launch: TrialLaunch, watch: MetricWatch, stopped: () => boolean): Promise<TrialOutcome> {
    const curve = this.#curveOf(launch.params, launch.number);
    let last: { value: number; step: number } | null = null;
    for (const [index, value] of curve.entries()) {
      await new Promise((resolve) => setImmediate(resolve));
      if (stopped()) break;
      last = { value, step: index + 1 };
      if (watch.keys.includes(this.#metric)) watch.onPoint(this.#metric, index + 1, value);
    }
    if (this.#hold && !stopped()) {
      await new Promise<void>((resolve) => {
        this.#held.push({ number: launch.number, release: resolve });
        for (const waiter of this.#heldWaiters.filter((w) => this.#held.length >= w.count)) waiter.resolve();
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
    return { status: stopped() ? 'KILLED' : 'FINISHED', metrics: last ? { [this.#metric]: last } : {}, error: null };
  }
}
