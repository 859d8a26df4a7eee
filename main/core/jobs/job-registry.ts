import { randomBytes } from 'node:crypto';
import type { JobInfo, JobProgress } from '../../../shared/contract/jobs.ts';
import { failure, toLatheError } from '../errors.ts';
import type { EventHub } from '../events.ts';

/**
 * Long work (an import, a training run, later a deploy) runs as a job: it has an id, a title a
 * person understands, progress that reaches every window (throttled, scoped by workspace), and
 * it can be cancelled. The work itself receives an AbortSignal and a `progress` function.
 *
 * Jobs are in memory, for the life of the core. What a job makes is persisted by the job itself
 * (a dataset version in git, a run in the workspace database), and so is its recovery after a
 * crash: a run left RUNNING by a dead process is marked FAILED when its workspace next opens.
 */
export interface JobContext {
  readonly id: string;
  readonly signal: AbortSignal;
  /** Report progress; events go out at most every PROGRESS_INTERVAL_MS (the last always does). */
  progress(progress: JobProgress): void;
}

export interface JobSpec<T> {
  workspace: string;
  kind: JobInfo['kind'];
  title: string;
  /** What the caller calls this work (an importId), so its windows can find the job. */
  ref?: string | undefined;
  run(context: JobContext): Promise<T>;
}

export const PROGRESS_INTERVAL_MS = 250;
const KEEP_FINISHED = 50;

export class JobRegistry {
  readonly #events: EventHub | undefined;
  readonly #jobs = new Map<string, { info: JobInfo; controller: AbortController }>();
  readonly #now: () => number;

  constructor(events?: EventHub, now: () => number = Date.now) {
    this.#events = events;
    this.#now = now;
  }

  /** Start a job; its result (or failure) is the returned promise's. */
  run<T>(spec: JobSpec<T>): { id: string; done: Promise<T> } {
    const id = `job-${randomBytes(6).toString('hex')}`;
    const controller = new AbortController();
    const info: JobInfo = { id, workspace: spec.workspace, kind: spec.kind, title: spec.title, ref: spec.ref ?? null, status: 'running', startedAt: new Date(this.#now()).toISOString(), endedAt: null, progress: null, error: null };
    this.#jobs.set(id, { info, controller });
    this.#prune();
    let lastSent = Number.NEGATIVE_INFINITY;
    const send = () => {
      lastSent = this.#now();
      this.#emit(info);
    };
    const context: JobContext = {
      id,
      signal: controller.signal,
      progress: (progress) => {
        info.progress = progress;
        if (this.#now() - lastSent >= PROGRESS_INTERVAL_MS) send();
      },
    };
    this.#emit(info);
    const done = (async () => {
      try {
        const value = await spec.run(context);
        info.status = 'finished';
        return value;
      } catch (error) {
        info.status = controller.signal.aborted ? 'cancelled' : 'failed';
        info.error = toLatheError(error);
        throw error;
      } finally {
        info.endedAt = new Date(this.#now()).toISOString();
        send();
      }
    })();
    done.catch(() => undefined); // the caller awaits `done`; a job nobody awaits must not crash the process
    return { id, done };
  }

  /** Ask a running job to stop; it ends as `cancelled` once its work notices. */
  cancel(workspace: string, id: string): JobInfo {
    const job = this.#jobs.get(id);
    if (!job || job.info.workspace !== workspace) throw failure('NOT_FOUND', `There is no job ${id} in this workspace.`, { hint: 'List the jobs to see their ids.' });
    if (job.info.status === 'running') job.controller.abort(failure('CANCELLED', `Cancelled: ${job.info.title}. Nothing half-done was kept.`));
    return { ...job.info };
  }

  /** Running jobs first, then the most recently ended. */
  list(workspace: string): JobInfo[] {
    const jobs = [...this.#jobs.values()].map((job) => ({ ...job.info })).filter((info) => info.workspace === workspace);
    return jobs.sort((a, b) => Number(b.status === 'running') - Number(a.status === 'running') || b.startedAt.localeCompare(a.startedAt));
  }

  #emit(info: JobInfo): void {
    this.#events?.emit('jobs:changed', { ...info });
  }

  #prune(): void {
    const ended = [...this.#jobs.values()].filter((job) => job.info.status !== 'running');
    for (const job of ended.slice(0, Math.max(0, ended.length - KEEP_FINISHED))) this.#jobs.delete(job.info.id);
  }
}
