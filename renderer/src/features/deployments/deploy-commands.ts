import type { CallName, InputOf, OutputOf } from '../../../../shared/contract/calls.ts';
import type { Result } from '../../../../shared/contract/result.ts';
import type { LatheApi } from '../../lib/api-types.ts';
import type { LatheStore } from '../../state/store.ts';
import type { Strategy } from './strategy-choice.ts';

export type DeployCommands = ReturnType<typeof createDeployCommands>;

type WithoutWorkspace<N extends CallName> = Omit<InputOf<N>, 'workspace'>;

export interface NewTarget {
  readonly name: string;
  readonly url: string;
  readonly token: string;
  readonly allowPlainTextToken: boolean;
}

/**
 * What the Deployments and Monitoring areas ask of main: targets (per user, no workspace), and
 * deployments of this window's workspace. Main owns every record and talks to the agents; the
 * pages only ask and show.
 */
export function createDeployCommands({ api, store }: { api: Pick<LatheApi, 'call'>; store: LatheStore }) {
  const noWorkspace = { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'No workspace is open.', hint: 'Open a workspace from the workspace menu first.' } };

  function inWorkspace<N extends CallName>(name: N, input: WithoutWorkspace<N>): Promise<Result<OutputOf<N>>> {
    const workspace = store.getState().workspace?.path;
    if (!workspace) return Promise.resolve(noWorkspace);
    return api.call(name, { ...input, workspace } as InputOf<N>);
  }

  return {
    targets: () => api.call('targets:list', { probe: true }),
    addTarget: (target: NewTarget) => api.call('targets:add', { ...target, replace: false }),
    removeTarget: (name: string) => api.call('targets:remove', { name }),
    start: (ref: string, target: string, strategy: Strategy, overrideReason: string | null) =>
      inWorkspace('deploy:start', { ref, target, ...strategy, ...(overrideReason !== null ? { override: { reason: overrideReason } } : {}) }),
    rollout: (id: string) => inWorkspace('deploy:rollout', { id }),
    promote: (target: string, model: string) => inWorkspace('deploy:promote', { target, model }),
    abort: (target: string, model: string) => inWorkspace('deploy:abort', { target, model }),
    history: (filter: { target?: string; model?: string; limit?: number }) => inWorkspace('deploy:history', { limit: 50, ...filter }),
    series: (target: string, model: string, from?: string) => inWorkspace('monitoring:series', { target, model, ...(from ? { from } : {}) }),
    models: () => inWorkspace('models:list', {}),
    model: (name: string) => inWorkspace('models:show', { name }),
    gateResults: (ref: string) => inWorkspace('gates:results', { ref, limit: 1 }),
  };
}
