import type { LatheError } from '../../../shared/contract/result.ts';
import type { Sweep, SweepMetric, Trial } from '../../../shared/contract/sweeps.ts';
import { toLatheError } from '../errors.ts';
import { EarlyTermination } from './early-termination.ts';
import type { TrialParams } from './search-space.ts';
import type { TrialHandle, TrialOutcome, TrialTrainer } from './trial-trainer.ts';

/** A sweep's progress events carry every trial: while only metrics move, at most one per this many ms. */
export const METRIC_EVENT_MS = 250;

export interface SweepDrive {
  trainer: TrialTrainer;
  /** The metric early termination judges (the sweep's own when it is logged every epoch). */
  watched: SweepMetric;
  /** Persist the sweep as it is now (atomically); a failure here stops the sweep. */
  save(sweep: Sweep): Promise<void>;
  /** Tell the front doors. */
  emit(sweep: Sweep): void;
  /** Aborted: cancel the sweep (its running trials end KILLED, stopped_by cancel). */
  signal: AbortSignal;
  now(): number;
}

/**
 * Run a sweep's planned trials, at most `parallel` at once, until every planned trial has run
 * or the sweep is cancelled:
 *
 *   while trials remain and fewer than `parallel` run → start the next (an ordinary run,
 *     tagged lathe.sweep=<id>); follow its metric points
 *   each point of the watched metric → early termination may stop that trial (KILLED,
 *     lathe.stopped_by=median|hyperband, its points kept)
 *   a trial ends → record its status and final metric, update the best, start the next
 *
 * A trial that cannot start (the dataset is gone, the disk is full) fails the sweep: the cause
 * would fail every later trial too. The sweep record is saved whenever a trial starts, stops or ends, so a restart
 * finds it; saving failing (a full disk) stops the sweep too. `sweep` is updated in place.
 */
export async function runSweep(sweep: Sweep, planned: readonly TrialParams[], drive: SweepDrive): Promise<Sweep> {
  const { trainer, signal } = drive;
  const early = sweep.spec.earlyTerminate ? new EarlyTermination(sweep.spec.earlyTerminate, drive.watched.goal) : null;
  const running = new Map<number, { handle: TrialHandle | null; settled: Promise<void> }>();
  const saver = coalescingSaver(drive.save);
  let problem: LatheError | null = null;

  let metricToldAt = -Infinity;
  /**
   * Tell the front doors, and save. A trial's start (before its run exists) is told, not saved; a
   * metric point is told at most every METRIC_EVENT_MS (a trial's end tells its last value) and
   * never saved on its own: the record changes when a trial starts, stops or ends.
   */
  const changed = (what: 'trial' | 'starting' | 'metric' = 'trial') => {
    refreshSummary(sweep);
    if (what === 'metric') {
      if (drive.now() - metricToldAt < METRIC_EVENT_MS) return;
      metricToldAt = drive.now();
    }
    drive.emit(structuredClone(sweep));
    if (what === 'trial') void saver.save(structuredClone(sweep)).catch((thrown: unknown) => stopAll(toLatheError(thrown)));
  };
  const stopAll = (error: LatheError | null) => {
    problem ??= error;
    for (const [number, entry] of running) {
      const trial = trialOf(sweep, number);
      if (entry.handle && trial.status === 'RUNNING' && trial.stoppedBy === null) {
        trial.stoppedBy = 'cancel';
        void entry.handle.stop('cancel');
      }
    }
  };
  const onAbort = () => stopAll(null);
  signal.addEventListener('abort', onAbort);

  /** Start a trial (without waiting for it to start: trials start side by side), and follow it to its end. */
  const launch = (number: number, params: TrialParams): void => {
    const trial: Trial = { number, runId: null, params, status: 'RUNNING', stoppedBy: null, metric: null, step: null, error: null };
    sweep.trials.push(trial);
    const entry: { handle: TrialHandle | null; settled: Promise<void> } = { handle: null, settled: Promise.resolve() };
    running.set(number, entry);
    changed('starting'); // counted as running at once
    const follow = async () => {
      let handle: TrialHandle;
      try {
        handle = await trainer.start(
          { number, params, tags: { 'lathe.sweep': sweep.id, 'lathe.sweep.trial': String(number) }, runName: `${sweep.name} #${number}` },
          {
            keys: [...new Set([sweep.metric.name, drive.watched.name])],
            onPoint: (key, step, value) => {
              if (trial.status !== 'RUNNING') return;
              if (key === sweep.metric.name && (trial.step === null || step >= trial.step)) {
                trial.metric = value;
                trial.step = step;
                changed('metric');
              }
              if (key === drive.watched.name && early?.observe(number, step, value) && trial.stoppedBy === null) {
                trial.stoppedBy = sweep.spec.earlyTerminate!.type;
                changed();
                if (entry.handle) void entry.handle.stop(trial.stoppedBy); // else: once it has started, below
              }
            },
          },
        );
      } catch (thrown) {
        trial.status = 'FAILED';
        trial.error = toLatheError(thrown).message;
        stopAll(toLatheError(thrown));
        return;
      }
      entry.handle = handle;
      trial.runId = handle.runId;
      if ((signal.aborted || problem) && trial.stoppedBy === null) trial.stoppedBy = 'cancel';
      if (trial.stoppedBy) void handle.stop(trial.stoppedBy);
      changed();
      settleTrial(trial, await handle.ended, sweep.metric.name);
      early?.ended(number);
    };
    entry.settled = follow().finally(() => {
      running.delete(number);
      changed();
    });
  };

  try {
    let next = 0;
    while (true) {
      while (!signal.aborted && problem === null && running.size < sweep.parallel && next < planned.length) {
        next += 1;
        launch(next, planned[next - 1]!);
      }
      if (running.size === 0) break;
      await Promise.race([...running.values()].map((entry) => entry.settled));
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  sweep.status = problem ? 'failed' : signal.aborted ? 'cancelled' : 'finished';
  sweep.error = problem;
  sweep.endedAt = new Date(drive.now()).toISOString();
  refreshSummary(sweep);
  try {
    await saver.save(structuredClone(sweep));
  } catch (thrown) {
    // The disk failed (now or earlier): say so in the answer; a restart reads the record as interrupted.
    sweep.status = 'failed';
    sweep.error ??= toLatheError(thrown);
  }
  drive.emit(structuredClone(sweep));
  return sweep;
}

function trialOf(sweep: Sweep, number: number): Trial {
  return sweep.trials.find((trial) => trial.number === number)!;
}

function settleTrial(trial: Trial, outcome: TrialOutcome, metric: string): void {
  trial.status = outcome.status === 'RUNNING' || outcome.status === 'SCHEDULED' ? 'FAILED' : outcome.status;
  const final = outcome.metrics[metric];
  if (final) {
    trial.metric = final.value;
    trial.step = final.step;
  }
  if (trial.status !== 'KILLED') trial.stoppedBy = null;
  trial.error = outcome.error;
}

/** Counts and the best trial, from the trials. The best is the best FINISHED trial (a stopped one never completed). */
export function refreshSummary(sweep: Sweep): void {
  const counts = { running: 0, finished: 0, stopped: 0, failed: 0 };
  let best: Sweep['best'] = null;
  const better = sweep.metric.goal === 'minimize' ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
  for (const trial of sweep.trials) {
    if (trial.status === 'RUNNING') counts.running += 1;
    else if (trial.status === 'FINISHED') counts.finished += 1;
    else if (trial.status === 'KILLED') counts.stopped += 1;
    else counts.failed += 1;
    if (trial.status === 'FINISHED' && trial.runId && trial.metric !== null && Number.isFinite(trial.metric) && (best === null || better(trial.metric, best.metric))) {
      best = { number: trial.number, runId: trial.runId, metric: trial.metric, params: trial.params };
    }
  }
  sweep.counts = counts;
  sweep.best = best;
}

/** Saves one at a time; while one is under way, later snapshots wait and only the newest is written. */
function coalescingSaver(save: (sweep: Sweep) => Promise<void>) {
  let pending: Sweep | null = null;
  let current: Promise<void> = Promise.resolve();
  let failed: unknown = null;
  const pump = async (): Promise<void> => {
    while (pending) {
      const next = pending;
      pending = null;
      await save(next);
    }
  };
  return {
    save(snapshot: Sweep): Promise<void> {
      if (failed) return Promise.reject(failed);
      const idle = pending === null;
      pending = snapshot;
      if (idle) {
        current = current.then(pump).catch((thrown: unknown) => {
          failed = thrown;
          pending = null;
          throw thrown;
        });
      }
      return current;
    },
  };
}
