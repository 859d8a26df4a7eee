import type { Handlers } from '../dispatch.ts';
import type { JobRegistry } from './job-registry.ts';

/** Listing and cancelling the jobs of a workspace. */
export function jobCalls(jobs: JobRegistry): Handlers {
  return {
    'jobs:list': async ({ workspace }) => jobs.list(workspace),
    'jobs:cancel': async ({ workspace, jobId }) => jobs.cancel(workspace, jobId),
  };
}
