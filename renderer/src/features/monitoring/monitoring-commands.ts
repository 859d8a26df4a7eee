import { useMemo } from 'react';
import type { CallName, InputOf, OutputOf } from '../../../../shared/contract/calls.ts';
import type { MonitoringSettingsPatch } from '../../../../shared/contract/monitoring.ts';
import type { Result } from '../../../../shared/contract/result.ts';
import type { SimulateTrafficInput } from '../../../../shared/contract/simulate.ts';
import { useServices } from '../../app/services-context.tsx';
import type { LatheApi } from '../../lib/api-types.ts';
import type { LatheStore } from '../../state/store.ts';

export type WithoutWorkspace<N extends CallName> = Omit<InputOf<N>, 'workspace'>;

export type MonitoringCommands = ReturnType<typeof createMonitoringCommands>;

/**
 * What the Monitoring area asks of main for this window's workspace: a deployment's report and
 * kept windows, its settings, its alerts, and simulated traffic.
 * Main owns every record and talks to the agents; the page only asks and shows.
 */
export function createMonitoringCommands({ api, store }: { api: Pick<LatheApi, 'call'>; store: LatheStore }) {
  const noWorkspace = { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'No workspace is open.', hint: 'Open a workspace from the workspace menu first.' } };

  function inWorkspace<N extends CallName>(name: N, input: WithoutWorkspace<N>): Promise<Result<OutputOf<N>>> {
    const workspace = store.getState().workspace?.path;
    if (!workspace) return Promise.resolve(noWorkspace);
    return api.call(name, { ...input, workspace } as InputOf<N>);
  }

  return {
    report: (deployment: string) => inWorkspace('monitoring:report', { deployment, window: 'latest', windows: 50 }),
    history: (deployment: string) => inWorkspace('monitoring:history', { deployment, limit: 500 }),
    configure: (deployment: string, settings: MonitoringSettingsPatch) => inWorkspace('monitoring:configure', { deployment, settings }),
    alerts: (deployment: string) => inWorkspace('alerts:list', { deployment, state: 'open', limit: 200 }),
    acknowledge: (id: string) => inWorkspace('alerts:ack', { id }),
    simulate: (input: Omit<SimulateTrafficInput, 'workspace' | 'wait'>) => inWorkspace('simulate:traffic', { ...input, wait: false }),
    cancelJob: (jobId: string) => inWorkspace('jobs:cancel', { jobId }),
    version: (model: string, version: string) => inWorkspace('models:get-version', { ref: `${model}@${version}` }),
    datasets: () => inWorkspace('datasets:list', {}),
    datasetVersions: (name: string) => inWorkspace('datasets:log', { name }),
  };
}

/** The monitoring calls for this window's workspace. */
export function useMonitoringCommands(): MonitoringCommands {
  const services = useServices();
  return useMemo(() => createMonitoringCommands(services), [services]);
}
