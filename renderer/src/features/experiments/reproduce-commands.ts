import type { RunDetail, RunStatus } from '../../../../shared/contract/runs.ts';
import type { LatheApi } from '../../lib/api-types.ts';
import type { LatheStore } from '../../state/store.ts';

const ENDED: readonly RunStatus[] = ['FINISHED', 'FAILED', 'KILLED'];

/** A run Lathe's training made can be trained again: same dataset version, knobs and seed. */
export const canReproduce = (run: Pick<RunDetail, 'status' | 'systemTags' | 'lifecycle'>): boolean =>
  run.status === 'FINISHED' && run.lifecycle === 'active' && run.systemTags['lathe.source'] === 'training';

/** The run this one reproduces, when it is a reproduction. */
export const reproducedRun = (run: Pick<RunDetail, 'systemTags'>): string | null => run.systemTags['lathe.reproduces'] ?? null;

export type ReproduceCommands = ReturnType<typeof createReproduceCommands>;

/**
 * Reproduce a run (training:reproduce) and, once the reproduction ends, say whether its test
 * metrics match (training:compare-reproduction): exactly on the same backend, within a
 * tolerance across backends.
 */
export function createReproduceCommands({ api, store }: { api: Pick<LatheApi, 'call'>; store: LatheStore }) {
  const workspacePath = () => store.getState().workspace?.path ?? null;

  async function reproduce(originalId: string): Promise<{ ok: boolean; message?: string }> {
    const workspace = workspacePath();
    if (!workspace) return { ok: false };
    const result = await api.call('training:reproduce', { workspace, runId: originalId });
    if (!result.ok) return { ok: false, message: result.error.message };
    store.getState().reproductionStarted(originalId, result.value.runId);
    return { ok: true };
  }

  async function compare(originalId: string, reproductionId: string): Promise<void> {
    const workspace = workspacePath();
    if (!workspace) return;
    const result = await api.call('training:compare-reproduction', { workspace, runId: reproductionId, originalRunId: originalId });
    if (workspacePath() !== workspace) return;
    if (result.ok) store.getState().reproductionCompared(originalId, reproductionId, result.value);
    else store.getState().reproductionFailed(originalId, reproductionId, result.error);
  }

  /** A run changed: if it is a reproduction this window follows and it ended, compare it. */
  function runChanged(runId: string, status: RunStatus): void {
    if (!ENDED.includes(status)) return;
    for (const [originalId, reproduction] of Object.entries(store.getState().reproductions)) {
      if (reproduction.runId === runId && reproduction.report === null) void compare(originalId, runId);
    }
  }

  /** A reproduction's own page: once it has ended, whether it matched its original. */
  async function runShown(run: RunDetail): Promise<void> {
    const originalId = reproducedRun(run);
    if (!originalId || !ENDED.includes(run.status)) return;
    const known = store.getState().reproductions[originalId];
    if (known?.runId === run.id && known.report) return;
    await compare(originalId, run.id);
  }

  return { reproduce, runChanged, runShown };
}
