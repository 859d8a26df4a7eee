import type { CallName, EventName, InputOf } from '../../../shared/contract/calls.ts';
import { events } from '../../../shared/contract/calls.ts';
import type { LatheBridge } from '../../../shared/contract/bridge.ts';
import type { Transport } from './api-types.ts';

/** Calls through the preload bridge (`window.lathe`); main reads dropped files from disk by path. */
export function createElectronTransport(bridge: LatheBridge): Transport {
  async function call<N extends CallName>(name: N, input: InputOf<N>): Promise<unknown> {
    try {
      const invoke = bridge.calls[name] as (input: InputOf<N>) => Promise<unknown>;
      return await invoke(input);
    } catch (thrown) {
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      return { ok: false, error: { code: 'UNAVAILABLE', message: `The desktop app could not run "${name}": ${message}` } };
    }
  }

  return {
    frontDoor: { kind: 'electron', nativeDialogs: true },
    call,
    on(listener) {
      const offs = (Object.keys(events) as EventName[]).map((name) => bridge.on(name, (payload) => listener({ name, payload })));
      return () => offs.forEach((off) => off());
    },
    onConnection(listener) {
      listener('connected');
      return () => undefined;
    },
    async importFile(file, input) {
      const path = bridge.pathForFile(file);
      if (!path) {
        return {
          ok: false,
          error: {
            code: 'UNAVAILABLE',
            message: `"${file.name}" is not a file on this computer's disk, so Lathe cannot read it.`,
            hint: 'Save it to a folder first, then drop or choose it from there.',
          },
        };
      }
      return call('datasets:import-file', { workspace: input.workspace, path, name: input.name, message: input.message, importId: input.importId });
    },
    openWorkspaceWindow(path) {
      return call('window:open-workspace', { path });
    },
  };
}
