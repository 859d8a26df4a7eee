import type { DeploymentName, MonitoringReport } from '../../../shared/contract/monitoring.ts';
import type { TargetContext } from '../deploy/target-calls.ts';
import { failure, toLatheError } from '../errors.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { deploymentTarget, unknownDeployment, wasDeployed } from './deployment-target.ts';
import { keptReport } from './kept-report.ts';
import type { WindowWatch } from './window-watch.ts';
import { keptRange, keptState } from './window-store.ts';

export interface ReportRequest {
  deployment: DeploymentName;
  window: 'latest' | number;
  windows: number;
}

/**
 * `monitoring:report`, as its algorithm: ask the deployment's agent for what is new (kept in the
 * workspace as the sampler keeps it, telling the listeners), then answer from what the workspace
 * keeps — the last `windows` windows up to the one asked for. When the agent cannot be reached,
 * or no longer serves the model, the same from what was kept before, with `stale: true` and the
 * reason in `problem`.
 */
export async function monitoringReport(context: { targets: TargetContext; watch: WindowWatch }, workspace: Workspace, request: ReportRequest): Promise<MonitoringReport> {
  const { target, model, address } = await deploymentTarget(context.targets, request.deployment);
  const key = { target, model };
  const upTo = request.window === 'latest' ? undefined : request.window;
  let problem: string | null = null;
  try {
    await context.watch.refresh(workspace, address, model, upTo);
  } catch (error) {
    // Unreachable, or no longer serving the model: what was kept is still worth showing, marked stale.
    const said = toLatheError(error);
    if (said.code !== 'UNAVAILABLE' && said.code !== 'NOT_FOUND') throw error;
    if (said.code === 'NOT_FOUND' && keptState(workspace.db, key) === null) throw error;
    problem = said.message;
  }
  const report = keptReport(workspace.db, key, { stale: problem !== null, problem, limit: request.windows, upTo });
  if (!report) {
    if (!wasDeployed(workspace.db, target, model)) throw unknownDeployment(workspace.db, request.deployment, `this workspace never deployed ${model} to ${target}`);
    throw failure('UNAVAILABLE', `${problem} This workspace has kept nothing of ${request.deployment} yet, so there is no report to show.`, {
      hint: 'Start the agent (or check its address with `lathe targets list`); the app and `lathe serve` keep its windows while they run.',
    });
  }
  if (upTo !== undefined && report.windows.at(-1)?.index !== upTo) {
    const range = keptRange(workspace.db, key);
    throw failure('NOT_FOUND', `${request.deployment} has no window ${upTo}${range ? `; the windows kept are ${range.first}–${range.last}` : '; no window has been kept yet'}.`, {
      hint: 'Leave --window out (or say latest) for the newest; `lathe monitor history` lists the windows kept.',
      location: { field: 'window' },
    });
  }
  return report;
}
