// The sandboxed preload: esbuild bundles it (and the contract it imports) into one CommonJS
// file, main/dist/preload.cjs, because a sandboxed preload can require nothing but electron.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { BRIDGE_KEY, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../../shared/contract/bridge.ts';
import { createBridge } from './create-bridge.ts';

const bridge = createBridge({
  invoke: (name, input) => ipcRenderer.invoke(IPC_CALL_CHANNEL, name, input),
  listen: (listener) => {
    ipcRenderer.on(IPC_EVENT_CHANNEL, (_ipcEvent, event: unknown) => listener(event));
  },
  pathForFile: (file) => webUtils.getPathForFile(file as File),
});

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
