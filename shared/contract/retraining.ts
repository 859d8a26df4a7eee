import { z } from 'zod';
import { defineCall, defineEvent } from './define.ts';
import { RolloutSteps, TargetName } from './deployments.ts';
import { ModelName } from './model-ref.ts';
import { multiLineText } from './text-fields.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * Retraining that closes the loop (issue 10, item 6). A policy per model, kept in git
 * (`retraining/<model>.json`), says what starts a retrain (an alert, a new version of the training
 * dataset, a schedule), what it runs (the workspace pipeline when it trains and registers this
 * model, else the built-in plan: train on the newest version of the champion's dataset with the
 * champion's knobs, gate against @champion, register the challenger), where the challenger goes
 * (shadow or canary to a target), which steps a person approves, and how often it may run.
 *
 * Every trigger — also one the policy turns away — and every step is recorded, and shown as one
 * timeline per model: alert → run → gates → version → rollout → outcome.
 */

export const RETRAIN_POLICY_FOLDER = 'retraining';
/** A policy file larger than this is refused: a policy is a few lines of JSON. */
export const MAX_RETRAIN_POLICY_BYTES = 64 * 1024;

/** Where a model's policy lives, relative to the workspace: `retraining/churn.json`. */
export function retrainPolicyFile(model: string): string {
  return `${RETRAIN_POLICY_FOLDER}/${model}.json`;
}

/** The alert rule kinds (shared/contract/alerts.ts) a policy may retrain on. */
export const retrainAlertKinds = ['feature-drift', 'dataset-drift', 'accuracy-below', 'latency-above', 'error-rate-above', 'records-dropped'] as const;
export const RetrainAlertKind = z.enum(retrainAlertKinds, { error: `an alert kind is one of ${retrainAlertKinds.join(', ')}` });
export type RetrainAlertKind = z.infer<typeof RetrainAlertKind>;

export const RetrainTriggers = z.strictObject({
  /** Alerts of these kinds, raised on a deployment of this model, start a retrain; [] for none. */
  alerts: z.array(RetrainAlertKind).max(retrainAlertKinds.length),
  /** A new version of the dataset the champion was trained on starts a retrain. */
  newData: z.boolean(),
  /** Retrain every N hours (1 to 8760), or null for no schedule. */
  everyHours: z.number().int().min(1, 'a schedule is every 1 hour at the least').max(8760, 'a schedule is every 8760 hours (a year) at the most').nullable(),
});
export type RetrainTriggers = z.infer<typeof RetrainTriggers>;

/**
 * - `auto`: the workspace pipeline (lathe.pipeline.json) when it has a train step and a register
 *   step naming this model, else the built-in plan;
 * - `pipeline`: always the workspace pipeline (a run fails when it does not register this model);
 * - `built-in`: always the built-in plan.
 */
export const RetrainPlanChoice = z.enum(['auto', 'pipeline', 'built-in']);
export type RetrainPlanChoice = z.infer<typeof RetrainPlanChoice>;

export const RetrainDeploy = z.strictObject({
  target: TargetName,
  strategy: z.enum(['canary', 'shadow'], { error: 'a challenger goes out as "canary" or "shadow"' }),
  /** Canary weights (10,25,50,100); the agent's defaults when left out. */
  steps: RolloutSteps.optional(),
  /** Time between canary steps, in milliseconds. */
  intervalMs: z.number().int().min(1000).max(86_400_000).optional(),
});
export type RetrainDeploy = z.infer<typeof RetrainDeploy>;

export const Approval = z.enum(['auto', 'ask'], { error: 'an approval is "auto" or "ask"' });
export type Approval = z.infer<typeof Approval>;

/** The steps a person may be asked to approve before they run. */
export const approvableSteps = ['train', 'register', 'deploy'] as const;
export const ApprovableStep = z.enum(approvableSteps);
export type ApprovableStep = z.infer<typeof ApprovableStep>;

export const RetrainApprovals = z.strictObject({ train: Approval, register: Approval, deploy: Approval });
export type RetrainApprovals = z.infer<typeof RetrainApprovals>;

export const RetrainCaps = z.strictObject({
  /** Runs a day (UTC) at most; a trigger past it is skipped and says so. */
  maxRunsPerDay: z.number().int().min(1, 'maxRunsPerDay is at least 1 (turn the policy off to stop retraining)').max(100),
  /** Minutes after a run starts before another may start. */
  cooldownMinutes: z.number().int().min(0).max(10_080),
});
export type RetrainCaps = z.infer<typeof RetrainCaps>;

export const RetrainPolicyV1 = z.strictObject({
  schemaVersion: z.literal(1, { error: 'schemaVersion is 1 (the only version this Lathe reads)' }),
  model: ModelName,
  /** Off: triggers are recorded as skipped, nothing runs (a manual start still runs). */
  enabled: z.boolean(),
  triggers: RetrainTriggers,
  plan: RetrainPlanChoice,
  /** Where the challenger goes; null registers it and stops there. */
  deploy: RetrainDeploy.nullable(),
  approval: RetrainApprovals,
  caps: RetrainCaps,
});
export type RetrainPolicy = z.infer<typeof RetrainPolicyV1>;

/** The plan a run would follow now, in words, with where it comes from. */
export const ResolvedPlan = z.object({
  kind: z.enum(['pipeline', 'built-in']),
  summary: z.string(),
});
export type ResolvedPlan = z.infer<typeof ResolvedPlan>;

export const RetrainPolicyView = z.object({
  policy: RetrainPolicyV1,
  /** False: no file yet, `policy` is the default (off). */
  exists: z.boolean(),
  file: z.string(),
  plan: ResolvedPlan,
});
export type RetrainPolicyView = z.infer<typeof RetrainPolicyView>;

// ---------------------------------------------------------------------------------------------
// Runs

export const RetrainRunId = z.string().regex(/^rt-\d{8}T\d{6}Z-[0-9a-f]{6}$/, 'a retrain run id looks like rt-20260101T120000Z-a1b2c3');

export const retrainTriggerKinds = ['alert', 'new-data', 'schedule', 'manual'] as const;
export const RetrainTriggerKind = z.enum(retrainTriggerKinds);
export type RetrainTriggerKind = z.infer<typeof RetrainTriggerKind>;

export const RetrainTrigger = z.object({
  kind: RetrainTriggerKind,
  /** The alert id, the dataset version (penguins@3), the schedule ("every 24 h") or who started it. */
  detail: z.string(),
});
export type RetrainTrigger = z.infer<typeof RetrainTrigger>;

export const retrainRunStates = ['waiting-approval', 'running', 'succeeded', 'stopped', 'failed'] as const;
export const RetrainRunState = z.enum(retrainRunStates);
export type RetrainRunState = z.infer<typeof RetrainRunState>;

export const retrainStepNames = ['train', 'gates', 'register', 'deploy', 'rollout'] as const;
export const RetrainStepName = z.enum(retrainStepNames);
export type RetrainStepName = z.infer<typeof RetrainStepName>;

export const RetrainStepStatus = z.enum(['pending', 'waiting-approval', 'running', 'passed', 'failed', 'rejected', 'skipped']);
export type RetrainStepStatus = z.infer<typeof RetrainStepStatus>;

/** What a run or an entry points at; each is null until it exists. */
export const RetrainLinks = z.object({
  alertId: z.string().nullable(),
  pipelineRunId: z.string().nullable(),
  trainingRunId: z.string().nullable(),
  gateReportId: z.string().nullable(),
  modelVersion: z.number().int().positive().nullable(),
  deploymentId: z.string().nullable(),
});
export type RetrainLinks = z.infer<typeof RetrainLinks>;

export const RetrainStep = z.object({
  name: RetrainStepName,
  status: RetrainStepStatus,
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** One sentence on how it went: "gates passed (5 checks)", "waiting for approval". */
  message: z.string(),
});
export type RetrainStep = z.infer<typeof RetrainStep>;

export const RetrainRun = z.object({
  id: RetrainRunId,
  model: ModelName,
  trigger: RetrainTrigger,
  state: RetrainRunState,
  plan: ResolvedPlan,
  steps: z.array(RetrainStep),
  links: RetrainLinks,
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** Why it stopped or failed (a failed gate names its check; a rejection its reason); null otherwise. */
  why: z.string().nullable(),
});
export type RetrainRun = z.infer<typeof RetrainRun>;

// ---------------------------------------------------------------------------------------------
// The timeline

export const timelineKinds = ['alert', 'trigger', 'approval-asked', 'approved', 'rejected', 'run', 'gates', 'version', 'rollout', 'outcome', 'skipped'] as const;
export const TimelineKind = z.enum(timelineKinds);
export type TimelineKind = z.infer<typeof TimelineKind>;

export const TimelineEntry = z.object({
  at: z.string(),
  kind: TimelineKind,
  message: z.string(),
  /** The retrain run it belongs to; null for an alert or a skipped trigger outside a run. */
  runId: z.string().nullable(),
  links: RetrainLinks,
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

// ---------------------------------------------------------------------------------------------
// Calls

const ModelInput = z.object({ workspace: WorkspacePath, model: ModelName });

export const retrainPolicy = defineCall(
  'retrain:policy',
  "A model's retraining policy (retraining/<model>.json; off by default) and the plan a run would follow now",
  ModelInput,
  RetrainPolicyView,
);

export const retrainSavePolicy = defineCall(
  'retrain:save-policy',
  "Check a model's retraining policy and commit it to retraining/<model>.json",
  z.object({ workspace: WorkspacePath, policy: RetrainPolicyV1 }),
  z.object({ status: z.enum(['committed', 'unchanged']), commit: z.string().nullable(), view: RetrainPolicyView }),
);

export const retrainStart = defineCall(
  'retrain:start',
  'Retrain a model now (a manual trigger): the caps and a rollout still under way are respected, and a refusal says why',
  ModelInput.extend({
    /** Wait until the run ends or waits for an approval (the CLI); otherwise return once it started. */
    wait: z.boolean().optional(),
  }),
  z.object({ outcome: z.enum(['started', 'skipped']), run: RetrainRun.nullable(), reason: z.string().nullable() }),
);

const RunAction = z.object({
  workspace: WorkspacePath,
  run: RetrainRunId,
  /** The waiting step; when given, it must be the one waiting. */
  step: ApprovableStep.optional(),
});

export const retrainApprove = defineCall('retrain:approve', "Approve a run's waiting step; the run goes on from there", RunAction, RetrainRun);

export const retrainReject = defineCall(
  'retrain:reject',
  "Reject a run's waiting step: the run stops, with the reason on its timeline",
  RunAction.extend({ reason: multiLineText(2000, 'the reason').refine((reason) => reason.trim().length > 0, 'say why the step is rejected') }),
  RetrainRun,
);

export const retrainRuns = defineCall(
  'retrain:runs',
  'Retrain runs, newest first (one model, or all)',
  z.object({ workspace: WorkspacePath, model: ModelName.optional(), limit: z.number().int().min(1).max(1000).default(50) }),
  z.array(RetrainRun),
);

export const retrainTimeline = defineCall(
  'retrain:timeline',
  "One model's timeline, oldest first: alerts, triggers (run or skipped, and why), approvals, runs, gates, versions, rollouts and outcomes",
  ModelInput.extend({ limit: z.number().int().min(1).max(5000).default(500) }),
  z.object({ model: ModelName, entries: z.array(TimelineEntry) }),
);

// ---------------------------------------------------------------------------------------------
// Events

/** A run started, moved on or ended; or a trigger was recorded as skipped (run null). */
export const retrainChanged = defineEvent(
  'retrain:changed',
  z.object({ workspace: WorkspacePath, model: ModelName, run: RetrainRun.nullable() }),
);

/** A run waits for a person: approve or reject `step`. */
export const retrainNeedsApproval = defineEvent(
  'retrain:needs-approval',
  z.object({ workspace: WorkspacePath, model: ModelName, runId: RetrainRunId, step: ApprovableStep, message: z.string() }),
);
