import type { BridgeCalls, DroppedFile, LatheBridge } from '../../../shared/contract/bridge.ts';
import { callNames } from '../../../shared/contract/call-names.ts';
import type { CallName, EventName, PayloadOf } from '../../../shared/contract/calls.ts';
import type { Result } from '../../../shared/contract/result.ts';

/**
 * Everything the preload does, minus electron: preload.ts passes the real ipcRenderer and
 * webUtils in as a transport, and tests pass a fake one.
 */
export interface BridgeTransport {
  /** Send one call to main (ipcRenderer.invoke on the call channel). */
  invoke(name: CallName, input: unknown): Promise<unknown>;
  /** Receive every event main sends (the event object only, never the IPC event). */
  listen(listener: (event: unknown) => void): void;
  pathForFile(file: DroppedFile): string;
}

export function createBridge(transport: BridgeTransport): LatheBridge {
  const bridgeCalls: Record<string, (input: unknown) => Promise<Result<unknown>>> = {};
  for (const name of callNames) {
    bridgeCalls[name] = (input) => invokeAsResult(transport, name, input);
  }

  const subscribers = new Map<string, Set<{ listener: (payload: never) => void }>>();
  transport.listen((event) => {
    if (typeof event !== 'object' || event === null) return;
    const { name, payload } = event as { name?: unknown; payload?: unknown };
    if (typeof name !== 'string') return;
    for (const subscription of subscribers.get(name) ?? []) {
      try {
        subscription.listener(payload as never);
      } catch (error) {
        console.error(`A listener for "${name}" failed:`, error);
      }
    }
  });

  return Object.freeze({
    calls: Object.freeze(bridgeCalls) as BridgeCalls,
    on<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): () => void {
      const subscription = { listener: listener as (payload: never) => void };
      let forName = subscribers.get(name);
      if (!forName) subscribers.set(name, (forName = new Set()));
      forName.add(subscription);
      return () => {
        forName.delete(subscription);
      };
    },
    pathForFile(file: DroppedFile): string {
      try {
        return transport.pathForFile(file);
      } catch {
        return '';
      }
    },
  });
}

/** A call never rejects in the renderer: a broken channel comes back as an INTERNAL Result. */
async function invokeAsResult(transport: BridgeTransport, name: CallName, input: unknown): Promise<Result<unknown>> {
  try {
    return (await transport.invoke(name, input)) as Result<unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: { code: 'INTERNAL', message: `The call "${name}" did not reach Lathe's main process: ${message}`, hint: 'Restart Lathe; if it happens again, please report it.' },
    };
  }
}
