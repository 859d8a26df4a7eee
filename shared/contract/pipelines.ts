import { z } from 'zod';
import { defineCall, defineEvent } from './define.ts';
import { ContentHash, DatasetName } from './datasets.ts';
import { ThresholdText } from './gates.ts';
import { AliasName, ModelName, ModelRefText } from './model-ref.ts';
import { LatheError } from './result.ts';
import { ExperimentName, RunName } from './runs.ts';
import { multiLineText, oneLineText } from './text-fields.ts';
import { TrainingKnobs, TrainingTask } from './training.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * Pipelines as code: `lathe.pipeline.json` at the workspace root lists steps — import, train,
 * gates, register (deploy later) — that run in order, each calling the core as any front door
 * would. A step uses an earlier step's output by naming its id in `from`. Every run is recorded.
 */

export const PIPELINE_FILE = 'lathe.pipeline.json';
/** A pipeline file larger than this is refused: a spec is a page of JSON, not data. */
export const MAX_PIPELINE_BYTES = 256 * 1024;
export const MAX_PIPELINE_STEPS = 50;

export const StepId = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'a step id is a lowercase word of letters, digits, "-" and "_", starting with a letter (like "train")');

/** `penguins` (the latest version) or `penguins@2`. */
export const DatasetRefText = z
  .string()
  .max(120)
  .superRefine((text, context) => {
    const at = text.lastIndexOf('@');
    const name = DatasetName.safeParse(at === -1 ? text : text.slice(0, at));
    if (!name.success) context.addIssue({ code: 'custom', message: `"${text}" is not a dataset: ${name.error.issues[0]?.message}` });
    else if (at !== -1 && !/^[1-9]\d{0,8}$/.test(text.slice(at + 1))) context.addIssue({ code: 'custom', message: `"${text}": the version after @ is a whole number from 1 (like ${text.slice(0, at)}@2)` });
  });

const from = StepId.describe('the id of an earlier step whose output this step uses');

/**
 * Import a file as a new version of `dataset` (`file`: relative to the workspace, or absolute),
 * or, without `file`, use a version that already exists (`dataset: "penguins@2"`).
 */
export const ImportStep = z.strictObject({
  id: StepId,
  kind: z.literal('import'),
  dataset: DatasetRefText,
  file: z.string().min(1, 'name the file to import, or leave "file" out to use an existing version').max(4096).optional(),
  message: oneLineText(500, 'an import message').optional(),
});

/** Train on the dataset an import step made (`from`) or on a named one (`dataset`). */
export const TrainStep = z.strictObject({
  id: StepId,
  kind: z.literal('train'),
  from: from.optional(),
  dataset: DatasetRefText.optional(),
  target: z.string().min(1, 'name the column to predict').max(1000),
  task: TrainingTask.optional(),
  /** training:start's knobs; `model` defaults to "mlp". */
  params: TrainingKnobs.partial({ model: true }).strict().optional(),
  experiment: ExperimentName.optional(),
  runName: RunName.optional(),
});

/** Run the release gates on what a train step (its run) or a register step (its version) made. */
export const GatesStep = z.strictObject({
  id: StepId,
  kind: z.literal('gates'),
  from: from.optional(),
  /** A registered version to gate instead of an earlier step's output. */
  model: ModelRefText.optional(),
  /** The version to be no worse than, e.g. "penguins@champion"; "none" compares with nothing. Default: the gate spec's alias. */
  against: z.union([ModelRefText, z.literal('none')]).optional(),
  /** Extra thresholds, e.g. "accuracy>=0.9" (as `lathe gates run --require`). */
  require: z.array(ThresholdText).max(100).optional(),
  /** When the gates pass, point this alias at the version (e.g. "challenger", for a person to promote). */
  alias: AliasName.optional(),
});

/** Register a train step's run as a new version of a named model. */
export const RegisterStep = z.strictObject({
  id: StepId,
  kind: z.literal('register'),
  from: from.optional(),
  name: ModelName,
  description: multiLineText(5000, 'a description').optional(),
});

/** Accepted so a pipeline can say where it is going; refused when run (deploy is not built yet). */
export const DeployStep = z.strictObject({
  id: StepId,
  kind: z.literal('deploy'),
  from: from.optional(),
  target: z.string().max(200).optional(),
});

export const stepKinds = ['import', 'train', 'gates', 'register', 'deploy'] as const;
export const StepKind = z.enum(stepKinds);
export type StepKind = z.infer<typeof StepKind>;

export const PipelineStep = z.discriminatedUnion('kind', [ImportStep, TrainStep, GatesStep, RegisterStep, DeployStep], {
  error: (issue) => (issue.code === 'invalid_union' ? `"kind" is one of ${stepKinds.join(', ')}` : undefined),
});
export type PipelineStep = z.infer<typeof PipelineStep>;

export const PipelineSpec = z.strictObject({
  schemaVersion: z.literal(1, { error: 'schemaVersion is 1 (the only version this Lathe reads)' }),
  name: oneLineText(200, 'a pipeline name').optional(),
  steps: z.array(PipelineStep).min(1, 'a pipeline has at least one step').max(MAX_PIPELINE_STEPS, `a pipeline has at most ${MAX_PIPELINE_STEPS} steps`),
});
export type PipelineSpec = z.infer<typeof PipelineSpec>;

/** Something wrong (an error: the pipeline will not run) or worth knowing (a warning) in a spec. */
export const PipelineProblem = z.object({
  severity: z.enum(['error', 'warning']),
  /** The JSON path: `steps.1.target`; empty for the whole file. */
  path: z.string(),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  message: z.string(),
});
export type PipelineProblem = z.infer<typeof PipelineProblem>;

export const PipelineFile = z.object({
  file: z.literal(PIPELINE_FILE),
  /** False when the workspace has no pipeline yet (`text` is then a starting point, not saved). */
  exists: z.boolean(),
  text: z.string(),
  /** Null when the text has errors. */
  spec: PipelineSpec.nullable(),
  problems: z.array(PipelineProblem),
  /** The file on disk differs from the last commit (edited by hand, not yet saved through Lathe). */
  uncommitted: z.boolean(),
});
export type PipelineFile = z.infer<typeof PipelineFile>;

export const PipelineRunId = z.string().regex(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/, 'a pipeline run id looks like 20260101T120000Z-a1b2c3');
export const StepStatus = z.enum(['pending', 'running', 'passed', 'failed', 'cancelled', 'skipped']);
export type StepStatus = z.infer<typeof StepStatus>;
export const PipelineRunStatus = z.enum(['running', 'passed', 'failed', 'cancelled', 'interrupted']);
export type PipelineRunStatus = z.infer<typeof PipelineRunStatus>;

/** What a step made, by name: dataset, version, runId, model, passed… */
export const StepOutputs = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type StepOutputs = z.infer<typeof StepOutputs>;

export const StepRun = z.object({
  id: StepId,
  kind: StepKind,
  status: StepStatus,
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  outputs: StepOutputs,
  error: LatheError.nullable(),
});
export type StepRun = z.infer<typeof StepRun>;

export const StepRunWithLog = StepRun.extend({ log: z.array(z.string()) });
export type StepRunWithLog = z.infer<typeof StepRunWithLog>;

/** The versions a pipeline run made, for the list and for CI. */
export const PipelineMade = z.object({
  datasets: z.array(z.object({ name: DatasetName, version: z.number().int().positive(), contentHash: ContentHash, created: z.boolean() })),
  runs: z.array(z.object({ runId: z.string(), status: z.string() })),
  models: z.array(z.object({ name: z.string(), version: z.number().int().positive() })),
  gates: z.array(z.object({ step: StepId, passed: z.boolean(), summary: z.string() })),
});
export type PipelineMade = z.infer<typeof PipelineMade>;

export const PipelineRunSummary = z.object({
  id: PipelineRunId,
  pipeline: z.string(),
  status: PipelineRunStatus,
  /** SHA-256 of the spec's text as it ran, and the workspace commit it started from. */
  specHash: ContentHash,
  commit: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  /** The job to cancel while it runs. */
  jobId: z.string().nullable(),
  failedStep: StepId.nullable(),
  error: LatheError.nullable(),
  steps: z.array(StepRun),
  made: PipelineMade,
});
export type PipelineRunSummary = z.infer<typeof PipelineRunSummary>;

export const PipelineRun = PipelineRunSummary.extend({
  steps: z.array(StepRunWithLog),
  /** Report files the gates wrote (JUnit XML, Markdown), under the workspace's .lathe folder. */
  reports: z.array(z.object({ step: StepId, format: z.enum(['junit', 'markdown']), path: z.string() })),
});
export type PipelineRun = z.infer<typeof PipelineRun>;

export const pipelinesGet = defineCall(
  'pipelines:get',
  "The workspace's pipeline (lathe.pipeline.json): its text, the spec when it is valid, and every problem with its line",
  z.object({ workspace: WorkspacePath }),
  PipelineFile,
);

export const pipelinesSave = defineCall(
  'pipelines:save',
  'Check a pipeline and, when it has no errors, write lathe.pipeline.json and commit it',
  z.object({
    workspace: WorkspacePath,
    text: z.string().max(MAX_PIPELINE_BYTES, `a pipeline file is at most ${MAX_PIPELINE_BYTES / 1024} KiB`),
    message: oneLineText(500, 'a commit message').optional(),
  }),
  z.object({ status: z.enum(['committed', 'unchanged']), commit: z.string().nullable(), file: PipelineFile }),
);

export const pipelinesRun = defineCall(
  'pipelines:run',
  'Run the saved pipeline, step by step, as a job; every run is recorded',
  z.object({
    workspace: WorkspacePath,
    /** Wait for the run to end (the CLI); otherwise return as soon as it started (the app follows its events). */
    wait: z.boolean().optional(),
  }),
  PipelineRun,
);

export const pipelinesRuns = defineCall(
  'pipelines:runs',
  'The recorded pipeline runs of a workspace, newest first',
  z.object({ workspace: WorkspacePath, limit: z.number().int().min(1).max(1000).optional() }),
  z.array(PipelineRunSummary),
);

export const pipelinesRunDetail = defineCall(
  'pipelines:run-detail',
  'One pipeline run: each step with its status, duration, outputs and log',
  z.object({ workspace: WorkspacePath, id: PipelineRunId }),
  PipelineRun,
);

/** A branch name Lathe writes into a workflow's `on.push.branches`. */
const BranchName = z
  .string()
  .regex(/^[A-Za-z0-9._/-]{1,200}$/, 'a branch name of letters, digits, ".", "_", "/" and "-"')
  .refine((name) => !name.includes('..'), 'a branch name without ".."');

export const pipelinesExportGithub = defineCall(
  'pipelines:export-github',
  "Write a GitHub Actions workflow (inside the workspace) that runs the pipeline on every push and keeps the gates' reports",
  z.object({
    workspace: WorkspacePath,
    /** Relative to the workspace; default `.github/workflows/lathe.yml`. */
    out: z.string().min(1).max(1000).optional(),
    branches: z.array(BranchName).min(1).max(20).optional(),
    /** Replace an existing file that differs. */
    force: z.boolean().optional(),
  }),
  z.object({ path: z.string(), written: z.boolean(), branches: z.array(z.string()) }),
);

/** A step changed status or logged lines. */
export const pipelinesProgress = defineEvent(
  'pipelines:progress',
  z.object({
    workspace: WorkspacePath,
    run: PipelineRunSummary,
    /** Lines the step logged since the last event. */
    log: z.object({ step: StepId, lines: z.array(z.string()) }).nullable(),
  }),
);
