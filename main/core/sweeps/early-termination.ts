import type { EarlyTerminate, SweepMetric } from '../../../shared/contract/sweeps.ts';

/** Median stopping compares a trial with at least this many ended trials, never with one alone. */
export const MEDIAN_MIN_ENDED = 2;

/**
 * When to stop a trial before its last epoch, judged on each new point of the watched metric:
 *
 * - median (Vizier's median stopping rule): from `minSteps` on, a trial whose value at a step is
 *   worse than the median of the ended trials' values at that step is stopped (at least
 *   MEDIAN_MIN_ENDED of them must have reached the step);
 * - hyperband (asynchronous successive halving, as W&B's and Ray's ASHA): at the rungs
 *   minIter·eta^k a trial goes on only if it is among the best ⌈n/eta⌉ of the n trials that have
 *   reached that rung so far (itself included); the first to reach a rung always goes on.
 *
 * Only what the sweep saw is used; a stopped trial's points stay (it reached those steps).
 */
export class EarlyTermination {
  readonly #rule: EarlyTerminate;
  readonly #better: (a: number, b: number) => boolean;
  /** Every trial's points: trial → step → value. */
  readonly #curves = new Map<number, Map<number, number>>();
  readonly #ended = new Set<number>();

  constructor(rule: EarlyTerminate, goal: SweepMetric['goal']) {
    this.#rule = rule;
    this.#better = goal === 'minimize' ? (a, b) => a < b : (a, b) => a > b;
  }

  /** A new point of a running trial; true when the trial should stop now. */
  observe(trial: number, step: number, value: number): boolean {
    if (!Number.isFinite(value)) return false;
    let curve = this.#curves.get(trial);
    if (!curve) this.#curves.set(trial, (curve = new Map()));
    if (curve.has(step)) return false; // the same point seen twice (read back and heard live) is judged once
    curve.set(step, value);
    return this.#rule.type === 'median' ? this.#belowMedian(trial, step, value) : this.#outOfRung(trial, step, value);
  }

  /** A trial ended (finished, stopped, failed): its curve now counts for median stopping. */
  ended(trial: number): void {
    this.#ended.add(trial);
  }

  #belowMedian(trial: number, step: number, value: number): boolean {
    if (this.#rule.type !== 'median' || step < this.#rule.minSteps) return false;
    const others = [...this.#ended].filter((other) => other !== trial).map((other) => this.#curves.get(other)?.get(step)).filter((v): v is number => v !== undefined);
    if (others.length < MEDIAN_MIN_ENDED) return false;
    return this.#better(median(others), value);
  }

  #outOfRung(trial: number, step: number, value: number): boolean {
    if (this.#rule.type !== 'hyperband' || !isRung(step, this.#rule.minIter, this.#rule.eta)) return false;
    const others = [...this.#curves].filter(([other]) => other !== trial).map(([, curve]) => curve.get(step)).filter((v): v is number => v !== undefined);
    const keep = Math.ceil((others.length + 1) / this.#rule.eta);
    const ahead = others.filter((other) => this.#better(other, value)).length;
    return ahead >= keep;
  }
}

/** minIter, minIter·eta, minIter·eta², … */
export function isRung(step: number, minIter: number, eta: number): boolean {
  for (let rung = minIter; rung <= step; rung *= eta) if (rung === step) return true;
  return false;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
