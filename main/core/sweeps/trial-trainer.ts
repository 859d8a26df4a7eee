import type { RunStatus } from '../../../shared/contract/runs.ts';
import type { TrialParams } from './search-space.ts';

/**
 * What the sweep controller needs of whatever trains a trial: start a run with the trial's
 * params and tags, hear its metric points as they are logged, stop it, and learn how it ended.
 * The built-in models' trainer (builtin-trainer.ts) makes training calls; tests inject one that
 * plays scripted metric curves.
 */
export interface TrialTrainer {
  start(launch: TrialLaunch, watch: MetricWatch): Promise<TrialHandle>;
}

export interface TrialLaunch {
  number: number;
  params: TrialParams;
  /** `lathe.sweep`, `lathe.sweep.trial`: set on the run. */
  tags: Record<string, string>;
  runName: string;
}

export interface MetricWatch {
  /** The metrics the controller follows (the sweep's, and the one early termination judges). */
  keys: readonly string[];
  /** Each point of those metrics, in step order per key; a point may come twice. */
  onPoint(key: string, step: number, value: number): void;
}

export interface TrialHandle {
  runId: string;
  /** Settles (never rejects) when the run has ended. */
  ended: Promise<TrialOutcome>;
  /** End the run KILLED, keeping what it logged, with `lathe.stopped_by=<reason>`; resolves once asked. */
  stop(reason: 'median' | 'hyperband' | 'cancel'): Promise<void>;
}

export interface TrialOutcome {
  status: RunStatus;
  /** The latest value (and its step) of each metric the run logged. */
  metrics: Record<string, { value: number; step: number }>;
  /** Why it FAILED, in a sentence. */
  error: string | null;
}
