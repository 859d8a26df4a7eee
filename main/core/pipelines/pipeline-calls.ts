import { createHash, randomBytes } from 'node:crypto';
import type { PipelineRun } from '../../../shared/contract/pipelines.ts';
import type { Result } from '../../../shared/contract/result.ts';
import type { Handlers } from '../dispatch.ts';
import { failure, LatheFailure } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { PipelineRunRecords, summaryOf, type PipelineRunRecord } from './pipeline-run-records.ts';
import type { StepServices } from './run-pipeline.ts';

export interface PipelineCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
  jobs: JobRegistry;
  /**
   * Make any call of this core, through the same dispatch as the front doors (validation, locks,
   * jobs): the composition root passes it, since it holds the merged table.
   */
  dispatch: (name: string, input: unknown) => Promise<Result<unknown>>;
  /** Pipelines run from a browser (`lathe serve`) import only files inside the workspace. */
  allowOutsideFiles: boolean;
  now?: () => number;
}

export interface PipelineCalls {
  handlers: Handlers;
  /** Cancel every pipeline run of this process and wait for each to record how it ended. */
  close(): Promise<void>;
}

/** Pipelines as code: read and save lathe.pipeline.json, run it as a job, and list its recorded runs. */
export function pipelineCalls(context: PipelineCallsContext): PipelineCalls {
  const now = context.now ?? Date.now;
  const live = new Set<string>();
  const active = new Map<string, { workspace: string; jobId: string; done: Promise<unknown> }>();
  const recordsOf = (workspace: Workspace) => new PipelineRunRecords(workspace.latheDir, live);

  const call = async (name: string, input: unknown): Promise<unknown> => {
    const result = await context.dispatch(name, input);
    if (!result.ok) {
      if (result.error.code === 'NOT_FOUND' && result.error.message.startsWith('There is no call named')) {
        throw failure('UNAVAILABLE', `This Lathe cannot run the step: it has no "${name}" call.`, { hint: 'Update Lathe, or leave the step out of the pipeline for now.' });
      }
      throw new LatheFailure(result.error);
    }
    return result.value;
  };
  const services = (workspace: Workspace): StepServices => ({
    workspace: workspace.dir,
    call: call as StepServices['call'],
    events: context.events,
    allowOutsideFiles: context.allowOutsideFiles,
  });

  const start = async (workspace: Workspace): Promise<{ record: PipelineRunRecord; done: Promise<PipelineRunRecord> }> => {
    const [{ runnablePipeline }, { newRunRecord, runPipeline }] = await Promise.all([import('./pipeline-file.ts'), import('./run-pipeline.ts')]);
    const { file, spec } = await runnablePipeline(workspace);
    const records = recordsOf(workspace);
    const record = await workspace.lock.run(
      async () => {
        const running = await records.running();
        if (running.length > 0) {
          const other = running[0]!;
          throw failure('CONFLICT', `Pipeline run ${other.id} of this workspace is still running (since ${other.startedAt}); one runs at a time.`, {
            hint: 'Wait for it to end, or cancel it (the Pipelines page, or `lathe pipeline runs` to see it).',
          });
        }
        const started = now();
        const made = newRunRecord(newRunId(started), spec, `sha256:${createHash('sha256').update(file.text).digest('hex')}`, await workspace.git.head(), started, PipelineRunRecords.owner());
        live.add(made.id);
        await records.write(made).catch((error: unknown) => {
          live.delete(made.id);
          throw error;
        });
        return made;
      },
      { purpose: 'starting a pipeline run' },
    );
    const job = context.jobs.run({
      workspace: workspace.dir,
      kind: 'pipeline',
      title: `Pipeline ${record.pipeline}`,
      ref: record.id,
      run: (job) => {
        record.jobId = job.id;
        return runPipeline(record, spec, {
          records,
          services: services(workspace),
          latheDir: workspace.latheDir,
          job,
          now,
          emit: (current, log) => context.events.emit('pipelines:progress', { workspace: workspace.dir, run: summaryOf(current), log }),
        });
      },
    });
    const done = job.done.finally(() => {
      live.delete(record.id);
      active.delete(record.id);
    });
    active.set(record.id, { workspace: workspace.dir, jobId: job.id, done: done.catch(() => undefined) });
    return { record, done };
  };

  const handlers: Handlers = {
    'pipelines:get': async ({ workspace }) => {
      const { readPipelineFile } = await import('./pipeline-file.ts');
      return readPipelineFile(await context.workspaces.at(workspace));
    },
    'pipelines:save': async ({ workspace, text, message }) => {
      const { savePipeline } = await import('./pipeline-file.ts');
      return savePipeline(await context.workspaces.at(workspace), text, message);
    },
    'pipelines:run': async ({ workspace, wait }) => {
      const { record, done } = await start(await context.workspaces.at(workspace));
      if (!wait) return detailOf(record);
      return detailOf(await done);
    },
    'pipelines:runs': async ({ workspace, limit }) => recordsOf(await context.workspaces.at(workspace)).list(limit ?? 100),
    'pipelines:run-detail': async ({ workspace, id }) => detailOf(await recordsOf(await context.workspaces.at(workspace)).read(id)),
    'pipelines:export-github': async ({ workspace, out, branches, force }) => {
      const { exportGithubWorkflow } = await import('./export-github.ts');
      return exportGithubWorkflow(await context.workspaces.at(workspace), { out, branches, force });
    },
  };

  return {
    handlers,
    async close() {
      const running = [...active.values()];
      for (const run of running) context.jobs.cancel(run.workspace, run.jobId);
      await Promise.all(running.map((run) => run.done));
    },
  };
}

/** `20260101T120000Z-a1b2c3`: sorts by start time, and two runs in one second still differ. */
function newRunId(time: number): string {
  return `${new Date(time).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

function detailOf(record: PipelineRunRecord): PipelineRun {
  const { schemaVersion: _version, owner: _owner, ...run } = record;
  return structuredClone(run);
}
