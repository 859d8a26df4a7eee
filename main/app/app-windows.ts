import { BrowserWindow } from 'electron';
import path from 'node:path';
import type { AppStateStore } from './app-state.ts';
import { workspaceWindowUrl } from './app-origin.ts';

export interface WindowsOptions {
  /** main/dist/preload.cjs */
  preloadPath: string;
  state: AppStateStore;
}

/**
 * Lathe's windows: one per workspace, several at once. The workspace is in the window's URL
 * (`lathe://app/index.html?workspace=…`), so a reload keeps it and main holds no per-window state.
 */
export function createWindows({ preloadPath, state }: WindowsOptions) {
  async function open(workspacePath: string | null): Promise<BrowserWindow> {
    // Only the size is remembered: a saved position can be off-screen once a display is unplugged.
    const size = (await state.read()).windowSize ?? { width: 1280, height: 820 };
    const window = new BrowserWindow({
      ...size,
      minWidth: 720,
      minHeight: 480,
      show: false,
      title: workspacePath ? `Lathe — ${path.basename(workspacePath)}` : 'Lathe',
      backgroundColor: '#ffffff',
      webPreferences: {
        preload: preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
      },
    });
    window.once('ready-to-show', () => window.show());
    window.on('close', () => {
      if (window.isMinimized() || window.isFullScreen()) return;
      const { width, height } = window.getNormalBounds();
      state.update((current) => ({ ...current, windowSize: { width, height } })).catch((error: unknown) => {
        console.error('Lathe could not remember the window size:', error);
      });
    });
    // Not awaited: the window shows itself when ready; a failed load is logged, not fatal.
    window.loadURL(workspaceWindowUrl(workspacePath)).catch((error: unknown) => {
      console.error(`Lathe could not load its UI for ${workspacePath ?? 'the default workspace'}:`, error);
    });
    return window;
  }

  /** The window the user is looking at, restored and focused; false when there is none. */
  function focusExisting(): boolean {
    const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows().find((w) => !w.isDestroyed());
    if (!window) return false;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return true;
  }

  return { open, focusExisting };
}
export type Windows = ReturnType<typeof createWindows>;
