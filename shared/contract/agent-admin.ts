import { z } from 'zod';

/**
 * The serving agent's admin API for rollouts (`lathe agent`, main/agent), as the desktop's deploy
 * client (main/core/deploy) calls it over HTTP with `Authorization: Bearer <admin token>`. The
 * agent runs a rollout itself, so it goes on — and stays safe — when the laptop that started it
 * is closed, as Argo Rollouts' controller lives in the cluster.
 *
 *   PUT    /admin/models/{name}                    bundle body: *replace* — load, check, switch (today's upload)
 *   PUT    /admin/models/{name}/candidate[?version=V]
 *                                                  bundle body: load it beside stable as the candidate, weight 0
 *   DELETE /admin/models/{name}/candidate          unload the candidate (refused while a rollout runs)
 *   GET    /admin/models[/{name}]                  what is loaded (AgentModel)
 *   POST   /admin/rollouts                         StartRollout → 201 RolloutStatus (409 names the running one's id)
 *   GET    /admin/rollouts[?model=NAME]            { rollouts: RolloutStatus[] }, newest first
 *   GET    /admin/rollouts/{id}                    RolloutStatus
 *   POST   /admin/rollouts/{id}/promote|abort|pause|resume   optional { reason } → RolloutStatus
 *
 * And for clients of the model, without a token:
 *   POST   /v2/models/{name}/feedback              Feedback → FeedbackAccepted (404 for an unknown request id)
 * Every inference reply carries `X-Request-Id` (the OIP `id` when the request had one, else one the
 * agent made, also put in the v2 body's `id`) and, while a rollout runs, `X-Lathe-Arm`.
 *
 * Failures are `{ "error": sentence, "code"?: Lathe's code, "hint"?: what to do }` (AgentError).
 */

export const ROLLOUT_STRATEGIES = ['replace', 'canary', 'ab', 'shadow'] as const;
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];

export const ROLLOUT_PHASES = ['progressing', 'paused', 'promoted', 'rolled-back', 'aborted', 'failed'] as const;
export type RolloutPhase = (typeof ROLLOUT_PHASES)[number];
/** Phases a rollout never leaves. */
export const FINISHED_PHASES: readonly RolloutPhase[] = ['promoted', 'rolled-back', 'aborted', 'failed'];

export const ARMS = ['stable', 'candidate'] as const;
export type Arm = (typeof ARMS)[number];

/** Reply headers of an inference answered while a rollout runs. */
export const ARM_HEADER = 'X-Lathe-Arm';
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A serving name: what goes in /v2/models/{name}. */
export const AgentModelName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a model name is letters, digits, ".", "_" and "-" (at most 64, starting with a letter or digit)');

/**
 * What a canary is judged on at each interval, from what the agent itself measured in that
 * interval (Flagger's defaults: 99 % success, p99 ≤ 500 ms). Fewer than `minRequests` candidate
 * requests is a *failed* analysis — missing metrics never pass. After `failureLimit` failed
 * analyses the rollout rolls back by itself, so within intervalMs × failureLimit.
 */
export const CanaryAnalysisSpec = z.strictObject({
  /** Failed candidate requests (errors, thrown predictions, timeouts, overload) over all of its requests, 0..1. */
  maxErrorRate: z.number().min(0).max(1).default(0.01),
  /** The candidate's 99th-percentile latency, in milliseconds. */
  maxP99Ms: z.number().positive().max(3_600_000).default(500),
  /**
   * Share of candidate requests whose prediction differs from what stable predicts for the same
   * rows (a different label; for a regressor a relative error above `regressionTolerance`), 0..1.
   */
  maxDisagreement: z.number().min(0).max(1).default(0.1),
  /** A regressor's predictions agree when |candidate − stable| ≤ tolerance × max(|stable|, 1). */
  regressionTolerance: z.number().min(0).max(1e6).default(0.05),
  /** Candidate requests an interval needs for its analysis to count; fewer fail it. */
  minRequests: z.number().int().min(1).max(1_000_000).default(10),
  /** Failed analyses that roll the rollout back. */
  failureLimit: z.number().int().min(1).max(1000).default(2),
});
export type CanaryAnalysisSpec = z.infer<typeof CanaryAnalysisSpec>;

const IntervalMs = z.number().int().min(100).max(24 * 3_600_000);

/**
 * Where an A/B request's sticky key comes from: `parameters.request_key` in the request body
 * always wins; else the named header or cookie; with `weight` only the body's key. The key is
 * hashed (SHA-256) into 0..99 and the candidate takes the buckets below `weight`, so one key always
 * lands on one arm. A request with no key is drawn at random (and counted as unkeyed).
 */
export const AbRouting = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('weight') }),
  z.strictObject({ kind: z.literal('header'), name: z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'an HTTP header name') }),
  z.strictObject({ kind: z.literal('cookie'), name: z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'a cookie name') }),
]);
export type AbRouting = z.infer<typeof AbRouting>;

const RolloutBase = {
  /** The serving name whose loaded candidate is rolled out. */
  model: AgentModelName,
  /** The candidate version the caller expects (refused if another is loaded); optional. */
  candidateVersion: z.string().min(1).max(64).optional(),
};

export const ReplaceSpec = z.strictObject({ strategy: z.literal('replace'), ...RolloutBase });

export const CanarySpec = z.strictObject({
  strategy: z.literal('canary'),
  ...RolloutBase,
  /** Percent of traffic to the candidate at each step, rising (Argo's setWeight); after the last step passes, promote. */
  steps: z.array(z.number().int().min(1).max(100)).min(1).max(100).refine((steps) => steps.every((weight, i) => i === 0 || weight > steps[i - 1]!), 'steps must rise: each weight larger than the one before'),
  /** How long each step runs before its analysis. */
  intervalMs: IntervalMs.default(60_000),
  analysis: CanaryAnalysisSpec.default(CanaryAnalysisSpec.parse({})),
});
export type CanarySpec = z.infer<typeof CanarySpec>;

export const AbSpec = z.strictObject({
  strategy: z.literal('ab'),
  ...RolloutBase,
  /** Percent of (keyed) traffic to the candidate. */
  weight: z.number().int().min(1).max(99).default(50),
  routing: AbRouting.default({ kind: 'weight' }),
  /** How often the per-arm measurements are recorded (no automatic decision: a person promotes or aborts). */
  intervalMs: IntervalMs.default(60_000),
});
export type AbSpec = z.infer<typeof AbSpec>;

/** Shadow: every request is also sent to the candidate; its replies are dropped, its errors, latency and disagreement recorded. */
export const ShadowSpec = z.strictObject({
  strategy: z.literal('shadow'),
  ...RolloutBase,
  intervalMs: IntervalMs.default(60_000),
  regressionTolerance: z.number().min(0).max(1e6).default(0.05),
});
export type ShadowSpec = z.infer<typeof ShadowSpec>;

/** The body of POST /admin/rollouts. */
export const StartRollout = z.discriminatedUnion('strategy', [ReplaceSpec, CanarySpec, AbSpec, ShadowSpec]);
export type StartRollout = z.infer<typeof StartRollout>;
export type StartRolloutInput = z.input<typeof StartRollout>;

/** The optional body of POST /admin/rollouts/{id}/{action}. */
export const ROLLOUT_ACTIONS = ['promote', 'abort', 'pause', 'resume'] as const;
export type RolloutAction = (typeof ROLLOUT_ACTIONS)[number];
export const RolloutActionBody = z.strictObject({ reason: z.string().max(500).optional() });

/** What the agent measured of one arm over one interval. */
export const ArmMeasurement = z.object({
  version: z.string(),
  requests: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  /** null: no requests. */
  errorRate: z.number().min(0).max(1).nullable(),
  p99Ms: z.number().nonnegative().nullable(),
  /** Candidate only: predictions compared with stable's, and the share that differed (null: none compared). */
  compared: z.number().int().nonnegative(),
  disagreement: z.number().min(0).max(1).nullable(),
});
export type ArmMeasurement = z.infer<typeof ArmMeasurement>;

export const AnalysisRecord = z.object({
  at: z.string(),
  /** The step (0-based) and candidate weight the interval ran at. */
  step: z.number().int().nonnegative(),
  weight: z.number().int().min(0).max(100),
  stable: ArmMeasurement,
  candidate: ArmMeasurement,
  /** observed: shadow and A/B intervals, recorded but never acted on. */
  verdict: z.enum(['passed', 'failed', 'observed']),
  /** Why, in a sentence naming the metric and its threshold ("error rate 0.40 > 0.01"). */
  reason: z.string(),
});
export type AnalysisRecord = z.infer<typeof AnalysisRecord>;

export const DECISION_ACTIONS = ['started', 'step', 'analysis-passed', 'analysis-failed', 'paused', 'resumed', 'promoted', 'rolled-back', 'aborted', 'failed', 'restarted'] as const;
export const Decision = z.object({ at: z.string(), action: z.enum(DECISION_ACTIONS), reason: z.string() });
export type Decision = z.infer<typeof Decision>;

/** One arm of an A/B test, from the feedback joined to the requests it answered. */
export const ArmOutcome = z.object({
  version: z.string(),
  /** Requests routed to this arm. */
  routed: z.number().int().nonnegative(),
  /** Feedback received (outcomes). */
  n: z.number().int().nonnegative(),
  /** Label feedback: predictions that matched the true label; null for rewards. */
  successes: z.number().int().nonnegative().nullable(),
  /** Accuracy (labels) or mean reward; null with no feedback. */
  mean: z.number().nullable(),
  /** 95 % interval of the mean (Wilson for proportions, t for rewards); null with too little feedback. */
  ci95: z.tuple([z.number(), z.number()]).nullable(),
});
export type ArmOutcome = z.infer<typeof ArmOutcome>;

export const Experiment = z.object({
  /** What the feedback measures: `accuracy` (labels) or `reward`; null before any feedback. */
  metric: z.enum(['accuracy', 'reward']).nullable(),
  stable: ArmOutcome,
  candidate: ArmOutcome,
  /** Requests with no sticky key (drawn at random). */
  unkeyed: z.number().int().nonnegative(),
  /** Two-proportion z-test (accuracy) or Welch's t-test (reward), two-sided; null with too little feedback. */
  test: z.object({ kind: z.enum(['two-proportion-z', 'welch-t']), statistic: z.number(), pValue: z.number().min(0).max(1), effect: z.number() }).nullable(),
  /**
   * Power analysis at the observed effect (α 0.05 two-sided, power 0.8): outcomes needed per arm,
   * and how many more the smaller arm still needs (0: enough). null when the effect is 0 or unknown.
   */
  power: z.object({ neededPerArm: z.number().int().nonnegative(), remainingPerArm: z.number().int().nonnegative() }).nullable(),
});
export type Experiment = z.infer<typeof Experiment>;

export const RolloutStatus = z.object({
  id: z.string(),
  model: z.string(),
  strategy: z.enum(ROLLOUT_STRATEGIES),
  spec: StartRollout,
  stable: z.object({ version: z.string() }),
  candidate: z.object({ version: z.string() }),
  phase: z.enum(ROLLOUT_PHASES),
  /** Canary: the current step (0-based) and the candidate's weight now (0 once finished, 100 promoted). */
  step: z.number().int().nonnegative(),
  weight: z.number().int().min(0).max(100),
  /** Failed analyses so far (canary), against spec.analysis.failureLimit. */
  failedAnalyses: z.number().int().nonnegative(),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** When the running interval ends (null when paused or finished). */
  nextAnalysisAt: z.string().nullable(),
  analyses: z.array(AnalysisRecord),
  decisions: z.array(Decision),
  /** A/B only. */
  experiment: Experiment.nullable(),
});
export type RolloutStatus = z.infer<typeof RolloutStatus>;

export const RolloutList = z.object({ rollouts: z.array(RolloutStatus) });

/** GET /admin/models[/{name}]: a serving name, its stable version, and the candidate beside it. */
export const AgentModel = z.object({
  name: z.string(),
  stable: z.object({ version: z.string(), bundleModel: z.object({ name: z.string(), version: z.number().int() }), sha256: z.string(), signer: z.string(), loadedAt: z.string() }),
  candidate: z.object({ version: z.string(), bundleModel: z.object({ name: z.string(), version: z.number().int() }), sha256: z.string(), signer: z.string(), loadedAt: z.string() }).nullable(),
  candidateWeight: z.number().int().min(0).max(100),
  /** The rollout running on this model, if any. */
  rollout: z.string().nullable(),
});
export type AgentModel = z.infer<typeof AgentModel>;
export const AgentModelList = z.object({ models: z.array(AgentModel), notLoaded: z.array(z.object({ name: z.string(), error: z.string() })) });
/** PUT /admin/models/{name} answers { loaded }, PUT …/candidate { candidate }. */
export const ModelLoaded = z.object({ loaded: AgentModel });
export const CandidateLoaded = z.object({ candidate: AgentModel });

/**
 * The body of POST /v2/models/{name}/feedback: the request id an inference reply carried, and
 * either the true label (a classifier: joined as correct or not), one label per row of a
 * several-row request, or a numeric reward.
 */
export const FeedbackLabel = z.union([z.string().max(1000), z.number().finite(), z.boolean()]);
export type FeedbackLabel = z.infer<typeof FeedbackLabel>;
export const MAX_FEEDBACK_LABELS = 10_000;
export const Feedback = z.union([
  z.strictObject({ id: z.string().min(1).max(128), label: FeedbackLabel }),
  z.strictObject({ id: z.string().min(1).max(128), reward: z.number().finite() }),
  /** A request of several rows: one label per row, in the order of its inputs. */
  z.strictObject({ id: z.string().min(1).max(128), labels: z.array(FeedbackLabel).min(1).max(MAX_FEEDBACK_LABELS) }),
]);
export type Feedback = z.infer<typeof Feedback>;
export const FeedbackAccepted = z.object({
  id: z.string(),
  arm: z.enum(ARMS),
  version: z.string(),
  rollout: z.string().nullable(),
  correct: z.boolean().nullable(),
  /** The label joined the recorded prediction (monitoring); false when only a rollout counted it. Absent from agents before issue 10. */
  recorded: z.boolean().optional(),
  /** The label arrived after its prediction's window had closed (the window's accuracy was updated). */
  late: z.boolean().optional(),
});
export type FeedbackAccepted = z.infer<typeof FeedbackAccepted>;

export const AgentError = z.object({ error: z.string(), code: z.string().optional(), hint: z.string().optional() });
export type AgentError = z.infer<typeof AgentError>;
