import type { MetricValue } from '../../../shared/contract/runs.ts';
import { toLatheError } from '../errors.ts';
import type { TrackingStore } from '../tracking/tracking-store.ts';
import type { TrialOutcome } from './trial-trainer.ts';

/**
 * How a trial ended, read from its run: the run's own status once it has one (else the status its
 * trainer reported), its last value of each metric, and why it failed (the trainer's message, else
 * the run's `lathe.failure`). A run that cannot be read is a FAILED trial saying why.
 */
export function trialOutcome(tracking: TrackingStore, runId: string, status: TrialOutcome['status'], error: string | null): TrialOutcome {
  try {
    const run = tracking.getRun(runId);
    const metrics = Object.fromEntries(Object.entries(run.metrics).map(([key, point]) => [key, { value: numberOf(point.value), step: point.step }]));
    return { status: run.status === 'RUNNING' ? status : run.status, metrics, error: run.status === 'FAILED' ? (error ?? run.systemTags['lathe.failure'] ?? null) : null };
  } catch (thrown) {
    return { status: 'FAILED', metrics: {}, error: toLatheError(thrown).message };
  }
}

/** A metric value as a number (MLflow sends NaN and ±Infinity as strings). */
export function numberOf(value: MetricValue): number {
  return typeof value === 'number' ? value : Number(value);
}
