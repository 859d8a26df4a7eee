import { splitDeploymentName, type DeploymentName, type WindowSummary } from '../../../shared/contract/monitoring.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { unknownDeployment, wasDeployed } from './deployment-target.ts';
import { keptRange, keptWindows } from './window-store.ts';

/**
 * `monitoring:history`: a deployment's windows as the workspace keeps them, newest last, without
 * asking the agent (the heat strip and charts read this). A deployment this workspace never made
 * and kept nothing of is refused, naming those it did.
 */
export function monitoringHistory(workspace: Workspace, request: { deployment: DeploymentName; from?: string | undefined; to?: string | undefined; limit: number }): { deployment: DeploymentName; windows: WindowSummary[] } {
  const key = splitDeploymentName(request.deployment);
  if (keptRange(workspace.db, key) === null && !wasDeployed(workspace.db, key.target, key.model)) {
    throw unknownDeployment(workspace.db, request.deployment, `this workspace never deployed ${key.model} to ${key.target}`);
  }
  return { deployment: request.deployment, windows: keptWindows(workspace.db, { ...key, from: request.from, to: request.to, limit: request.limit }) };
}
