import type { Handlers } from '../dispatch.ts';
import type { EventHub } from '../events.ts';
import { failure } from '../errors.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import { trackingFor } from '../tracking/open-tracking.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { DEFAULT_SEED } from './model-spec.ts';
import type { TrainingContext } from './run-training.ts';
import { defaultTrainingWorkerUrl } from './training-worker-client.ts';

export interface TrainingCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
  jobs: JobRegistry;
  /** The training worker's entry file; the desktop app and the CLI's bundle pass their own. */
  trainingWorker?: URL | undefined;
  /** Where the WASM backend's .wasm files are, when not beside its script. */
  wasmDir?: string | undefined;
  /** Tests: the memory training may use. */
  memoryLimitBytes?: number | undefined;
}

export interface TrainingCalls {
  handlers: Handlers;
  /** Stop every run still training (each ends KILLED, with what it logged) and wait for them. */
  close(): Promise<void>;
}

/** Training: plan, start (a job), wait, reproduce and compare; and which backends this machine has. */
export function trainingCalls({ workspaces, events, jobs, trainingWorker, wasmDir, memoryLimitBytes }: TrainingCallsContext): TrainingCalls {
  const active = new Map<string, { workspace: string; jobId: string; settled: Promise<void> }>();
  const key = (workspace: string, runId: string) => `${workspace}\n${runId}`;
  const context: TrainingContext = {
    jobs,
    tracking: (workspace) => trackingFor(workspace, events),
    workerUrl: trainingWorker ?? defaultTrainingWorkerUrl(),
    wasmDir,
    memoryLimitBytes,
    remember(workspace, runId, job) {
      const settled = job.done.then(
        () => undefined,
        () => undefined,
      );
      active.set(key(workspace, runId), { workspace, jobId: job.id, settled });
      void settled.then(() => active.delete(key(workspace, runId)));
    },
  };

  /** A run's detail once this process has stopped training it. */
  const ended = async (workspace: Workspace, runId: string) => {
    await active.get(key(workspace.dir, runId))?.settled;
    const run = trackingFor(workspace, events).getRun(runId);
    if (run.status === 'RUNNING' || run.status === 'SCHEDULED') {
      throw failure('UNAVAILABLE', `Run ${runId} is ${run.status} in another Lathe process, so this one cannot wait for it.`, {
        hint: 'Follow it where it was started (its metrics appear on the Experiments page as they are logged), then ask again.',
        location: { field: 'runId' },
      });
    }
    return run;
  };

  const handlers: Handlers = {
    'training:plan': async ({ workspace, dataset, version, target, task, seed }) => {
      const [{ findVersion }, { planTraining }] = await Promise.all([import('../datasets/dataset-history.ts'), import('./training-plan.ts')]);
      const found = await findVersion(await workspaces.at(workspace), dataset, version);
      return planTraining(found.manifest, await found.profile(), { target, task, seed: seed ?? DEFAULT_SEED }).plan;
    },
    'training:start': async (input) => {
      const { startTraining } = await import('./run-training.ts');
      return startTraining(context, await workspaces.at(input.workspace), input);
    },
    'training:wait': async ({ workspace, runId }) => {
      const { trainingSummary } = await import('./training-summary.ts');
      return trainingSummary(await ended(await workspaces.at(workspace), runId));
    },
    'training:reproduce': async ({ workspace: path, runId, experiment, runName }) => {
      const [{ startTraining }, { reproductionInput }, { findVersion }] = await Promise.all([import('./run-training.ts'), import('./reproduction.ts'), import('../datasets/dataset-history.ts')]);
      const workspace = await workspaces.at(path);
      const original = trackingFor(workspace, events).getRun(runId);
      const input = reproductionInput(workspace.dir, original, { experiment, runName });
      const found = await findVersion(workspace, input.dataset, input.version);
      const recorded = original.datasets[0]!.contentHash;
      if (found.manifest.contentHash !== recorded) {
        throw failure('CONFLICT', `${input.dataset}@${found.manifest.version} now holds other bytes (${found.manifest.contentHash}) than run ${runId} trained on (${recorded}), so it cannot be reproduced.`, {
          location: { field: 'runId' },
        });
      }
      const started = await startTraining(context, workspace, input, { 'lathe.reproduces': runId });
      return { ...started, reproduces: runId };
    },
    'training:compare-reproduction': async ({ workspace: path, runId, originalRunId }) => {
      const { compareRuns } = await import('./reproduction.ts');
      const workspace = await workspaces.at(path);
      const reproduction = await ended(workspace, runId);
      const originalId = originalRunId ?? reproduction.systemTags['lathe.reproduces'];
      if (!originalId) {
        throw failure('INVALID_INPUT', `Run ${runId} is not a reproduction (it has no lathe.reproduces tag); name the run to compare it with.`, { location: { field: 'originalRunId' } });
      }
      return compareRuns(await ended(workspace, originalId), reproduction);
    },
    'app:doctor': async () => {
      const { doctor } = await import('./doctor.ts');
      return doctor(context.workerUrl, wasmDir);
    },
  };

  return {
    handlers,
    async close() {
      const running = [...active.values()];
      for (const run of running) jobs.cancel(run.workspace, run.jobId);
      await Promise.all(running.map((run) => run.settled));
    },
  };
}
