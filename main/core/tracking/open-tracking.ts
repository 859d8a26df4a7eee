import type { EventHub } from '../events.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { TrackingStore } from './tracking-store.ts';

const stores = new WeakMap<Workspace, TrackingStore>();

/**
 * The tracking store of an open workspace, one per Workspace object (so one per process and
 * workspace while it stays open). The first call opens the workspace database for tracking and
 * recovers runs that processes now gone left RUNNING (they become FAILED): that is where
 * recovery happens, once, before any run is read or written. The first caller's `events` are
 * the ones the store emits to; the call table and training both pass the core's one hub.
 */
export function trackingFor(workspace: Workspace, events: EventHub | null): TrackingStore {
  let store = stores.get(workspace);
  if (!store) {
    store = new TrackingStore({
      dir: workspace.dir,
      db: workspace.db,
      blobs: workspace.blobs,
      lock: workspace.lock,
      emit: events ? (event) => events.emit(event.name, event.payload as never) : null,
    });
    store.recoverAbandonedRuns();
    stores.set(workspace, store);
  }
  return store;
}
