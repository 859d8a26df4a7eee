import type { DeployCapability } from '../deploy/deploy-calls.ts';
import { DEFAULT_RETENTION_DAYS } from '../deploy/monitoring-store.ts';
import type { Handlers } from '../dispatch.ts';
import type { EventHub } from '../events.ts';
import { WindowListeners, type WindowListener } from './window-listeners.ts';
import { WindowWatch } from './window-watch.ts';

export interface MonitoringCallsContext {
  events: EventHub;
  /** Deploy's targets and sampler: monitoring asks the same agents, in the same rounds. */
  deploy: Pick<DeployCapability, 'targets' | 'openWatched' | 'pollWindows'>;
  retentionDays?: number | undefined;
  /** Told of windows that could not be fetched and of listeners that failed; default a process warning. */
  warn?: ((text: string) => void) | undefined;
  now?: () => Date;
}

export interface MonitoringCapability {
  handlers: Handlers;
  /**
   * Be told each time new windows of a deployment are kept (by the sampler, or a report): alert
   * rules and retraining triggers register here, in lathe-core.ts. Returns the unregister function.
   */
  onWindows(listener: WindowListener): () => void;
  readonly watch: WindowWatch;
}

/**
 * Watching live models from the app: a deployment's report (live from its agent, else what the
 * workspace kept, marked stale), its kept windows, and its agent's recording settings. The
 * sampler that deploy runs fetches every deployed model's windows each round through `watch`.
 */
export function monitoringCalls(context: MonitoringCallsContext): MonitoringCapability {
  const warn = context.warn ?? ((text: string) => process.emitWarning(text, 'LatheMonitoringWarning'));
  const listeners = new WindowListeners(warn);
  const watch = new WindowWatch({ listeners, events: context.events, retentionDays: context.retentionDays ?? DEFAULT_RETENTION_DAYS, warn, ...(context.now ? { now: context.now } : {}) });
  context.deploy.pollWindows(watch);
  const { targets } = context.deploy;

  const handlers: Handlers = {
    'monitoring:report': async ({ workspace, ...request }) => {
      const { monitoringReport } = await import('./monitoring-report.ts');
      return monitoringReport({ targets, watch }, await context.deploy.openWatched(workspace), request);
    },
    'monitoring:history': async ({ workspace, deployment, from, to, limit }) => {
      const { monitoringHistory } = await import('./monitoring-history.ts');
      return monitoringHistory(await context.deploy.openWatched(workspace), { deployment, from, to, limit });
    },
    'monitoring:configure': async ({ workspace, deployment, settings }) => {
      const { configureDeployment } = await import('./configure-deployment.ts');
      return configureDeployment({ targets, watch }, await context.deploy.openWatched(workspace), deployment, settings);
    },
  };
  return { handlers, onWindows: (listener) => listeners.add(listener), watch };
}
