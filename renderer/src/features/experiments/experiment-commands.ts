import type { JobInfo } from '../../../../shared/contract/jobs.ts';
import type { PayloadOf } from '../../../../shared/contract/calls.ts';
import type { LatheApi } from '../../lib/api-types.ts';
import type { LatheStore } from '../../state/store.ts';
import { createCompareCommands } from './compare-commands.ts';
import { createReproduceCommands } from './reproduce-commands.ts';
import { createRunPageCommands } from './run-page-commands.ts';
import { createRunsCommands } from './runs-commands.ts';
import { createSeriesCache } from './series-cache.ts';
import type { ExperimentsMemory } from './experiments-memory.ts';

export interface ExperimentCommandDeps {
  api: Pick<LatheApi, 'call'>;
  store: LatheStore;
  /** IndexedDB: curves fetched before, and the table's columns. */
  memory: ExperimentsMemory;
  /** When to look up runs that changed (see runs-commands.ts); tests run it at once. */
  schedule?: (work: () => void) => void;
}

export type ExperimentCommands = ReturnType<typeof createExperimentCommands>;

/**
 * What the Experiments area does: the runs table, a run's page and the comparison, and how each
 * follows main's live events. Deleting and restoring a run are here because all three show it.
 */
export function createExperimentCommands({ api, store, memory, schedule }: ExperimentCommandDeps) {
  const runs = createRunsCommands({ api, store, columns: memory.columns, ...(schedule ? { schedule } : {}) });
  const runPage = createRunPageCommands({ api, store });
  const compare = createCompareCommands({ api, store, series: createSeriesCache({ api, memory: memory.series }) });
  const reproduction = createReproduceCommands({ api, store });
  const workspacePath = () => store.getState().workspace?.path ?? null;

  /** `runs:changed`: a run started, ended, was deleted or restored. */
  function runChanged(change: PayloadOf<'runs:changed'>): void {
    if (change.workspace !== workspacePath()) return;
    const state = store.getState();
    // Only a table that has been listed follows changes; the next visit lists afresh anyway.
    if (state.runsStatus !== 'idle') runs.runChanged(change.runId);
    if (state.openRun?.id === change.runId) void runPage.openRunChanged(change.runId);
    if (state.comparison?.ids.includes(change.runId)) void compare.comparedRunChanged(change.runId);
    reproduction.runChanged(change.runId, change.status);
  }

  /** `runs:metrics`: points a run just logged, for its row and its curves. */
  function runMetricsLogged(batch: PayloadOf<'runs:metrics'>): void {
    if (batch.workspace !== workspacePath() || batch.points.length === 0) return;
    store.getState().runMetricsLogged(batch.runId, batch.points);
  }

  function jobChanged(job: JobInfo): void {
    if (job.kind === 'training') runPage.jobChanged(job);
  }

  /** After the link to main was down: events were missed, so list again what is on screen. */
  async function catchUp(): Promise<void> {
    const state = store.getState();
    const tasks: Promise<unknown>[] = [];
    if (state.runsStatus !== 'idle') tasks.push(runs.searchRuns(), runs.refreshExperiments());
    if (state.openRun) tasks.push(runPage.catchUp(state.openRun.id));
    await Promise.all(tasks);
  }

  async function deleteRun(runId: string): Promise<{ ok: boolean; message?: string }> {
    const workspace = workspacePath();
    if (!workspace) return { ok: false };
    const result = await api.call('runs:delete', { workspace, runId });
    if (!result.ok) return { ok: false, message: result.error.message };
    store.getState().runRecordChanged(result.value);
    store.getState().runsLeft([runId]);
    return { ok: true };
  }

  async function restoreRun(runId: string): Promise<{ ok: boolean; message?: string }> {
    const workspace = workspacePath();
    if (!workspace) return { ok: false };
    const result = await api.call('runs:restore', { workspace, runId });
    if (!result.ok) return { ok: false, message: result.error.message };
    store.getState().runRecordChanged(result.value);
    runs.runChanged(runId);
    return { ok: true };
  }

  return { runs, runPage, compare, reproduction, runChanged, runMetricsLogged, jobChanged, catchUp, deleteRun, restoreRun };
}
