/**
 * The controller's sense of time, given to it rather than read by it: the agent passes the real
 * one (timers and the wall clock), tests a ManualClock that they advance with tick(), so an
 * interval passes when a test says so and never by sleeping.
 */
export interface RolloutClock {
  now(): Date;
  /** Milliseconds from an arbitrary origin, for measuring latency. */
  elapsedMs(): number;
  /** Call `work` once `ms` have passed; returns the cancel. */
  after(ms: number, work: () => Promise<void>): () => void;
}

export const realClock: RolloutClock = {
  now: () => new Date(),
  elapsedMs: () => performance.now(),
  after(ms, work) {
    const timer = setTimeout(() => void work(), ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** Time that moves only when a test moves it. */
export class ManualClock implements RolloutClock {
  private ms: number;
  private readonly timers = new Set<{ due: number; work: () => Promise<void> }>();

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.ms = start;
  }

  now(): Date {
    return new Date(this.ms);
  }

  elapsedMs(): number {
    return this.ms;
  }

  after(ms: number, work: () => Promise<void>): () => void {
    const timer = { due: this.ms + ms, work };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  /** Let `ms` pass without firing timers (a slow prediction, as latency sees it). */
  advance(ms: number): void {
    this.ms += ms;
  }

  /** Move to the next timer due, run it and wait for what it does; false when none is set. */
  async tick(): Promise<boolean> {
    const next = [...this.timers].sort((a, b) => a.due - b.due)[0];
    if (!next) return false;
    this.timers.delete(next);
    this.ms = Math.max(this.ms, next.due);
    await next.work();
    return true;
  }

  pending(): number {
    return this.timers.size;
  }
}
