import type { CallName, EventName, InputOf, OutputOf, PayloadOf } from '../../../shared/contract/calls.ts';
import type { Result } from '../../../shared/contract/result.ts';
import { checkEvent, checkResult, unavailable } from './api-checks.ts';
import type { LatheApi, Transport } from './api-types.ts';

/** Wrap a transport so that every answer and event is checked against the contract. */
export function checkedApi(transport: Transport): LatheApi {
  async function call<N extends CallName>(name: N, input: InputOf<N>): Promise<Result<OutputOf<N>>> {
    try {
      return checkResult(name, await transport.call(name, input));
    } catch (thrown) {
      return unavailable(`Could not run "${name}": ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    }
  }

  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  transport.on((raw) => {
    const event = checkEvent(raw);
    if (!event) return;
    for (const listener of listeners.get(event.name) ?? []) listener(event.payload as never);
  });

  return {
    frontDoor: transport.frontDoor,
    call,
    on<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    onConnection: (listener) => transport.onConnection(listener),
    async importFile(file, input, onUploadProgress) {
      try {
        const name = transport.frontDoor.kind === 'electron' ? 'datasets:import-file' : 'datasets:import-upload';
        return checkResult(name, await transport.importFile(file, input, onUploadProgress));
      } catch (thrown) {
        return unavailable(`Could not import "${file.name}": ${thrown instanceof Error ? thrown.message : String(thrown)}`);
      }
    },
    async openWorkspaceWindow(path) {
      try {
        return checkResult('window:open-workspace', await transport.openWorkspaceWindow(path));
      } catch (thrown) {
        return unavailable(`Could not open a new window: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
      }
    },
  };
}

