import type { ColumnWindow, Interval, ReferenceInfo, ReferenceProfile, WindowSummary } from '../../../shared/contract/monitoring.ts';
import { estimateAccuracy, type CbpeModel } from '../../core/monitoring/stats/cbpe.ts';
import type { OpenWindow, WindowRow } from './open-window.ts';
import { judgeWindowSteps, type WindowDrift } from './window-drift.ts';
import { sliceColumnsOf, taskOf, windowPerformance, type LabelledRow } from './window-performance.ts';

/**
 * A window's summary, what the app fetches instead of raw rows: drift per input column and for
 * the predictions against the training reference of the version that answered most of its rows,
 * the dataset's verdict, accuracy (or RMSE/MAE) from the labels that have arrived, CBPE's
 * estimate from the probabilities, latency and errors. With no reference for that version, no
 * drift is judged: every column says why.
 */
export interface WindowInput {
  model: string;
  window: OpenWindow;
  /** null while it is open. */
  endedAt: number | null;
  reference: { profile: ReferenceProfile; cbpe: CbpeModel | null } | null;
  /** Why there is no reference (the sentence each column's drift gives as its reason). */
  referenceProblem: string;
  minRows: number;
  labelled: readonly LabelledRow[];
}

export function summariseWindow(input: WindowInput): WindowSummary {
  return finish(summariseWindowSteps(input, () => input.labelled));
}

/** Runs steps to their end. */
export function finish<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The summary a column at a time (the hub runs one step per turn of the event loop, so closing a
 * window of many columns never holds up the requests behind it); the labels are read at the end.
 */
export function* summariseWindowSteps(input: Omit<WindowInput, 'labelled'>, labelled: () => readonly LabelledRow[]): Generator<void, WindowSummary> {
  const { window, reference } = input;
  const profile = reference?.profile ?? null;
  const drift = sayIfSampled(window, yield* judgeWindowSteps(window.sample, profile, input.minRows, input.referenceProblem));
  const task = taskOf(profile, window.sample[0]?.predicted);
  const performance = windowPerformance(labelled(), task, sliceColumnsOf(profile, window.sample));
  const estimate = reference?.cbpe && profile?.task.kind === 'classification' ? accuracyEstimate(reference.cbpe, profile.task.classes, window.sample) : null;
  return {
    model: input.model,
    index: window.index,
    startedAt: new Date(window.startedAt).toISOString(),
    endedAt: input.endedAt === null ? null : new Date(input.endedAt).toISOString(),
    rows: window.rows,
    versions: Object.fromEntries(window.versions),
    reference: profile && referenceInfo(profile),
    ...drift,
    performance: { ...performance, estimate },
    latency: { p50Ms: percentile(window.latencies, 0.5), p99Ms: percentile(window.latencies, 0.99) },
    errors: window.errors,
  };
}

/** A time window's drift is judged on its reservoir when it saw more rows than it holds: each judged column says so. */
function sayIfSampled(window: OpenWindow, drift: WindowDrift): WindowDrift {
  if (!window.sampled) return drift;
  const note = `judged on a uniform sample of ${window.sample.length} of the window's ${window.rows} rows (a time window holds at most ${window.capacity} in memory)`;
  const said = (column: ColumnWindow): ColumnWindow =>
    column.drift.verdict === 'not-enough-data' ? column : { ...column, drift: { ...column.drift, reason: column.drift.reason ? `${column.drift.reason}; ${note}` : note } };
  return { ...drift, features: drift.features.map(said), prediction: drift.prediction && said(drift.prediction) };
}

export function referenceInfo(profile: ReferenceProfile): ReferenceInfo {
  return { model: profile.model, version: profile.version, dataset: profile.dataset, datasetRows: profile.datasetRows, createdAt: profile.createdAt };
}

/** CBPE over the rows whose prediction is one of the reference's classes and that carry a probability for each. */
function accuracyEstimate(model: CbpeModel, classes: readonly string[], rows: readonly WindowRow[]): Interval | null {
  if (classes.length !== model.classes) return null;
  const probabilities: number[][] = [];
  const predicted: number[] = [];
  for (const row of rows) {
    const index = classes.indexOf(String(row.predicted));
    if (index < 0 || !row.probabilities) continue;
    const given = row.probabilities;
    const per = classes.map((name) => given[name]);
    if (per.some((p) => typeof p !== 'number' || !(p >= 0 && p <= 1))) continue;
    probabilities.push(per as number[]);
    predicted.push(index);
  }
  const estimate = estimateAccuracy(model, { probabilities, predicted });
  return estimate && { value: estimate.estimate, low: estimate.low, high: estimate.high };
}

/** Nearest-rank percentile; null with no values. */
function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
