import { BRIDGE_KEY, type LatheBridge } from '../../../shared/contract/bridge.ts';
import { checkedApi } from './api-checked.ts';
import { createElectronTransport } from './api-electron.ts';
import { createHttpTransport } from './api-http.ts';
import type { LatheApi, Transport } from './api-types.ts';

export type { ConnectionState, FrontDoor, ImportFileInput, LatheApi, UploadProgress } from './api-types.ts';

declare global {
  interface Window {
    readonly [BRIDGE_KEY]?: LatheBridge;
  }
}

/**
 * The one place that picks how this window talks to main: the Electron preload bridge when it
 * is there, else HTTP + WebSocket to `lathe serve`. Everything else imports `api` from here.
 */
function pickTransport(): Transport {
  const bridge = window[BRIDGE_KEY];
  if (bridge) return createElectronTransport(bridge);
  return createHttpTransport({
    location: window.location,
    history: window.history,
    storage: sessionStorageOrNull(),
    open: (url) => window.open(url, '_blank', 'noopener'),
  });
}

/** sessionStorage throws when storage is blocked; the page then keeps the token in memory only. */
function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export const api: LatheApi = checkedApi(pickTransport());
export const frontDoor = api.frontDoor;
