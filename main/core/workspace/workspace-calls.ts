import type { WorkspaceInfo } from '../../../shared/contract/workspace.ts';
import type { Handlers } from '../dispatch.ts';
import type { LastWorkspace } from './last-workspace.ts';
import type { OpenWorkspaces } from './open-workspaces.ts';
import { Workspace } from './workspace.ts';

export interface WorkspaceCallsContext {
  workspaces: OpenWorkspaces;
  /** Where the last workspace opened is remembered; null when this front door does not (the CLI). */
  lastWorkspace: LastWorkspace | null;
  /** The workspace made on first start. */
  defaultWorkspace: string;
  /** What the UI shows of a workspace (counts come from other capabilities). */
  describe: (workspace: Workspace) => Promise<WorkspaceInfo>;
}

/** Opening and making workspaces. */
export function workspaceCalls({ workspaces, lastWorkspace, defaultWorkspace, describe }: WorkspaceCallsContext): Handlers {
  async function remember(workspace: Workspace): Promise<WorkspaceInfo> {
    await lastWorkspace?.set(workspace.dir);
    return describe(workspace);
  }

  const create: NonNullable<Handlers['workspace:create']> = async ({ path, useExistingGitRepository }) => {
    const existing = await workspaces.at(path).catch((error: { error?: { code?: string } }) => {
      if (error.error?.code === 'NOT_A_WORKSPACE' || error.error?.code === 'NOT_FOUND') return null;
      throw error;
    });
    if (existing) return remember(existing);
    const workspace = await Workspace.create(path, { useExistingGitRepository });
    workspaces.adopt(workspace);
    return remember(workspace);
  };

  return {
    'workspace:open': async ({ path }) => remember(await workspaces.at(path)),
    'workspace:create': create,
    'workspace:default': async () => {
      const last = await lastWorkspace?.get();
      if (last) {
        const workspace = await workspaces.at(last).catch(() => null);
        if (workspace) return describe(workspace);
      }
      return create({ path: defaultWorkspace }, {});
    },
  };
}
