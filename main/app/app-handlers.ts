import { dialog, type BrowserWindow } from 'electron';
import type { Handlers } from '../core/dispatch.ts';
import type { LatheCore } from '../core/lathe-core.ts';

export interface DesktopHandlerOptions {
  core: LatheCore;
  openWindow(workspacePath: string): Promise<unknown>;
}

/**
 * The calls the desktop app answers: the core's, plus the two only a desktop has (the native
 * folder picker, another window). A dropped file's path from the renderer is untrusted; the core's
 * `datasets:import-file` checks it (absolute, a regular file) before reading, as for the CLI.
 */
export function createDesktopHandlers({ core, openWindow }: DesktopHandlerOptions) {
  const base: Handlers = {
    ...core.handlers,
    'window:open-workspace': async ({ path }) => {
      await openWindow(path);
      return null;
    },
  };

  /** The handlers for one call; the folder picker is modal to the window that asked. */
  return function handlersFor(window: BrowserWindow | null): Handlers {
    return {
      ...base,
      'dialog:pick-folder': async ({ title }) => {
        const options: Electron.OpenDialogOptions = {
          title: title ?? 'Choose a folder',
          properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
        };
        const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
        return picked.canceled ? null : (picked.filePaths[0] ?? null);
      },
    };
  };
}
