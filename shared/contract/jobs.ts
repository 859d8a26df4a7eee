import { z } from 'zod';
import { defineCall, defineEvent } from './define.ts';
import { LatheError } from './result.ts';
import { WorkspacePath } from './workspace.ts';

/** Long work — imports, training runs — as jobs: listed, followed and cancelled from any front door. */

export const JobProgress = z.object({
  /** How much is done, in `unit`s; with `total` when known. */
  done: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  unit: z.enum(['bytes', 'rows', 'epochs', 'steps']),
  /** A short line a person reads: "epoch 3 of 20 · loss 0.41". */
  message: z.string().max(500).optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const JobInfo = z.object({
  id: z.string(),
  workspace: WorkspacePath,
  kind: z.enum(['import', 'training', 'pipeline', 'gates', 'simulate']),
  title: z.string(),
  /** What the front door that started it calls it (an import's importId, a run's id). */
  ref: z.string().nullable(),
  status: z.enum(['running', 'finished', 'failed', 'cancelled']),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  progress: JobProgress.nullable(),
  error: LatheError.nullable(),
});
export type JobInfo = z.infer<typeof JobInfo>;

export const JobId = z.string().regex(/^job-[0-9a-f]{12}$/, 'a job id looks like job-<12 hex digits>');

export const jobsList = defineCall('jobs:list', 'The jobs of this workspace: running ones first, then the most recently ended', z.object({ workspace: WorkspacePath }), z.array(JobInfo));

export const jobsCancel = defineCall('jobs:cancel', 'Ask a running job to stop; it ends as cancelled, keeping nothing half-done', z.object({ workspace: WorkspacePath, jobId: JobId }), JobInfo);

export const jobsChanged = defineEvent('jobs:changed', JobInfo);
