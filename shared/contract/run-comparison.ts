import { z } from 'zod';
import { defineCall } from './define.ts';
import { MetricValue, RunId, RunStatus } from './runs.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * "Why did these runs differ?": params, data, code and environment of runs side by side, and
 * for each run after the first, what changed from the first, in sentences.
 */
const Cell = z.string().nullable();

export const ComparedRun = z.object({ id: RunId, name: z.string(), status: RunStatus, experimentName: z.string(), startTime: z.number().int() });

export const ComparedDataset = z.object({
  name: z.string(),
  version: z.number().int().positive().nullable(),
  contentHash: z.string(),
  /** From the workspace's history, when the version is one of its datasets. */
  rows: z.number().int().nonnegative().nullable(),
  columns: z.array(z.object({ name: z.string(), type: z.string() })).nullable(),
  /** The version's import message and time, from the workspace's history. */
  message: z.string().nullable(),
  importedAt: z.string().nullable(),
});
export type ComparedDataset = z.infer<typeof ComparedDataset>;

/** One dataset read by either run whose version or bytes differ between them. */
export const DataChange = z.object({
  name: z.string(),
  /** null: that run did not read this dataset. */
  before: ComparedDataset.nullable(),
  after: ComparedDataset.nullable(),
  /** Known only when both versions are in this workspace's history. */
  columnsAdded: z.array(z.string()),
  columnsRemoved: z.array(z.string()),
  typesChanged: z.array(z.object({ column: z.string(), before: z.string(), after: z.string() })),
});
export type DataChange = z.infer<typeof DataChange>;

export const RunComparison = z.object({
  runs: z.array(ComparedRun),
  /** Every param any run has, the differing ones first. */
  params: z.array(z.object({ key: z.string(), values: z.array(Cell), differs: z.boolean() })),
  /** Latest value of every metric any run has. */
  metrics: z.array(z.object({ key: z.string(), values: z.array(MetricValue.nullable()) })),
  /** Each run's dataset inputs. */
  data: z.array(z.array(ComparedDataset)),
  code: z.object({ commits: z.array(Cell), differs: z.boolean() }),
  environment: z.array(z.object({ key: z.string(), values: z.array(Cell), differs: z.boolean() })),
  /** For each run after the first: what differs from the first, one sentence a change. */
  changes: z.array(z.object({ runId: RunId, against: RunId, reasons: z.array(z.string()), data: z.array(DataChange) })),
});
export type RunComparison = z.infer<typeof RunComparison>;

export const runsCompare = defineCall(
  'runs:compare',
  'Runs side by side (params, data, code, environment) and, against the first, what changed',
  z.object({ workspace: WorkspacePath, runIds: z.array(RunId).min(2, 'compare at least two runs').max(100, 'compare at most 100 runs at once') }),
  RunComparison,
);
