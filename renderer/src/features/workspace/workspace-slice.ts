import type { AppInfo, WorkspaceInfo } from '../../../../shared/contract/workspace.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import type { ConnectionState } from '../../lib/api-types.ts';
import type { RecentWorkspace } from '../../lib/ui-memory.ts';
import type { LatheSlice } from '../../state/store.ts';

/** What the workspace dialog is for: open one here, make one here, or open one in a new window. */
export type WorkspaceDialogMode = 'open' | 'create' | 'new-window';

export interface WorkspaceDialog {
  readonly mode: WorkspaceDialogMode;
  readonly path: string;
  /** Why the last attempt failed, shown in the dialog beside what to do about it. */
  readonly error: LatheError | null;
}

/** Where the window is with its workspace: still opening it, showing it, or unable to. */
export type WorkspaceStatus =
  | { readonly kind: 'opening'; readonly path: string | null }
  | { readonly kind: 'open' }
  | { readonly kind: 'failed'; readonly path: string | null; readonly error: LatheError };

export interface WorkspaceSlice {
  workspace: WorkspaceInfo | null;
  workspaceStatus: WorkspaceStatus;
  recentWorkspaces: RecentWorkspace[];
  connection: ConnectionState;
  appInfo: AppInfo | null;
  workspaceDialog: WorkspaceDialog | null;
  workspaceOpening(path: string | null): void;
  /** A workspace is open: everything shown about the previous one is dropped. */
  workspaceOpened(info: WorkspaceInfo): void;
  /** Opening failed. A window already showing a workspace keeps it; the error is the caller's to show. */
  workspaceOpenFailed(path: string | null, error: LatheError): void;
  recentWorkspacesLoaded(recent: RecentWorkspace[]): void;
  connectionChanged(connection: ConnectionState): void;
  appInfoLoaded(info: AppInfo): void;
  workspaceDialogOpened(dialog: WorkspaceDialog): void;
  workspaceDialogClosed(): void;
}

export function workspaceOpenedState(info: WorkspaceInfo): Pick<WorkspaceSlice, 'workspace' | 'workspaceStatus' | 'workspaceDialog'> {
  return { workspace: info, workspaceStatus: { kind: 'open' }, workspaceDialog: null };
}

export const createWorkspaceSlice: LatheSlice<WorkspaceSlice> = (set) => ({
  workspace: null,
  workspaceStatus: { kind: 'opening', path: null },
  recentWorkspaces: [],
  connection: 'connecting',
  appInfo: null,
  workspaceDialog: null,
  workspaceOpening: (path) =>
    set((state) => (state.workspace ? {} : { workspaceStatus: { kind: 'opening', path } })),
  // What other areas showed of the previous workspace is dropped at the store's root (store.ts).
  workspaceOpened: (info) => set(workspaceOpenedState(info)),
  workspaceOpenFailed: (path, error) =>
    set((state) => (state.workspace ? {} : { workspaceStatus: { kind: 'failed', path, error } })),
  recentWorkspacesLoaded: (recent) => set({ recentWorkspaces: recent }),
  connectionChanged: (connection) => set({ connection }),
  appInfoLoaded: (info) => set({ appInfo: info }),
  workspaceDialogOpened: (dialog) => set({ workspaceDialog: dialog }),
  workspaceDialogClosed: () => set({ workspaceDialog: null }),
});
