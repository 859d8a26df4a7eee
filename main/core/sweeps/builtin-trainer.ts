import type { LatheEvent } from '../../../shared/contract/calls.ts';
import type { BuiltinTrain } from '../../../shared/contract/sweeps.ts';
import type { TrainingStarted, TrainingStartInput, TrainingSummary } from '../../../shared/contract/training.ts';
import { toLatheError } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { TrackingStore } from '../tracking/tracking-store.ts';
import { numberOf, trialOutcome } from './trial-outcome.ts';
import type { TrialHandle, TrialTrainer } from './trial-trainer.ts';

export interface BuiltinTrainerContext {
  workspace: string;
  train: BuiltinTrain;
  /** The dataset version every trial trains on (resolved when the sweep was created). */
  version: number;
  experiment: string;
  /** Make a core call (training:start, training:wait, jobs:cancel) through the one dispatch. */
  call: (name: string, input: unknown) => Promise<unknown>;
  events: EventHub;
  tracking: TrackingStore;
}

/**
 * Trials of the built-in models: each is a `training:start` (a job and a run, as the wizard's),
 * followed through the `runs:metrics` events, stopped with `jobs:cancel` (the run ends KILLED
 * with the epochs it finished) and awaited with `training:wait`.
 */
export function builtinTrainer(context: BuiltinTrainerContext): TrialTrainer {
  const { workspace, train, call, events, tracking } = context;
  return {
    async start(launch, watch) {
      const input: TrainingStartInput = {
        workspace,
        dataset: train.dataset,
        version: context.version,
        target: train.target,
        ...(train.task ? { task: train.task } : {}),
        model: train.model ?? 'mlp',
        ...train.fixed,
        ...launch.params,
        experiment: context.experiment,
        runName: launch.runName,
      } as TrainingStartInput;
      const started = (await call('training:start', input)) as TrainingStarted;
      const { runId, jobId } = started;
      tracking.setTags(runId, launch.tags);
      // Listen first, then read what was logged before: a point may come twice, none is missed.
      const off = events.on((event: LatheEvent) => {
        if (event.name !== 'runs:metrics' || event.payload.runId !== runId) return;
        for (const point of event.payload.points) if (watch.keys.includes(point.key)) watch.onPoint(point.key, point.step, numberOf(point.value));
      });
      for (const key of watch.keys) {
        const series = tracking.metricSeries(runId, key);
        for (let i = 0; i < series.values.length; i += 1) watch.onPoint(key, series.steps[i]!, series.values[i]!);
      }
      const ended = (call('training:wait', { workspace, runId }) as Promise<TrainingSummary>).then(
        (summary) => trialOutcome(tracking, runId, summary.status, summary.error?.message ?? null),
        (thrown: unknown) => trialOutcome(tracking, runId, 'FAILED', toLatheError(thrown).message),
      );
      void ended.finally(off);
      const handle: TrialHandle = {
        runId,
        ended,
        async stop(reason) {
          try {
            tracking.setTags(runId, { 'lathe.stopped_by': reason });
            await call('jobs:cancel', { workspace, jobId });
          } catch {
            // it ended meanwhile: nothing to stop
          }
        },
      };
      return handle;
    },
  };
}
