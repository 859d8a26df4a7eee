/**
 * The simulator's sense of time: when each request is due, and waiting for it. Tests pass a clock
 * whose `sleep` moves time on at once, so pacing is checked without waiting on the wall.
 */
export interface PaceClock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Resolve after `ms` (or at once for ms ≤ 0); reject with the signal's reason when it aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const wallClock: PaceClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      if (ms <= 0) return resolve();
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A clock for tests: `sleep` advances it by the time asked and resolves on the next turn. */
export function steppedClock(start = 0): PaceClock & { slept: number } {
  let now = start;
  const clock = {
    slept: 0,
    now: () => now,
    sleep: async (ms: number, signal: AbortSignal) => {
      if (signal.aborted) throw signal.reason as Error;
      if (ms > 0) {
        now += ms;
        clock.slept += ms;
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return clock;
}
