import type { CallName, InputOf, OutputOf } from '../../../../shared/contract/calls.ts';
import type { Result } from '../../../../shared/contract/result.ts';
import type { SweepSpec } from '../../../../shared/contract/sweeps.ts';
import type { LatheApi } from '../../lib/api-types.ts';
import type { LatheStore } from '../../state/store.ts';

export type SweepCommands = ReturnType<typeof createSweepCommands>;

type WithoutWorkspace<N extends CallName> = Omit<InputOf<N>, 'workspace'>;

/** What the Sweeps tab asks of main, always in the workspace this window has open. */
export function createSweepCommands({ api, store }: { api: Pick<LatheApi, 'call'>; store: LatheStore }) {
  const noWorkspace = { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'No workspace is open.', hint: 'Open a workspace from the workspace menu first.' } };

  function inWorkspace<N extends CallName>(name: N, input: WithoutWorkspace<N>): Promise<Result<OutputOf<N>>> {
    const workspace = store.getState().workspace?.path;
    if (!workspace) return Promise.resolve(noWorkspace);
    return api.call(name, { ...input, workspace } as InputOf<N>);
  }

  return {
    list: () => inWorkspace('sweeps:list', { limit: 100 }),
    get: (id: string) => inWorkspace('sweeps:get', { id }),
    /** Start a sweep and return at once; its trials arrive as sweeps:progress events. */
    create: (spec: SweepSpec) => inWorkspace('sweeps:create', { spec, wait: false }),
    cancel: (id: string) => inWorkspace('sweeps:cancel', { id }),
    datasets: () => inWorkspace('datasets:list', {}),
    dataset: (name: string) => inWorkspace('datasets:show', { name }),
    plan: (dataset: string, target: string) => inWorkspace('training:plan', { dataset, target }),
  };
}
