import type { Services } from '../../app/services.ts';
import type { WorkspaceOpenOptions } from './workspace-commands.ts';
import type { WorkspaceDialogMode } from './workspace-slice.ts';

/**
 * "Open workspace…", "New workspace…", "Open in new window…": the native folder picker in
 * Electron, else a dialog where the user types a path. A failure opens the dialog on the path
 * with the error and what can be done about it.
 */
export async function chooseWorkspace(services: Services, mode: WorkspaceDialogMode): Promise<void> {
  const { api } = services;
  const store = services.store.getState();
  if (!api.frontDoor.nativeDialogs) {
    store.workspaceDialogOpened({ mode, path: '', error: null });
    return;
  }
  const title = mode === 'create' ? 'Choose a folder for the new workspace' : 'Choose a workspace folder';
  const picked = await api.call('dialog:pick-folder', { title });
  if (!picked.ok) {
    store.workspaceDialogOpened({ mode, path: '', error: picked.error });
    return;
  }
  if (picked.value === null) return;
  await applyWorkspacePath(services, mode, picked.value);
}

/** Act on a folder path for a dialog mode; on failure, show the dialog with the error. */
export async function applyWorkspacePath({ store, workspaceCommands }: Services, mode: WorkspaceDialogMode, path: string, options: WorkspaceOpenOptions = {}): Promise<boolean> {
  const result =
    mode === 'new-window'
      ? await workspaceCommands.openInNewWindow(path)
      : await workspaceCommands.openWorkspace(path, { ...options, create: mode === 'create' || options.create === true });
  if (result.ok) {
    store.getState().workspaceDialogClosed();
    return true;
  }
  store.getState().workspaceDialogOpened({ mode, path, error: result.error });
  return false;
}
