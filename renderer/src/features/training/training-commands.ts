import type { ColumnProfile } from '../../../../shared/contract/datasets.ts';
import type { Result } from '../../../../shared/contract/result.ts';
import type { TrainingPlan, TrainingStartInput, TrainingStarted } from '../../../../shared/contract/training.ts';
import type { LatheApi } from '../../lib/api-types.ts';
import type { LatheStore } from '../../state/store.ts';

export type TrainingCommands = ReturnType<typeof createTrainingCommands>;

/** What the New run wizard asks of main: a version's columns, the plan for a target, the start. */
export function createTrainingCommands({ api, store }: { api: Pick<LatheApi, 'call'>; store: LatheStore }) {
  const workspacePath = () => store.getState().workspace?.path ?? null;
  const noWorkspace = { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'No workspace is open.' } };

  /** The columns of a dataset version (its profile), to choose the target from. */
  async function columnsOf(dataset: string, version: number | null): Promise<Result<ColumnProfile[]>> {
    const workspace = workspacePath();
    if (!workspace) return noWorkspace;
    const detail = await api.call('datasets:show', { workspace, name: dataset, ...(version ? { version } : {}) });
    return detail.ok ? { ok: true, value: detail.value.profile } : detail;
  }

  async function plan(input: Omit<TrainingStartInput, 'workspace' | 'model'>): Promise<Result<TrainingPlan>> {
    const workspace = workspacePath();
    if (!workspace) return noWorkspace;
    const { dataset, version, target, task } = input;
    return api.call('training:plan', { workspace, dataset, target, ...(version ? { version } : {}), ...(task ? { task } : {}) });
  }

  async function start(input: Omit<TrainingStartInput, 'workspace'>): Promise<Result<TrainingStarted>> {
    const workspace = workspacePath();
    if (!workspace) return noWorkspace;
    return api.call('training:start', { ...input, workspace });
  }

  return { columnsOf, plan, start };
}
