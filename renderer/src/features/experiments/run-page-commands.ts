import type { JobInfo } from '../../../../shared/contract/jobs.ts';
import type { RunDetail } from '../../../../shared/contract/runs.ts';
import type { LatheApi } from '../../lib/api-types.ts';
import type { LatheStore } from '../../state/store.ts';
import { EVALUATION_ARTIFACT, readEvaluation, testMetrics } from './evaluation.ts';
import { RUN_PAGE_POINTS, type EvaluationState } from './run-page-slice.ts';
import { isScriptRun } from './script-run-commands.ts';


export interface RunPageCommandDeps {
  api: Pick<LatheApi, 'call'>;
  store: LatheStore;
}

export type RunPageCommands = ReturnType<typeof createRunPageCommands>;

/** What a run's evaluation is: its test metrics and, when it logged one, its evaluation.json. */
export async function evaluationOf(api: Pick<LatheApi, 'call'>, workspace: string, run: RunDetail): Promise<EvaluationState> {
  const test = testMetrics(run.metrics);
  let file: unknown = null;
  if (run.artifacts.some((artifact) => artifact.path === EVALUATION_ARTIFACT)) {
    const read = await api.call('runs:read-artifact', { workspace, runId: run.id, path: EVALUATION_ARTIFACT });
    if (!read.ok) return { status: 'failed', error: read.error };
    try {
      file = JSON.parse(read.value.text);
    } catch (thrown) {
      return {
        status: 'failed',
        error: { code: 'PARSE_ERROR', message: `${EVALUATION_ARTIFACT} of this run is not JSON: ${thrown instanceof Error ? thrown.message : String(thrown)}`, location: { file: EVALUATION_ARTIFACT } },
      };
    }
  }
  const evaluation = readEvaluation(file, test);
  return evaluation ? { status: 'ready', evaluation } : { status: 'none' };
}

/**
 * The run page's commands: open a run (its record, every metric's curve, its evaluation and the
 * job training it), follow it as it changes, delete, restore and cancel it.
 */
export function createRunPageCommands({ api, store }: RunPageCommandDeps) {
  const workspacePath = () => store.getState().workspace?.path ?? null;
  const isOpen = (runId: string) => store.getState().openRun?.id === runId;
  // The latest reading of the evaluation wins: one made while the run trained must not land
  // after the one made when it ended.
  let evaluationRequest = 0;

  async function loadDetail(runId: string): Promise<RunDetail | null> {
    const workspace = workspacePath();
    if (!workspace) return null;
    const result = await api.call('runs:get', { workspace, runId });
    if (!isOpen(runId) || workspacePath() !== workspace) return null;
    if (!result.ok) {
      store.getState().runDetailFailed(runId, result.error);
      return null;
    }
    store.getState().runDetailLoaded(result.value);
    return result.value;
  }

  async function loadCurves(run: RunDetail): Promise<void> {
    const workspace = workspacePath();
    if (!workspace) return;
    const keys = Object.keys(run.metrics);
    const results = await Promise.all(keys.map((key) => api.call('runs:metric-history', { workspace, runId: run.id, key, maxPoints: RUN_PAGE_POINTS })));
    if (!isOpen(run.id) || workspacePath() !== workspace) return;
    const failed = results.find((result) => !result.ok);
    if (failed && !failed.ok) store.getState().runHistoriesFailed(run.id, failed.error);
    else store.getState().runHistoriesLoaded(run.id, results.flatMap((result) => (result.ok ? [result.value] : [])));
  }

  async function loadEvaluation(run: RunDetail): Promise<void> {
    const workspace = workspacePath();
    if (!workspace) return;
    const request = ++evaluationRequest;
    const evaluation = await evaluationOf(api, workspace, run);
    if (request === evaluationRequest && isOpen(run.id) && workspacePath() === workspace) store.getState().runEvaluationRead(run.id, evaluation);
  }

  /** The training job driving a RUNNING run: its `ref` is the run's id. */
  async function loadJob(runId: string): Promise<void> {
    const workspace = workspacePath();
    if (!workspace) return;
    const result = await api.call('jobs:list', { workspace });
    if (!isOpen(runId) || !result.ok) return;
    store.getState().runJobKnown(runId, result.value.find((job) => job.ref === runId && job.status === 'running') ?? null);
  }

  /** Show a run: its record first, then its curves, evaluation and job, all at once. */
  async function openRun(runId: string): Promise<void> {
    const already = store.getState().openRun;
    store.getState().runOpened(runId);
    if (already?.id === runId && already.status !== 'failed') return;
    const detail = await loadDetail(runId);
    if (!detail) return;
    await Promise.all([loadCurves(detail), loadEvaluation(detail), detail.status === 'RUNNING' ? loadJob(runId) : Promise.resolve()]);
  }

  function closeRun(): void {
    store.getState().runClosed();
  }

  /** Main says the open run changed (it ended, was deleted or restored): read it again. */
  async function openRunChanged(runId: string): Promise<void> {
    const before = store.getState().openRun;
    if (before?.id !== runId) return;
    const detail = await loadDetail(runId);
    if (!detail) return;
    const tasks: Promise<void>[] = [];
    // An ended run has its test metrics and evaluation.json now (whatever was read while it trained).
    if (detail.status !== 'RUNNING' && detail.status !== 'SCHEDULED') tasks.push(loadEvaluation(detail));
    if (detail.status === 'RUNNING') tasks.push(loadJob(runId));
    else store.getState().runJobKnown(runId, null);
    await Promise.all(tasks);
  }

  /** A job changed: the open run's Cancel follows its training job. */
  function jobChanged(job: JobInfo): void {
    const open = store.getState().openRun;
    if (!open || job.ref !== open.id || job.workspace !== workspacePath()) return;
    store.getState().runJobKnown(open.id, job.status === 'running' ? job : null);
  }

  /** Stop the training job of the open run; main marks the run KILLED. */
  async function cancelRun(runId: string): Promise<{ ok: boolean; message?: string }> {
    const workspace = workspacePath();
    if (!workspace) return { ok: false };
    const open = store.getState().openRun?.detail;
    if (open?.id === runId && isScriptRun(open)) {
      const cancelled = await api.call('scripts:cancel', { workspace, runId });
      return cancelled.ok ? { ok: true } : { ok: false, message: cancelled.error.message };
    }
    let job = store.getState().openRun?.id === runId ? store.getState().openRun?.job : null;
    if (!job) {
      const jobs = await api.call('jobs:list', { workspace });
      if (!jobs.ok) return { ok: false, message: jobs.error.message };
      job = jobs.value.find((candidate) => candidate.ref === runId && candidate.status === 'running') ?? null;
    }
    if (!job) return { ok: false, message: 'No job of this Lathe is training this run: it is driven from elsewhere (another process or an MLflow client).' };
    const result = await api.call('jobs:cancel', { workspace, jobId: job.id });
    return result.ok ? { ok: true } : { ok: false, message: result.error.message };
  }

  /** After the link to main was down: points logged meanwhile never came, so read the curves again. */
  async function catchUp(runId: string): Promise<void> {
    await openRunChanged(runId);
    const detail = store.getState().openRun?.detail;
    if (detail?.id === runId) await loadCurves(detail);
  }

  return { openRun, closeRun, openRunChanged, catchUp, jobChanged, cancelRun, loadDetail };
}
