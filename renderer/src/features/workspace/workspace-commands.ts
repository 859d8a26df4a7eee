import type { WorkspaceInfo } from '../../../../shared/contract/workspace.ts';
import type { LatheError, Result } from '../../../../shared/contract/result.ts';
import type { LatheApi } from '../../lib/api-types.ts';
import type { UiMemory } from '../../lib/ui-memory.ts';
import type { LatheStore } from '../../state/store.ts';
import type { DatasetCommands } from '../datasets/dataset-commands.ts';

export interface WorkspaceCommandDeps {
  api: Pick<LatheApi, 'call' | 'openWorkspaceWindow'>;
  store: LatheStore;
  memory: UiMemory;
  datasets: Pick<DatasetCommands, 'refreshDatasets'>;
  /** Keep the window's address in step with its workspace, so a reload shows the same one. */
  showInAddress: (path: string) => void;
}

export type WorkspaceCommands = ReturnType<typeof createWorkspaceCommands>;

export interface WorkspaceOpenOptions {
  /** Make the folder a workspace first. */
  create?: boolean;
  /** ...even though it is a git repository with history (Lathe then commits to its branch). */
  useExistingGitRepository?: boolean;
}

/** The failure of making a workspace in a git repository that already has history: the user may choose to go ahead. */
export function needsGitRepositoryConsent(error: LatheError): boolean {
  return error.code === 'INVALID_INPUT' && (error.issues ?? []).some((issue) => issue.path === 'useExistingGitRepository');
}

export function createWorkspaceCommands({ api, store, memory, datasets, showInAddress }: WorkspaceCommandDeps) {
  let openRequest = 0;

  async function loadRecent(): Promise<void> {
    store.getState().recentWorkspacesLoaded(await memory.recentWorkspaces());
  }

  async function opened(info: WorkspaceInfo): Promise<void> {
    store.getState().workspaceOpened(info);
    showInAddress(info.path);
    await memory.workspaceOpened(info);
    await Promise.all([loadRecent(), datasets.refreshDatasets()]);
  }

  /**
   * Open a workspace in this window (`create`: make the folder one first). The Result goes back
   * to the caller, who shows a failure where the user asked (a dialog, the start page).
   */
  async function openWorkspace(path: string, options: WorkspaceOpenOptions = {}): Promise<Result<WorkspaceInfo>> {
    const request = ++openRequest;
    store.getState().workspaceOpening(path);
    const result = options.create
      ? await api.call('workspace:create', { path, ...(options.useExistingGitRepository ? { useExistingGitRepository: true } : {}) })
      : await api.call('workspace:open', { path });
    if (request !== openRequest) return result;
    if (result.ok) await opened(result.value);
    else store.getState().workspaceOpenFailed(path, result.error);
    return result;
  }

  /** The first workspace a window shows: the one in its address, else main's default. */
  async function openFirstWorkspace(pathFromAddress: string | null): Promise<void> {
    void loadRecent();
    void api.call('app:info', {}).then((info) => info.ok && store.getState().appInfoLoaded(info.value));
    if (pathFromAddress) {
      await openWorkspace(pathFromAddress);
      return;
    }
    const request = ++openRequest;
    store.getState().workspaceOpening(null);
    const result = await api.call('workspace:default', {});
    if (request !== openRequest) return;
    if (result.ok) await opened(result.value);
    else store.getState().workspaceOpenFailed(null, result.error);
  }

  async function openInNewWindow(path: string): Promise<Result<null>> {
    return api.openWorkspaceWindow(path);
  }

  async function forgetRecent(path: string): Promise<void> {
    await memory.forgetWorkspace(path);
    await loadRecent();
  }

  /** Hash every stored blob again (slow for large stores: it reads every byte). */
  function checkStoredData(workspace: string) {
    return api.call('store:verify', { workspace });
  }

  /** What removing unused data would remove (dryRun) or did remove. */
  function removeUnusedData(workspace: string, options: { dryRun: boolean }) {
    return api.call('store:gc', { workspace, dryRun: options.dryRun });
  }

  return { openWorkspace, openFirstWorkspace, openInNewWindow, forgetRecent, loadRecent, checkStoredData, removeUnusedData };
}
