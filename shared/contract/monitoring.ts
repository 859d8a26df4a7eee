import { z } from 'zod';
import { defineCall, defineEvent } from './define.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * Watching live models (issue 10): the serving agent records every prediction (or a sample) and
 * the labels that arrive later, keeps per-window summaries, and judges each window against the
 * model's training reference (the dataset version it was trained on) as Evidently does by default.
 * The app fetches those summaries — never raw rows — keeps them in the workspace database, and
 * shows them per deployment.
 *
 * The agent's side (admin token, as the rest of /admin):
 *   PUT  /admin/models/{name}/reference       ReferenceProfile → { reference: ReferenceInfo }
 *   PUT  /admin/models/{name}/monitoring      MonitoringSettingsPatch → MonitoringSettings
 *   GET  /admin/monitoring/{name}[?after=N]   MonitoringState (windows with index > N; default the last 50)
 *   POST /v2/models/{name}/feedback           (no token) the label of a request, joined however late
 * and on /metrics: lathe_drift_score, lathe_drift_detected, lathe_dataset_drift_share,
 * lathe_accuracy, lathe_accuracy_estimate, lathe_predictions_recorded_total,
 * lathe_predictions_dropped_total{reason}.
 */

// ---------------------------------------------------------------------------------------------
// Names

/** A deployment is named TARGET/MODEL everywhere (edge-1/churn): the target's name and the serving name. */
export const DeploymentName = z
  .string()
  .max(130)
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,63}\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'name a deployment TARGET/MODEL, like edge-1/churn (the target as `lathe targets list` shows it, then the model)',
  );
export type DeploymentName = z.infer<typeof DeploymentName>;

export function deploymentName(target: string, model: string): DeploymentName {
  return `${target}/${model}`;
}

export function splitDeploymentName(name: DeploymentName): { target: string; model: string } {
  const slash = name.indexOf('/');
  return { target: name.slice(0, slash), model: name.slice(slash + 1) };
}

// ---------------------------------------------------------------------------------------------
// The training reference, built by the app at deploy time and sent to the agent

/** Reference rows at or below this are judged with statistical tests (KS, chi-square); above it with distances. */
export const SMALL_REFERENCE_ROWS = 1000;

export const NumericReference = z.object({
  kind: z.literal('numeric'),
  name: z.string(),
  /** Non-missing reference values (the true count, also when `values` is a sketch). */
  rows: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  /** Distinct values seen, counted up to 1000 (Evidently treats ≤ 5 distinct as categorical). */
  distinct: z.number().int().nonnegative(),
  mean: z.number(),
  /** Population standard deviation (numpy's default, ddof 0). */
  std: z.number(),
  min: z.number(),
  max: z.number(),
  /** Every value, sorted, when `exact`; else evenly spaced quantile points of the reference. */
  values: z.array(z.number()),
  exact: z.boolean(),
  /**
   * The quantile levels (0 … 1, ascending, one per value) when `values` are quantile points that
   * are not evenly spaced (stats/sketch-column.ts adds levels toward both tails); absent or null:
   * evenly spaced.
   */
  levels: z.array(z.number().min(0).max(1)).nullable().optional(),
});
export type NumericReference = z.infer<typeof NumericReference>;

export const CategoricalReference = z.object({
  kind: z.literal('categorical'),
  name: z.string(),
  rows: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  /** Rows per category (at most 1000 categories; the rest counted under "(other)"). */
  counts: z.record(z.string(), z.number().int().nonnegative()),
});
export type CategoricalReference = z.infer<typeof CategoricalReference>;

export const ColumnReference = z.discriminatedUnion('kind', [NumericReference, CategoricalReference]);
export type ColumnReference = z.infer<typeof ColumnReference>;

export const ModelTask = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('classification'), classes: z.array(z.string()).min(1) }),
  z.object({ kind: z.literal('regression') }),
]);
export type ModelTask = z.infer<typeof ModelTask>;

/** What a model version is judged against: its training data, column by column, and its own test predictions. */
export const ReferenceProfile = z.object({
  schemaVersion: z.literal(1),
  /** Registry model name and version. */
  model: z.string(),
  version: z.number().int().positive(),
  /** The dataset version it was trained on: penguins@3. */
  dataset: z.string(),
  datasetRows: z.number().int().nonnegative(),
  createdAt: z.string(),
  task: ModelTask,
  /** The input columns (features), in signature order. */
  features: z.array(ColumnReference),
  /** The model's predictions on its test split (the prediction-drift reference); null when the run kept none. */
  prediction: ColumnReference.nullable(),
  /**
   * Confidence-based performance estimation fitted on the test split's probabilities and labels
   * (main/core/monitoring/stats/cbpe.ts's CbpeModel, as JSON); null for regressors or without probabilities.
   */
  cbpe: z.unknown().nullable(),
  /** The test split's accuracy (classifiers) or RMSE (regressors), to compare live numbers with. */
  testMetric: z.object({ name: z.enum(['accuracy', 'rmse']), value: z.number() }).nullable(),
});
export type ReferenceProfile = z.infer<typeof ReferenceProfile>;

export const ReferenceInfo = z.object({
  model: z.string(),
  version: z.number().int().positive(),
  dataset: z.string(),
  datasetRows: z.number().int().nonnegative(),
  createdAt: z.string(),
});
export type ReferenceInfo = z.infer<typeof ReferenceInfo>;

// ---------------------------------------------------------------------------------------------
// How the agent records and windows

export const WindowSpec = z.discriminatedUnion('kind', [
  /** A window closes after this many recorded predictions. */
  z.strictObject({ kind: z.literal('count'), rows: z.number().int().min(10).max(1_000_000) }),
  /** A window closes every this many seconds (aligned to the clock). */
  z.strictObject({ kind: z.literal('time'), seconds: z.number().int().min(1).max(7 * 86_400) }),
]);
export type WindowSpec = z.infer<typeof WindowSpec>;

export const MonitoringSettings = z.strictObject({
  /** Record this share of predictions (1: all); the rest are counted as sampled out. */
  sampleRate: z.number().gt(0).max(1).default(1),
  window: WindowSpec.default({ kind: 'count', rows: 500 }),
  /** A window with fewer non-missing values than this in a column is "not enough data" for it. */
  minRows: z.number().int().min(1).max(100_000).default(30),
  /** Recorded predictions older than this are deleted (labels arriving after it find nothing). */
  retentionDays: z.number().min(0.01).max(3650).default(30),
  /** The prediction store's cap on disk; the oldest records go first when it is reached. */
  maxStoreBytes: z.number().int().min(1024 * 1024).max(1024 ** 4).default(1024 ** 3),
});
export type MonitoringSettings = z.infer<typeof MonitoringSettings>;
export type MonitoringSettingsInput = z.input<typeof MonitoringSettings>;

/** A change to some settings: what is left out stays as it is (no defaults filled in). */
export const MonitoringSettingsPatch = z.strictObject({
  sampleRate: z.number().gt(0).max(1).optional(),
  window: WindowSpec.optional(),
  minRows: z.number().int().min(1).max(100_000).optional(),
  retentionDays: z.number().min(0.01).max(3650).optional(),
  maxStoreBytes: z.number().int().min(1024 * 1024).max(1024 ** 4).optional(),
});
export type MonitoringSettingsPatch = z.infer<typeof MonitoringSettingsPatch>;

// ---------------------------------------------------------------------------------------------
// What the agent reports

export const DRIFT_METHODS = ['ks', 'chisquare', 'z', 'wasserstein', 'jensenshannon', 'psi'] as const;
export const DriftVerdict = z.enum(['drift', 'no-drift', 'not-enough-data']);
export type DriftVerdict = z.infer<typeof DriftVerdict>;

export const ColumnDrift = z.object({
  method: z.enum(DRIFT_METHODS),
  score: z.number(),
  threshold: z.number(),
  /** true: the score is a p-value (drift when below the threshold); false: a distance (drift at or above it). */
  pValue: z.boolean(),
  verdict: DriftVerdict,
  /** Why, when the verdict is not-enough-data (or the column could not be judged). */
  reason: z.string().nullable(),
});
export type ColumnDrift = z.infer<typeof ColumnDrift>;

/** Reference and current shares over the same bins (numbers) or categories, for the overlay chart. */
export const Distribution = z.object({
  /** Bin edges (numbers: bins + 1 edges) or category names. */
  bins: z.union([z.array(z.number()), z.array(z.string())]),
  reference: z.array(z.number()),
  current: z.array(z.number()),
});
export type Distribution = z.infer<typeof Distribution>;

export const ColumnWindow = z.object({
  name: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  rows: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  mean: z.number().nullable(),
  drift: ColumnDrift,
  distribution: Distribution,
});
export type ColumnWindow = z.infer<typeof ColumnWindow>;

export const Interval = z.object({ value: z.number(), low: z.number(), high: z.number() });
export type Interval = z.infer<typeof Interval>;

export const SliceMetric = z.object({
  /** column=value, for the categorical inputs with few categories. */
  slice: z.string(),
  labelled: z.number().int().nonnegative(),
  metric: Interval.nullable(),
});

export const WindowPerformance = z.object({
  /** Predictions of the window whose label has arrived (so far: late labels raise it). */
  labelled: z.number().int().nonnegative(),
  /** Classifiers: accuracy with its 95 % Wilson interval; null with no labels yet. */
  accuracy: Interval.nullable(),
  /** Regressors: RMSE and MAE with their 95 % intervals. */
  rmse: Interval.nullable(),
  mae: Interval.nullable(),
  slices: z.array(SliceMetric),
  /** Before labels arrive: the accuracy estimated from calibrated probabilities (CBPE), with its band. */
  estimate: Interval.nullable(),
});
export type WindowPerformance = z.infer<typeof WindowPerformance>;

export const DatasetDrift = z.object({
  drifted: z.number().int().nonnegative(),
  judged: z.number().int().nonnegative(),
  share: z.number().min(0).max(1),
  verdict: DriftVerdict,
});

export const WindowSummary = z.object({
  model: z.string(),
  /** 0, 1, 2 … per model on this agent. */
  index: z.number().int().nonnegative(),
  startedAt: z.string(),
  /** null while the window is open. */
  endedAt: z.string().nullable(),
  /** Recorded predictions in it, per serving version. */
  rows: z.number().int().nonnegative(),
  versions: z.record(z.string(), z.number().int().nonnegative()),
  /** The reference it was judged against; null when the agent has none for the version (then no drift is judged). */
  reference: ReferenceInfo.nullable(),
  features: z.array(ColumnWindow),
  prediction: ColumnWindow.nullable(),
  dataset: DatasetDrift,
  performance: WindowPerformance,
  latency: z.object({ p50Ms: z.number().nullable(), p99Ms: z.number().nullable() }),
  errors: z.number().int().nonnegative(),
});
export type WindowSummary = z.infer<typeof WindowSummary>;

export const DROP_REASONS = ['store-full', 'disk-error', 'queue-full'] as const;
export const RecorderStats = z.object({
  recorded: z.number().int().nonnegative(),
  sampledOut: z.number().int().nonnegative(),
  dropped: z.number().int().nonnegative(),
  droppedBy: z.record(z.enum(DROP_REASONS), z.number().int().nonnegative()),
  labelled: z.number().int().nonnegative(),
  storeBytes: z.number().int().nonnegative(),
  oldestAt: z.string().nullable(),
  /** The last store failure, in a sentence (null when healthy). */
  problem: z.string().nullable(),
});
export type RecorderStats = z.infer<typeof RecorderStats>;

export const DetectorState = z.object({
  state: z.enum(['stable', 'warning', 'drift']),
  /** Labelled predictions seen by the detector. */
  seen: z.number().int().nonnegative(),
  /** When it last signalled drift (null: never). */
  lastDriftAt: z.string().nullable(),
});
export const ConceptDrift = z.object({ ddm: DetectorState, adwin: DetectorState });
export type ConceptDrift = z.infer<typeof ConceptDrift>;

/** GET /admin/monitoring/{name}. */
export const MonitoringState = z.object({
  model: z.string(),
  settings: MonitoringSettings,
  reference: ReferenceInfo.nullable(),
  /** Why there is no reference, or why it cannot be used, in a sentence. */
  referenceProblem: z.string().nullable(),
  recorder: RecorderStats,
  concept: ConceptDrift,
  /** Oldest first; the open window last. */
  windows: z.array(WindowSummary),
});
export type MonitoringState = z.infer<typeof MonitoringState>;

// ---------------------------------------------------------------------------------------------
// The app's calls

export const MonitoringReport = MonitoringState.omit({ model: true }).extend({
  deployment: DeploymentName,
  target: z.string(),
  model: z.string(),
  /** The version serving now (stable). */
  version: z.string().nullable(),
  /** true when the agent could not be asked and this comes from what the workspace kept. */
  stale: z.boolean(),
  problem: z.string().nullable(),
  fetchedAt: z.string(),
});
export type MonitoringReport = z.infer<typeof MonitoringReport>;

const WindowChoice = z.union([z.literal('latest'), z.number().int().nonnegative()]);

export const monitoringReport = defineCall(
  'monitoring:report',
  "A deployment's drift per feature (method, score, threshold, verdict), prediction drift, accuracy or its estimate and the recorder's health, live from its agent",
  z.object({ workspace: WorkspacePath, deployment: DeploymentName, window: WindowChoice.default('latest'), windows: z.number().int().min(1).max(500).default(50) }),
  MonitoringReport,
);

export const monitoringHistory = defineCall(
  'monitoring:history',
  "A deployment's window summaries kept in the workspace (newest last), for the drift heat strip and charts",
  z.object({ workspace: WorkspacePath, deployment: DeploymentName, from: z.string().datetime().optional(), to: z.string().datetime().optional(), limit: z.number().int().min(1).max(5000).default(500) }),
  z.object({ deployment: DeploymentName, windows: z.array(WindowSummary) }),
);

export const monitoringConfigure = defineCall(
  'monitoring:configure',
  "Set how a deployment's agent records and windows predictions (sample rate, window, retention, store cap)",
  z.object({ workspace: WorkspacePath, deployment: DeploymentName, settings: MonitoringSettingsPatch }),
  MonitoringSettings,
);

/** New windows were kept for a deployment (the sampler fetched them). */
export const monitoringWindows = defineEvent('monitoring:windows', z.object({ workspace: WorkspacePath, deployment: DeploymentName, latest: z.number().int().nonnegative() }));
