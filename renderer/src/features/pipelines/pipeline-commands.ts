import type { CallName, InputOf, OutputOf } from '../../../../shared/contract/calls.ts';
import type { Result } from '../../../../shared/contract/result.ts';
import type { LatheApi } from '../../lib/api-types.ts';
import type { LatheStore } from '../../state/store.ts';

export type PipelineCommands = ReturnType<typeof createPipelineCommands>;

type WithoutWorkspace<N extends CallName> = Omit<InputOf<N>, 'workspace'>;

/** What the Pipelines area asks of main, always in the workspace this window has open. */
export function createPipelineCommands({ api, store }: { api: Pick<LatheApi, 'call'>; store: LatheStore }) {
  const noWorkspace = { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'No workspace is open.', hint: 'Open a workspace from the workspace menu first.' } };

  function inWorkspace<N extends CallName>(name: N, input: WithoutWorkspace<N>): Promise<Result<OutputOf<N>>> {
    const workspace = store.getState().workspace?.path;
    if (!workspace) return Promise.resolve(noWorkspace);
    return api.call(name, { ...input, workspace } as InputOf<N>);
  }

  return {
    file: () => inWorkspace('pipelines:get', {}),
    save: (text: string) => inWorkspace('pipelines:save', { text }),
    /** Start a run and return at once; its steps arrive as pipelines:progress events. */
    run: () => inWorkspace('pipelines:run', { wait: false }),
    runs: () => inWorkspace('pipelines:runs', { limit: 50 }),
    detail: (id: string) => inWorkspace('pipelines:run-detail', { id }),
    cancel: (jobId: string) => inWorkspace('jobs:cancel', { jobId }),
  };
}
