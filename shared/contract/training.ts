import { z } from 'zod';
import { featureEncodings } from '../training/feature-roles.ts';
import { trainingTasks } from '../training/infer-task.ts';
import { ColumnType, ContentHash, DatasetName } from './datasets.ts';
import { defineCall } from './define.ts';
import { ExperimentId, ExperimentName, MetricValue, RunId, RunName, RunStatus } from './runs.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * One-click training of tabular models (main/core/training): plan what would happen, start a
 * run (a job; the run is recorded in the tracking store as it goes), wait for it, reproduce it,
 * and see which compute backends this machine has.
 */

export const TrainingTask = z.enum(trainingTasks);
export const ModelKind = z.enum(['linear', 'mlp']);
export type ModelKind = z.infer<typeof ModelKind>;
export const Activation = z.enum(['relu', 'tanh', 'sigmoid', 'elu', 'selu']);
export type Activation = z.infer<typeof Activation>;
export const FeatureEncoding = z.enum(featureEncodings);
/** Lathe's names for TensorFlow.js's backends, fastest first. */
export const backendNames = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
export const BackendName = z.enum(backendNames);
export type BackendName = z.infer<typeof BackendName>;

/** The ranges the knobs are checked against, so the wizard can show the same limits. */
export const trainingLimits = {
  epochs: { min: 1, max: 10_000 },
  batchSize: { min: 1, max: 65_536 },
  learningRate: { max: 10 },
  hiddenLayers: { min: 1, max: 10 },
  hiddenUnits: { min: 1, max: 16_384 },
  dropout: { min: 0, max: 0.9 },
  l2: { min: 0, max: 10 },
  seed: { min: 0, max: 2 ** 32 - 1 },
  earlyStoppingPatience: { min: 0, max: 10_000 },
} as const;

const TargetColumn = z.string().min(1, 'name the column to predict').max(1000);

const TrainingSource = z.object({
  workspace: WorkspacePath,
  dataset: DatasetName,
  /** Default: the latest version. */
  version: z.number().int().positive().optional(),
  /** The column to predict. */
  target: TargetColumn,
  /** Default: inferred from the target (shared/training/infer-task.ts). */
  task: TrainingTask.optional(),
});

const int = (what: string, { min, max }: { min: number; max: number }) =>
  z
    .number({ error: `${what} is a number` })
    .int(`${what} is a whole number`)
    .min(min, `${what} is at least ${min}`)
    .max(max, `${what} is at most ${max.toLocaleString('en')}`);

/** Every knob; what is left out gets a default that depends on the model and the data (recorded as params). */
export const TrainingKnobs = z.object({
  model: ModelKind,
  epochs: int('epochs', trainingLimits.epochs).optional(),
  batchSize: int('batchSize', trainingLimits.batchSize).optional(),
  learningRate: z
    .number({ error: 'learningRate is a number' })
    .gt(0, 'learningRate must be above 0 (try 0.001 for an MLP, 0.01 for linear)')
    .max(trainingLimits.learningRate.max, `learningRate is at most ${trainingLimits.learningRate.max}`)
    .optional(),
  /** Units per hidden layer of an MLP, e.g. [64, 32]. */
  hidden: z.array(int('each hidden layer', trainingLimits.hiddenUnits)).min(1, 'give at least one hidden layer').max(trainingLimits.hiddenLayers.max, `at most ${trainingLimits.hiddenLayers.max} hidden layers`).optional(),
  activation: Activation.optional(),
  dropout: z.number().min(0, 'dropout is at least 0').max(trainingLimits.dropout.max, `dropout is at most ${trainingLimits.dropout.max}`).optional(),
  l2: z.number().min(0, 'l2 is at least 0').max(trainingLimits.l2.max, `l2 is at most ${trainingLimits.l2.max}`).optional(),
  seed: int('seed', trainingLimits.seed).optional(),
  /** Epochs without a better validation loss before training stops (the best weights are kept); 0: never stop early. */
  earlyStoppingPatience: int('earlyStoppingPatience', trainingLimits.earlyStoppingPatience).optional(),
  /** `balanced`: weight each class by rows / (classes × its rows), as scikit-learn does. Classification only. */
  classWeights: z.enum(['balanced', 'none']).optional(),
  /** Default `auto`: the fastest this machine has (see app:doctor). */
  backend: z.enum(['auto', ...backendNames]).optional(),
});
export type TrainingKnobs = z.infer<typeof TrainingKnobs>;

export const TrainingStartInput = TrainingSource.extend({
  ...TrainingKnobs.shape,
  /** The experiment to record the run in (made when new). Default: the dataset's name. */
  experiment: ExperimentName.optional(),
  runName: RunName.optional(),
});
export type TrainingStartInput = z.infer<typeof TrainingStartInput>;

export const PlannedFeature = z.object({ name: z.string(), type: ColumnType, encoding: FeatureEncoding });
export const DroppedColumn = z.object({ name: z.string(), why: z.string() });

export const TrainingPlan = z.object({
  dataset: z.object({ name: DatasetName, version: z.number().int().positive(), contentHash: ContentHash }),
  target: z.string(),
  task: TrainingTask,
  /** Why this task: inferred from the column, or the caller's choice. */
  taskWhy: z.string(),
  /** Classification: the classes with their rows, in the model's order (by name; numbers by value); absent when the profile does not list them all (they are read when training starts). */
  classes: z.array(z.object({ name: z.string(), count: z.number().int().nonnegative() })).optional(),
  features: z.array(PlannedFeature),
  dropped: z.array(DroppedColumn),
  rows: z.number().int().nonnegative(),
  /** Rows in each part: the split is deterministic for a seed (stratified by class, or by the target's order for regression). */
  split: z.object({ train: z.number().int().nonnegative(), validation: z.number().int().nonnegative(), test: z.number().int().nonnegative() }),
  /** The model's input width at most (one-hot columns count their categories, capped). */
  inputWidth: z.number().int().nonnegative(),
  warnings: z.array(z.string()),
});
export type TrainingPlan = z.infer<typeof TrainingPlan>;

export const trainingPlan = defineCall(
  'training:plan',
  'What training would do with a dataset and a target column: the task, the features and the columns left out (and why), the split',
  TrainingSource.extend({
    /** The split's seed (its sizes vary by a row with it); default 42, as training:start's. */
    seed: int('seed', trainingLimits.seed).optional(),
  }),
  TrainingPlan,
);

export const TrainingStarted = z.object({ runId: RunId, jobId: z.string(), experimentId: ExperimentId });
export type TrainingStarted = z.infer<typeof TrainingStarted>;

export const trainingStart = defineCall(
  'training:start',
  'Train a model on a dataset version (a job); the run is recorded in the tracking store as it goes',
  TrainingStartInput,
  TrainingStarted,
);

export const TrainingSummary = z.object({
  runId: RunId,
  name: z.string(),
  experimentId: ExperimentId,
  experimentName: z.string(),
  status: RunStatus,
  /** Why the run FAILED or was KILLED. */
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).nullable(),
  task: z.string(),
  model: z.string(),
  target: z.string(),
  dataset: z.object({ name: z.string(), version: z.number().int().nullable(), contentHash: z.string() }).nullable(),
  backend: z.string().nullable(),
  /** Epochs trained, and the one whose weights were kept. */
  epochs: z.object({ trained: z.number().int().nonnegative(), best: z.number().int().nonnegative().nullable(), stoppedEarly: z.boolean() }),
  /** test_accuracy, test_f1_macro, … or test_rmse, test_mae, test_r2. */
  test: z.record(z.string(), MetricValue),
  params: z.record(z.string(), z.string()),
  artifacts: z.array(z.string()),
  startTime: z.number().int(),
  endTime: z.number().int().nullable(),
});
export type TrainingSummary = z.infer<typeof TrainingSummary>;

export const trainingWait = defineCall(
  'training:wait',
  'Wait for a training run of this process to end; its summary (at once for a run that has ended)',
  z.object({ workspace: WorkspacePath, runId: RunId }),
  TrainingSummary,
);

export const trainingReproduce = defineCall(
  'training:reproduce',
  'Start a new run with the same dataset version, knobs and seed as an earlier one',
  z.object({ workspace: WorkspacePath, runId: RunId, experiment: ExperimentName.optional(), runName: RunName.optional() }),
  TrainingStarted.extend({ reproduces: RunId }),
);

export const MetricComparison = z.object({
  key: z.string(),
  original: MetricValue.nullable(),
  reproduction: MetricValue.nullable(),
  /** |original − reproduction|; null when either is missing. */
  difference: z.number().nullable(),
  match: z.boolean(),
});

export const ReproductionReport = z.object({
  original: RunId,
  reproduction: RunId,
  /** Both ran on the same backend (and TensorFlow.js version), where results should be bit-identical. */
  sameBackend: z.boolean(),
  /** 0 on the same backend; otherwise the largest difference accepted. */
  tolerance: z.number().nonnegative(),
  verdict: z.enum(['identical', 'within-tolerance', 'different', 'not-comparable']),
  metrics: z.array(MetricComparison),
  message: z.string(),
});
export type ReproductionReport = z.infer<typeof ReproductionReport>;

export const trainingCompareReproduction = defineCall(
  'training:compare-reproduction',
  'Once both have ended: whether a reproduction matched its original run (test metrics, exactly on the same backend)',
  z.object({ workspace: WorkspacePath, runId: RunId, originalRunId: RunId.optional() }),
  ReproductionReport,
);

export const BackendReport = z.object({
  name: BackendName,
  package: z.string(),
  version: z.string().nullable(),
  available: z.boolean(),
  /** The one `auto` picks. */
  selected: z.boolean(),
  /** Why it is or is not available, in a sentence. */
  detail: z.string(),
});
export type BackendReport = z.infer<typeof BackendReport>;

export const DoctorReport = z.object({
  backends: z.array(BackendReport),
  selected: BackendName,
  machine: z.object({
    platform: z.string(),
    arch: z.string(),
    cpu: z.string(),
    cores: z.number().int().positive(),
    memoryBytes: z.number().int().nonnegative(),
    gpu: z.string().nullable(),
  }),
  node: z.string(),
  /** A model whose training would need more than this is refused before it starts. */
  trainingMemoryLimitBytes: z.number().int().nonnegative(),
});
export type DoctorReport = z.infer<typeof DoctorReport>;

export const appDoctor = defineCall('app:doctor', 'The compute backends training can use on this machine, found or not, and why', z.object({}), DoctorReport);
