import type { DeploymentName, MonitoringSettings, MonitoringSettingsPatch } from '../../../shared/contract/monitoring.ts';
import { servedVersion } from '../deploy/agent-rollouts.ts';
import type { TargetContext } from '../deploy/target-calls.ts';
import { failure } from '../errors.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { deploymentTarget } from './deployment-target.ts';
import { configureMonitoring } from './monitoring-fetch.ts';
import { notServed, type WindowWatch } from './window-watch.ts';

/**
 * `monitoring:configure`: change how a deployment's agent records and windows (sample rate,
 * window, retention, store cap); the agent answers its settings in full. Nothing is kept in the
 * workspace here — the next fetch of its windows keeps the new settings beside them.
 */
export async function configureDeployment(context: { targets: TargetContext; watch: WindowWatch }, workspace: Workspace, deployment: DeploymentName, patch: MonitoringSettingsPatch): Promise<MonitoringSettings> {
  if (Object.keys(patch).length === 0) {
    throw failure('INVALID_INPUT', `Nothing to change for ${deployment}: give at least one setting.`, {
      hint: 'lathe monitor configure TARGET/MODEL --sample-rate 0.1 | --window 500|60s | --retention-days D | --max-store-bytes B',
      location: { field: 'settings' },
    });
  }
  const { model, address } = await deploymentTarget(context.targets, deployment);
  if ((await servedVersion(address, model)) === null) throw await notServed(address, model);
  const settings = await configureMonitoring(address, model, patch);
  // The kept state follows at once (a report shown stale later says the new settings); a fetch that fails now is left to the sampler.
  await context.watch.refresh(workspace, address, model).catch(() => undefined);
  return settings;
}
