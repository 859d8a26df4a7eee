import { join } from 'node:path';
import { Workspace } from '../workspace/workspace.ts';
import type { Clock } from './metric-events.ts';
import { TrackingStore, type TrackingEvent } from './tracking-store.ts';

/** Tests: a tracking store on a new workspace in `root`, with its events collected and, if given, a fake clock and process identity. */
export async function storeOnNewWorkspace(
  root: string,
  options: { clock?: Clock; owner?: { pid: number; host: string; isAlive: (pid: number) => boolean } } = {},
): Promise<{ workspace: Workspace; store: TrackingStore; events: TrackingEvent[] }> {
  const workspace = await Workspace.create(join(root, 'ws'));
  const events: TrackingEvent[] = [];
  const store = new TrackingStore({
    dir: workspace.dir,
    db: workspace.db,
    blobs: workspace.blobs,
    lock: workspace.lock,
    emit: (event) => events.push(event),
    ...options,
  });
  return { workspace, store, events };
}

/** Tests: a clock that moves only when told, running the timers that come due. */
export function fakeClock(start = 1_750_000_000_000): { clock: Clock; advance: (ms: number) => void; pendingTimers: () => number } {
  let now = start;
  let timers: { at: number; work: () => void; cancelled: boolean }[] = [];
  return {
    clock: {
      now: () => now,
      after(ms, work) {
        const timer = { at: now + ms, work, cancelled: false };
        timers.push(timer);
        return () => void (timer.cancelled = true);
      },
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((timer) => !timer.cancelled && timer.at <= now);
      timers = timers.filter((timer) => !timer.cancelled && timer.at > now);
      for (const timer of due) timer.work();
    },
    pendingTimers: () => timers.filter((timer) => !timer.cancelled).length,
  };
}
