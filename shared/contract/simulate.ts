import { z } from 'zod';
import { defineCall } from './define.ts';
import { DatasetName } from './datasets.ts';
import { DeploymentName } from './monitoring.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * Simulated traffic (issue 10): send a dataset version's rows to a deployment as real v2 inference
 * requests, paced at a rate for a duration, with drift injected into chosen columns, and send each
 * request's true label to the feedback endpoint some seconds later — so drift and accuracy
 * monitoring can be seen working before real traffic arrives. It runs as a job (listed, followed,
 * cancelled from any window).
 */

/** Requests per second above this are refused: one core's loop cannot pace them evenly. */
export const MAX_SIMULATE_RATE = 2000;
/** A simulation runs at most an hour; run another for more. */
export const MAX_SIMULATE_SECONDS = 3600;
/** Labels are sent at most this long after their request. */
export const MAX_LABEL_DELAY_SECONDS = 86_400;
export const MAX_DRIFTS = 50;

const DriftColumn = z.string().min(1, 'name the column to drift').max(200, 'a column name is at most 200 characters');

/** What to do to one input column of every request: numbers +shift or ×scale; categories A>B. */
export const InjectedDrift = z.discriminatedUnion('kind', [
  z.strictObject({ column: DriftColumn, kind: z.literal('shift'), by: z.number().finite() }),
  z.strictObject({ column: DriftColumn, kind: z.literal('scale'), by: z.number().finite() }),
  z.strictObject({ column: DriftColumn, kind: z.literal('categories'), from: z.string().max(1000), to: z.string().max(1000) }),
]);
export type InjectedDrift = z.infer<typeof InjectedDrift>;

export const SimulateTrafficInput = z.object({
  workspace: WorkspacePath,
  /** TARGET/MODEL, as `lathe targets list` and the deploy output name it. */
  deployment: DeploymentName,
  /** The dataset version whose rows are sent (penguins@3): its target column gives the labels. */
  dataset: DatasetName,
  version: z.number().int().positive(),
  /** Requests per second, evenly spaced. */
  rate: z.number().gt(0, 'the rate is requests per second, more than 0').max(MAX_SIMULATE_RATE, `the rate is at most ${MAX_SIMULATE_RATE} requests per second`).default(20),
  /** Seconds to send for. */
  duration: z
    .number()
    .gt(0, 'the duration is in seconds, more than 0')
    .max(MAX_SIMULATE_SECONDS, `a simulation sends for at most ${MAX_SIMULATE_SECONDS} s (an hour); run another one for more`)
    .default(60),
  drift: z.array(InjectedDrift).max(MAX_DRIFTS, `at most ${MAX_DRIFTS} drifts`).default([]),
  /** Seconds after each request to send its true label; null: send no labels. */
  labelsAfter: z.number().min(0).max(MAX_LABEL_DELAY_SECONDS, `labels are sent at most ${MAX_LABEL_DELAY_SECONDS} s (a day) after their request`).nullable().default(null),
  /** The share of labels replaced by another class (classifiers) or perturbed (regressors). */
  labelNoise: z.number().min(0).max(1).default(0),
  /** The same seed sends the same rows, drift and noise. */
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  /** Wait for the simulation to end (the CLI); otherwise return once it started (the app follows the job). */
  wait: z.boolean().optional(),
});
export type SimulateTrafficInput = z.input<typeof SimulateTrafficInput>;

const Counts = z.record(z.string(), z.number().int().nonnegative());

export const SimulationResult = z.object({
  jobId: z.string(),
  deployment: DeploymentName,
  /** The dataset version sent, NAME@V. */
  dataset: z.string(),
  /** The target column whose values were sent as labels; null for a model without one. */
  labelColumn: z.string().nullable(),
  status: z.enum(['running', 'finished', 'cancelled', 'failed']),
  rate: z.number(),
  duration: z.number(),
  /** Requests due in the duration (rate × duration). */
  planned: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  ok: z.number().int().nonnegative(),
  /** Failed requests by HTTP status ("timeout" or "unreachable" when none came back). */
  failed: Counts,
  labelsSent: z.number().int().nonnegative(),
  labelsAccepted: z.number().int().nonnegative(),
  /** Refused labels by HTTP status. */
  labelsRefused: Counts,
  /** What was injected, with how many values each drift changed. */
  drift: z.array(z.object({ drift: InjectedDrift, description: z.string(), changed: z.number().int().nonnegative() })),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
export type SimulationResult = z.infer<typeof SimulationResult>;

export const simulateTraffic = defineCall(
  'simulate:traffic',
  "Send a dataset version's rows to a deployment as inference requests (paced, with drift injected) and their true labels later, as a job",
  SimulateTrafficInput,
  SimulationResult,
);

/**
 * `--drift COLUMN:shift=X|scale=X|categories=A>B`, as the CLI and the dialog read it. The column
 * is everything before the last `:shift=`, `:scale=` or `:categories=` (a column name may hold
 * colons); a category is split from its replacement at the first `>`.
 */
export function readDriftText(text: string): { drift: InjectedDrift } | { problem: string } {
  const usage = 'write COLUMN:shift=X, COLUMN:scale=X or COLUMN:categories=A>B';
  const match = /^(.+):(shift|scale|categories)=(.*)$/s.exec(text);
  if (!match) {
    const colon = text.lastIndexOf(':');
    if (colon <= 0) return { problem: `"${text}" names no column: ${usage}` };
    return { problem: `"${text}": "${text.slice(colon + 1).split('=')[0]}" is not a drift; ${usage}` };
  }
  const [, column, kind, value] = match as unknown as [string, string, 'shift' | 'scale' | 'categories', string];
  if (kind === 'categories') {
    const arrow = value.indexOf('>');
    if (arrow < 0) return { problem: `"${text}": categories= takes FROM>TO, like categories=Biscoe>Dream` };
    return { drift: { column, kind, from: value.slice(0, arrow), to: value.slice(arrow + 1) } };
  }
  const by = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(by)) return { problem: `"${text}": ${kind}= takes a number, not "${value}"` };
  return { drift: { column, kind, by } };
}

/** A drift as the --drift flag writes it: `tenure:shift=12`. */
export function driftText(drift: InjectedDrift): string {
  return drift.kind === 'categories' ? `${drift.column}:categories=${drift.from}>${drift.to}` : `${drift.column}:${drift.kind}=${drift.by}`;
}

export function describeDrift(drift: InjectedDrift): string {
  if (drift.kind === 'shift') return `${drift.column} ${drift.by < 0 ? '−' : '+'}${Math.abs(drift.by)}`;
  if (drift.kind === 'scale') return `${drift.column} ×${drift.by}`;
  return `${drift.column}: ${drift.from} → ${drift.to}`;
}
