import type { RecentWorkspace } from '../../lib/ui-memory.ts';
import type { LatheState } from '../../state/store.ts';

let lastRecent: RecentWorkspace[] | null = null;
let lastPath: string | null = null;
let lastOthers: RecentWorkspace[] = [];

/** Recent workspaces other than the one open, newest first. Memoised for stable renders. */
export function selectOtherRecentWorkspaces(state: LatheState): RecentWorkspace[] {
  const path = state.workspace?.path ?? null;
  if (state.recentWorkspaces !== lastRecent || path !== lastPath) {
    lastRecent = state.recentWorkspaces;
    lastPath = path;
    lastOthers = state.recentWorkspaces.filter((workspace) => workspace.path !== path);
  }
  return lastOthers;
}

export const selectWorkspaceName = (state: LatheState): string | null => state.workspace?.name ?? null;
export const selectWorkspacePath = (state: LatheState): string | null => state.workspace?.path ?? null;
