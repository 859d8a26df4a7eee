import { useMemo } from 'react';
import type { CallName, InputOf, OutputOf } from '../../../../shared/contract/calls.ts';
import type { Result } from '../../../../shared/contract/result.ts';
import type { ApprovableStep } from '../../../../shared/contract/retraining.ts';
import { useServices } from '../../app/services-context.tsx';
import type { LatheApi } from '../../lib/api-types.ts';
import type { LatheStore } from '../../state/store.ts';
import type { WithoutWorkspace } from './monitoring-commands.ts';

export type RetrainCommands = ReturnType<typeof createRetrainCommands>;

/** A model's retraining as the Monitoring area asks main for it: policy, runs, timeline, and a person's approval. */
export function createRetrainCommands({ api, store }: { api: Pick<LatheApi, 'call'>; store: LatheStore }) {
  const noWorkspace = { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'No workspace is open.', hint: 'Open a workspace from the workspace menu first.' } };

  function inWorkspace<N extends CallName>(name: N, input: WithoutWorkspace<N>): Promise<Result<OutputOf<N>>> {
    const workspace = store.getState().workspace?.path;
    if (!workspace) return Promise.resolve(noWorkspace);
    return api.call(name, { ...input, workspace } as InputOf<N>);
  }

  return {
    policy: (model: string) => inWorkspace('retrain:policy', { model }),
    timeline: (model: string) => inWorkspace('retrain:timeline', { model, limit: 500 }),
    runs: (model: string) => inWorkspace('retrain:runs', { model, limit: 20 }),
    approve: (run: string, step: ApprovableStep) => inWorkspace('retrain:approve', { run, step }),
    reject: (run: string, step: ApprovableStep, reason: string) => inWorkspace('retrain:reject', { run, step, reason }),
  };
}

/** The retraining calls for this window's workspace. */
export function useRetrainCommands(): RetrainCommands {
  const services = useServices();
  return useMemo(() => createRetrainCommands(services), [services]);
}
