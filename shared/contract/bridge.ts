import type { CallName, EventName, InputOf, OutputOf, PayloadOf } from './calls.ts';
import type { Result } from './result.ts';

/**
 * What the Electron preload exposes on `window.lathe` (main/app/preload/preload.ts builds it
 * from the contract; renderer/src/lib/api-electron.ts is its only user). One function per call,
 * never the raw IPC objects.
 */
export type BridgeCalls = { [N in CallName]: (input: InputOf<N>) => Promise<Result<OutputOf<N>>> };

/** `File` without naming the DOM type, so shared/ stays free of DOM and Node types. */
export type DroppedFile = { readonly name: string; readonly size: number };

export interface LatheBridge {
  readonly calls: BridgeCalls;
  /** Subscribe to one event; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): () => void;
  /**
   * The path of a file the user dropped or picked (Electron's webUtils.getPathForFile), so main
   * reads it from disk. Empty string when the File did not come from the user's disk.
   */
  pathForFile(file: DroppedFile): string;
}

export const BRIDGE_KEY = 'lathe';
export const IPC_CALL_CHANNEL = 'lathe:call';
export const IPC_EVENT_CHANNEL = 'lathe:event';
