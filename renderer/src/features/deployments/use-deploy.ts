import { useEffect, useMemo } from 'react';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { createDeployCommands, type DeployCommands } from './deploy-commands.ts';

/** The deploy calls for this window's workspace. */
export function useDeployCommands(): DeployCommands {
  const services = useServices();
  return useMemo(() => createDeployCommands(services), [services]);
}

export const useWorkspacePath = (): string | null => useLathe((state) => state.workspace?.path ?? null);

/** Ask again when main says a deployment of this workspace changed (started, switched, rolled back, promoted). */
export function useDeploymentsChanged(onChange: () => void): void {
  const { api } = useServices();
  const workspace = useWorkspacePath();
  useEffect(() => api.on('deployments:changed', (change) => (change.workspace === workspace ? onChange() : undefined)), [api, workspace, onChange]);
}

/**
 * Ask again every `everyMs` while `live` (a rollout the agent is running: its analyses arrive on
 * the agent, not as events). The page shows what the last answer said until the next one comes.
 */
export function useRefreshWhile(live: boolean, everyMs: number, reload: () => void): void {
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(reload, everyMs);
    return () => clearInterval(timer);
  }, [live, everyMs, reload]);
}
