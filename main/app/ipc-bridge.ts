import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/contract/bridge.ts';
import type { Handlers } from '../core/dispatch.ts';
import type { EventHub } from '../core/events.ts';
import { isAppNavigation } from './app-origin.ts';
import { callFromSender } from './trusted-call.ts';

/**
 * The only code that touches ipcMain. One channel carries every call: the sender's frame must be
 * on `lathe://app` (else FORBIDDEN), then the contract's dispatch validates and runs it. Failures
 * come back as Result data, never as a rejected invoke.
 */
export function installIpcBridge(handlersFor: (window: BrowserWindow | null) => Handlers): void {
  ipcMain.handle(IPC_CALL_CHANNEL, (event, name: unknown, input: unknown) =>
    callFromSender(handlersFor(BrowserWindow.fromWebContents(event.sender)), senderFrameUrl(event), name, input),
  );
}

/** Core events go to every open window showing our UI; the renderer picks what it needs. */
export function forwardCoreEvents(events: EventHub): () => void {
  return events.on((event) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (window.isDestroyed() || window.webContents.isDestroyed()) continue;
      if (!isAppNavigation(window.webContents.getURL())) continue;
      window.webContents.send(IPC_EVENT_CHANNEL, event);
    }
  });
}

function senderFrameUrl(event: IpcMainInvokeEvent): string | null {
  try {
    return event.senderFrame?.url ?? null;
  } catch {
    // A frame disposed mid-call throws on access: treat it as no sender.
    return null;
  }
}
