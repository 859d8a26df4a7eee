import type { LatheEvent } from '../../../shared/contract/calls.ts';
import type { ScriptRunEnd, ScriptStarted } from '../../../shared/contract/script-runs.ts';
import { fillPlaceholders, type ScriptTrain } from '../../../shared/contract/sweeps.ts';
import { toLatheError } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { TrackingStore } from '../tracking/tracking-store.ts';
import { numberOf, trialOutcome } from './trial-outcome.ts';
import type { TrialHandle, TrialTrainer } from './trial-trainer.ts';

export interface ScriptTrainerContext {
  workspace: string;
  train: ScriptTrain;
  experiment: string;
  /** Make a core call (scripts:start, scripts:wait, scripts:cancel) through the one dispatch. */
  call: (name: string, input: unknown) => Promise<unknown>;
  events: EventHub;
  tracking: TrackingStore;
}

/**
 * Trials of a script: each is a `scripts:start` of the command with the trial's values in its
 * `${param}` placeholders (a tracked run: what the script logs over MLflow lands in it), followed
 * through the `runs:metrics` events, stopped with `scripts:cancel` (its process tree; the run
 * ends KILLED) and awaited with `scripts:wait`. The trial's values are tags
 * (`lathe.sweep.param.<name>`), not params: the script logs its own params, and MLflow refuses a
 * param logged twice with two spellings of one value.
 */
export function scriptTrainer(context: ScriptTrainerContext): TrialTrainer {
  const { workspace, train, call, events, tracking } = context;
  return {
    async start(launch, watch) {
      const started = (await call('scripts:start', {
        workspace,
        command: fillPlaceholders(train.command, launch.params),
        ...(train.cwd ? { cwd: train.cwd } : {}),
        experiment: context.experiment,
        name: launch.runName,
      })) as ScriptStarted;
      const { runId } = started;
      const off = events.on((event: LatheEvent) => {
        if (event.name !== 'runs:metrics' || event.payload.runId !== runId) return;
        for (const point of event.payload.points) if (watch.keys.includes(point.key)) watch.onPoint(point.key, point.step, numberOf(point.value));
      });
      try {
        tracking.setTags(runId, { ...launch.tags, ...Object.fromEntries(Object.entries(launch.params).map(([name, value]) => [`lathe.sweep.param.${name}`, Array.isArray(value) ? value.join(',') : String(value)])) });
        for (const key of watch.keys) {
          const series = tracking.metricSeries(runId, key);
          for (let i = 0; i < series.values.length; i += 1) watch.onPoint(key, series.steps[i]!, series.values[i]!);
        }
      } catch {
        // the script ended (and its run with it) before it could be tagged: scripts:wait says how
      }
      const ended = (call('scripts:wait', { workspace, runId }) as Promise<ScriptRunEnd>).then(
        (end) => trialOutcome(tracking, runId, end.status, end.message),
        (thrown: unknown) => trialOutcome(tracking, runId, 'FAILED', toLatheError(thrown).message),
      );
      void ended.finally(off);
      const handle: TrialHandle = {
        runId,
        ended,
        async stop(reason) {
          try {
            tracking.setTags(runId, { 'lathe.stopped_by': reason });
            await call('scripts:cancel', { workspace, runId });
          } catch {
            // it ended meanwhile: nothing to stop
          }
        },
      };
      return handle;
    },
  };
}
