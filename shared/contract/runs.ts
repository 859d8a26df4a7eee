import { z } from 'zod';
import { defineCall, defineEvent } from './define.ts';
import { LatheError } from './result.ts';
import { oneLineText } from './text-fields.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * Experiment tracking, in MLflow's data model: experiments hold runs; a run has params
 * (write-once), metrics (append-only points), tags (last write wins), dataset inputs and
 * artifacts. The store is main/core/tracking; these are the calls the UI and the CLI make.
 */

/** MLflow's limits, kept so an MLflow client sees the same refusals here. */
export const trackingLimits = {
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 5000,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchItems: 1000,
} as const;

// MLflow's `^[/\w.\- ]*$`, with Python's Unicode-aware \w.
const KEY_CHARACTERS = /^[/\p{L}\p{N}\p{M}_.\- ]*$/u;

/**
 * Why a param, metric or tag key is refused, or null when it is fine. Keys may later name
 * files (MLflow's file store does), so a key must also be a path that normalises to itself.
 */
export function trackingKeyProblem(key: string): string | null {
  if (key.length === 0) return 'a key cannot be empty';
  if (key.length > trackingLimits.keyLength) return `a key is at most ${trackingLimits.keyLength} characters (this one has ${key.length})`;
  if (!KEY_CHARACTERS.test(key)) return 'a key may hold letters, digits, "_", "-", ".", "/" and spaces only';
  if (key.startsWith('/') || key.endsWith('/') || key.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    return 'a key cannot start or end with "/", nor hold an empty, "." or ".." part between slashes';
  }
  return null;
}

export const TrackingKey = z.string().superRefine((key, context) => {
  const problem = trackingKeyProblem(key);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

export const runStatuses = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export const RunStatus = z.enum(runStatuses);
export type RunStatus = z.infer<typeof RunStatus>;

export const Lifecycle = z.enum(['active', 'deleted']);
export type Lifecycle = z.infer<typeof Lifecycle>;

/** 32 lowercase hexadecimal digits, as MLflow's run ids. */
export const RunId = z.string().regex(/^[0-9a-f]{32}$/, 'a run id is 32 hexadecimal digits');
/** A whole number in a string, as MLflow's experiment ids ("0" is the Default experiment). */
export const ExperimentId = z.string().regex(/^(0|[1-9][0-9]{0,14})$/, 'an experiment id is a whole number, like "0" or "12"');
export const ExperimentName = oneLineText(500, 'an experiment name').min(1, 'an experiment name cannot be empty');
export const RunName = oneLineText(250, 'a run name');

/**
 * A metric value: a double. JSON has no NaN or infinities, so across the boundary those three
 * travel as the strings "NaN", "Infinity" and "-Infinity" (Electron's structured clone would
 * keep them, HTTP would turn them into null). `metricNumber` reads either form back.
 */
export const MetricValue = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);
export type MetricValue = z.infer<typeof MetricValue>;

export function encodeMetricValue(value: number): MetricValue {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

export function metricNumber(value: MetricValue): number {
  return typeof value === 'number' ? value : Number(value);
}

export const LatestMetric = z.object({ value: MetricValue, step: z.number().int(), timestamp: z.number().int() });
export type LatestMetric = z.infer<typeof LatestMetric>;

export const MetricPoint = z.object({ key: z.string(), step: z.number().int(), value: MetricValue, timestamp: z.number().int() });
export type MetricPoint = z.infer<typeof MetricPoint>;

/** A dataset a run read: Lathe's `name@version` with its `sha256:` hash, or an MLflow client's name and digest. */
export const DatasetInput = z.object({
  name: oneLineText(500, 'a dataset name').min(1),
  version: z.number().int().positive().nullable(),
  contentHash: oneLineText(200, 'a content hash').min(1),
});
export type DatasetInput = z.infer<typeof DatasetInput>;

/** Where a run ran: what training knows about its machine and libraries. Small, free-form beyond these fields. */
export const RunEnvironment = z.looseObject({
  backend: z.string().optional(),
  node: z.string().optional(),
  platform: z.string().optional(),
  cpu: z.string().optional(),
  gpu: z.string().nullable().optional(),
  libraries: z.record(z.string(), z.string()).optional(),
});
export type RunEnvironment = z.infer<typeof RunEnvironment>;

export const Experiment = z.object({
  id: ExperimentId,
  name: z.string(),
  createdAt: z.number().int(),
  lifecycle: Lifecycle,
  tags: z.record(z.string(), z.string()),
  /** Runs in it that are not deleted. */
  activeRuns: z.number().int().nonnegative(),
});
export type Experiment = z.infer<typeof Experiment>;

/** One run, small enough to list thousands: no per-point data. */
export const RunSummary = z.object({
  id: RunId,
  name: z.string(),
  experimentId: ExperimentId,
  experimentName: z.string(),
  status: RunStatus,
  /** Milliseconds since the epoch. */
  startTime: z.number().int(),
  endTime: z.number().int().nullable(),
  lifecycle: Lifecycle,
  params: z.record(z.string(), z.string()),
  /** The user's tags; Lathe's and MLflow's own (`lathe.*`, `mlflow.*`) are in RunDetail.systemTags. */
  tags: z.record(z.string(), z.string()),
  /** Each metric's latest point: the last by step, then timestamp (MLflow's latest_metrics). */
  metrics: z.record(z.string(), LatestMetric),
  datasets: z.array(DatasetInput),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunArtifact = z.object({ path: z.string(), contentHash: z.string(), bytes: z.number().int().nonnegative() });
export type RunArtifact = z.infer<typeof RunArtifact>;

export const RunDetail = RunSummary.extend({
  user: z.string(),
  /** The workspace's git commit when the run started. */
  gitCommit: z.string().nullable(),
  environment: RunEnvironment.nullable(),
  artifacts: z.array(RunArtifact),
  systemTags: z.record(z.string(), z.string()),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const RunSearchResult = z.object({
  runs: z.array(RunSummary),
  /** Present when more runs match: pass it back as pageToken for the next page. */
  nextPageToken: z.string().optional(),
  /** How many runs match, over all pages. */
  total: z.number().int().nonnegative(),
});
export type RunSearchResult = z.infer<typeof RunSearchResult>;

/** A metric's points in columns (three arrays of one length), sorted by step then timestamp. */
export const MetricHistory = z.object({
  key: z.string(),
  steps: z.array(z.number()),
  values: z.array(MetricValue),
  /** Empty when asked for without them (runs:metric-histories' withoutTimestamps). */
  timestamps: z.array(z.number()),
  /** How many points the run holds for this key; more than steps.length when downsampled. */
  stored: z.number().int().nonnegative(),
  downsampled: z.boolean(),
});
export type MetricHistory = z.infer<typeof MetricHistory>;

export const experimentsList = defineCall(
  'experiments:list',
  'Every experiment in the workspace, with how many runs each holds',
  z.object({ workspace: WorkspacePath, includeDeleted: z.boolean().optional() }),
  z.array(Experiment),
);

export const experimentsCreate = defineCall(
  'experiments:create',
  'Make a new experiment (a name already taken is refused)',
  z.object({
    workspace: WorkspacePath,
    name: ExperimentName,
    tags: z.record(TrackingKey, z.string().max(trackingLimits.tagValueLength)).optional(),
  }),
  Experiment,
);

export const runsSearch = defineCall(
  'runs:search',
  "Runs matching an MLflow-style filter (with OR and parentheses), ordered and paged",
  z.object({
    workspace: WorkspacePath,
    experimentIds: z.array(ExperimentId).max(1000).optional(),
    /** `metrics.acc > 0.9 AND (params.model = 'mlp' OR tags.stage = 'final')` */
    filter: z.string().max(10_000).optional(),
    /** `['metrics.val_accuracy DESC', 'attributes.start_time DESC']` */
    orderBy: z.array(z.string().max(1000)).max(10).optional(),
    maxResults: z.number().int().min(1).max(10_000).optional(),
    pageToken: z.string().max(200).optional(),
    includeDeleted: z.boolean().optional(),
  }),
  RunSearchResult,
);

export const runsGet = defineCall(
  'runs:get',
  'One run with its artifacts, environment and git commit',
  z.object({ workspace: WorkspacePath, runId: RunId }),
  RunDetail,
);

export const runsMetricHistory = defineCall(
  'runs:metric-history',
  "One metric's points; with maxPoints, at most that many, chosen to keep the curve's shape (LTTB)",
  z.object({ workspace: WorkspacePath, runId: RunId, key: TrackingKey, maxPoints: z.number().int().min(2).max(1_000_000).optional() }),
  MetricHistory,
);

/** One curve of a batch: its points, or why it could not be read (the others are still answered). */
export const BatchedHistory = z.union([
  MetricHistory.extend({ runId: RunId }),
  z.object({ runId: RunId, key: z.string(), error: LatheError }),
]);
export type BatchedHistory = z.infer<typeof BatchedHistory>;

export const runsMetricHistories = defineCall(
  'runs:metric-histories',
  'Many curves in one request (a comparison of 100 runs × 3 metrics is 300): each downsampled to maxPoints by LTTB',
  z.object({
    workspace: WorkspacePath,
    curves: z.array(z.object({ runId: RunId, key: TrackingKey })).min(1).max(3000, 'at most 3,000 curves in one request'),
    maxPoints: z.number().int().min(2).max(100_000).optional(),
    /** Leave out the timestamps (charts draw steps and values): a third less to send. */
    withoutTimestamps: z.boolean().optional(),
  }),
  z.array(BatchedHistory),
);

export const runsDelete = defineCall(
  'runs:delete',
  'Delete a run (softly: runs:restore brings it back; its data and artifacts are kept)',
  z.object({ workspace: WorkspacePath, runId: RunId }),
  RunSummary,
);

export const runsRestore = defineCall(
  'runs:restore',
  'Bring back a deleted run',
  z.object({ workspace: WorkspacePath, runId: RunId }),
  RunSummary,
);

export const runsChanged = defineEvent(
  'runs:changed',
  z.object({ workspace: WorkspacePath, runId: RunId, status: RunStatus, lifecycle: Lifecycle }),
);

/** Points just logged: at most one event per run per 250 ms, carrying every point since the last. */
export const runsMetrics = defineEvent(
  'runs:metrics',
  z.object({ workspace: WorkspacePath, runId: RunId, points: z.array(MetricPoint) }),
);

/** The most of an artifact runs:read-artifact gives as text; bigger ones are refused as TOO_LARGE. */
export const MAX_ARTIFACT_TEXT_BYTES = 5 * 1024 * 1024;

export const RunArtifactText = RunArtifact.extend({ text: z.string() });
export type RunArtifactText = z.infer<typeof RunArtifactText>;

export const runsReadArtifact = defineCall(
  'runs:read-artifact',
  "One of a run's artifacts as text (UTF-8, at most 5 MB; a binary file is refused), checked against its content hash",
  z.object({ workspace: WorkspacePath, runId: RunId, path: z.string().min(1).max(1000) }),
  RunArtifactText,
);
