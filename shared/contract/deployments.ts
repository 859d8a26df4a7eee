import { z } from 'zod';
import { AbRouting, RolloutStatus } from './agent-admin.ts';
import { defineCall, defineEvent } from './define.ts';
import { ModelName, ModelRefText } from './model-ref.ts';
import { DeploymentName } from './monitoring.ts';
import { MAX_OVERRIDE_REASON } from './registry.ts';
import { multiLineText } from './text-fields.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * Deploying from the workbench (main/core/deploy): deploy targets — machines running
 * `lathe agent` — added once with their URL and admin token; deployments of a model version to a
 * target with a strategy (replace, or a canary / A-B / shadow rollout the agent runs itself);
 * every deployment event recorded in the workspace; the agent's metrics kept over time for the
 * Monitoring page; and a KServe export for the day a team outgrows one machine.
 *
 * Targets are per user (the state folder), not per workspace: the URL in a record, the token in
 * a secret store (the OS keychain through Electron's safeStorage in the desktop app, a 0600 file
 * for the CLI and `lathe serve`). No call ever returns a token.
 */

/** A target's name: what `--target` takes. Lowercase so that two names never differ only by case. */
export const TargetName = z
  .string()
  .min(1, 'a target name cannot be empty')
  .max(64, 'a target name is at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lowercase letters, digits, "-" and "_", starting with a letter or digit');
export type TargetName = z.infer<typeof TargetName>;

/**
 * An agent's address as it printed it: http(s), a host (name, IPv4 or [IPv6]) and an optional
 * port, nothing else — no user or password (a secret in plain text), no path, query or fragment.
 * (shared/ has no URL class, so the shape is checked by hand.)
 */
const AGENT_ADDRESS = /^https?:\/\/(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?\/?$/;
export const TargetUrl = z
  .string()
  .max(2048)
  .superRefine((text, context) => {
    const match = AGENT_ADDRESS.exec(text);
    if (match && (match[1] === undefined || (Number(match[1]) >= 1 && Number(match[1]) <= 65_535))) return;
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
    let message = "give the agent's address as it printed it: http(s)://HOST:PORT, like http://10.0.0.5:8080";
    if (scheme && scheme !== 'http' && scheme !== 'https') message = `an agent is reached over http or https, not ${scheme}:`;
    else if (/^https?:\/\/[^/]*@/i.test(text)) message = 'a URL with a user name or password in it would keep a secret in plain text; give the token with its own option';
    else if (/^https?:\/\/[^/]+\/./i.test(text)) message = "give the agent's address only (scheme, host and port), without a path, query or fragment";
    context.addIssue({ code: 'custom', message });
  })
  .transform((text) => text.replace(/\/$/, ''));

/** How a target's token is kept on this machine. */
export const TokenStorage = z.enum([
  /** Electron's safeStorage backed by the OS keychain (Keychain, DPAPI, libsecret/kwallet). */
  'os-keychain',
  /** A file readable only by this user (0600) in a folder only they can enter (0700). */
  'private-file',
  /** Stored without encryption, because the user confirmed it (Electron's basic_text fallback). */
  'plain-text',
]);
export type TokenStorage = z.infer<typeof TokenStorage>;

export const DeployTarget = z.object({
  name: TargetName,
  url: z.string(),
  addedAt: z.string(),
  tokenStorage: TokenStorage,
});
export type DeployTarget = z.infer<typeof DeployTarget>;

/** What the agent serves under one name: its stable version and, during a rollout, a candidate. */
export const ServedModel = z.object({
  name: z.string(),
  stableVersion: z.string(),
  candidateVersion: z.string().nullable(),
  /** Percent of traffic the candidate gets (0 when there is none). */
  candidateWeight: z.number().min(0).max(100),
  /** The id of the rollout running on it, if any. */
  rollout: z.string().nullable(),
});
export type ServedModel = z.infer<typeof ServedModel>;

/** A live probe of a target: can it be reached, is it ready, does the token work, what does it serve. */
export const TargetHealth = z.object({
  checkedAt: z.string(),
  reachable: z.boolean(),
  /** The agent's `/v2/health/ready`; null when unreachable. */
  ready: z.boolean().nullable(),
  /** True when the admin API took the stored token; null when it could not be asked. */
  authorized: z.boolean().nullable(),
  agentVersion: z.string().nullable(),
  models: z.array(ServedModel),
  /** Models the agent has recorded but could not load at start-up, with why. */
  notLoaded: z.array(z.object({ name: z.string(), error: z.string() })),
  /** What went wrong, in a sentence, when something did. */
  problem: z.string().nullable(),
});
export type TargetHealth = z.infer<typeof TargetHealth>;

export const TargetWithHealth = z.object({ target: DeployTarget, health: TargetHealth.nullable() });
export type TargetWithHealth = z.infer<typeof TargetWithHealth>;

export const targetsAdd = defineCall(
  'targets:add',
  'Add a deploy target (a machine running `lathe agent`): its URL and admin token, checked by a live probe before it is kept',
  z.object({
    name: TargetName,
    url: TargetUrl,
    /** The admin token the agent printed at its first start. Kept in the secret store, never returned. */
    token: z.string().min(1, 'the token cannot be empty').max(4096).regex(/^[\x21-\x7e]+$/, 'a token is printable ASCII without spaces'),
    /**
     * Where the only secret store is plain text (Electron's basic_text fallback on Linux without a
     * keyring), the token is kept only when this is true: the user read the warning and agreed.
     */
    allowPlainTextToken: z.boolean().default(false),
    /** Replace a target of the same name (its URL and token). */
    replace: z.boolean().default(false),
  }),
  TargetWithHealth,
);

export const targetsList = defineCall(
  'targets:list',
  'The deploy targets, each with a live health probe (reachable, ready, token accepted, agent version, models served)',
  z.object({ probe: z.boolean().default(true) }),
  z.array(TargetWithHealth),
);

export const targetsRemove = defineCall(
  'targets:remove',
  'Forget a deploy target and its token (the agent itself is not touched)',
  z.object({ name: TargetName }),
  z.object({ removed: TargetName }),
);

export const deployStrategies = ['replace', 'canary', 'ab', 'shadow'] as const;
export const DeployStrategy = z.enum(deployStrategies);
export type DeployStrategy = z.infer<typeof DeployStrategy>;

/**
 * What a canary's analysis must meet at each interval; missing metrics count as failing. The
 * names are the agent's (CanaryAnalysisSpec in agent-admin.ts); what is left out takes the
 * agent's defaults (Flagger's: error rate ≤ 1 %, p99 ≤ 500 ms).
 */
export const RolloutThresholds = z.strictObject({
  /** Highest share of failed candidate requests (0–1). */
  maxErrorRate: z.number().min(0).max(1).optional(),
  /** Highest p99 latency of the candidate, in milliseconds. */
  maxP99Ms: z.number().positive().max(3_600_000).optional(),
  /** Highest share of requests where the candidate's prediction differs from stable's (0–1). */
  maxDisagreement: z.number().min(0).max(1).optional(),
  /** Candidate requests an interval needs for its analysis to count; fewer fail it. */
  minRequests: z.number().int().min(1).max(1_000_000).optional(),
  /** Failed analyses before the agent rolls back by itself. */
  failureLimit: z.number().int().min(1).max(1000).optional(),
});
export type RolloutThresholds = z.infer<typeof RolloutThresholds>;

/** Canary weights, each 1–100, strictly rising: 10,25,50,100. */
export const RolloutSteps = z
  .array(z.number().int().min(1).max(100))
  .min(1)
  .max(20)
  .refine((steps) => steps.every((step, i) => i === 0 || step > steps[i - 1]!), 'the steps must rise, like 10,25,50,100');

export const deploymentStates = [
  /** Packaging, checking, uploading. */
  'deploying',
  /** The agent runs a rollout (canary, A/B, shadow) and it has not ended. */
  'rolling-out',
  /** Done: the version serves all traffic (a replace, or a promoted rollout). */
  'succeeded',
  /** Rolled back by the agent's analysis, or aborted by a person: stable serves all traffic. */
  'rolled-back',
  /** Never reached the agent, or the agent refused it: what served before serves on. */
  'failed',
] as const;
export const DeploymentState = z.enum(deploymentStates);
export type DeploymentState = z.infer<typeof DeploymentState>;

export const GateStanding = z.object({
  /** The latest gate run's outcome, or none when the version was never gated. */
  outcome: z.enum(['pass', 'warn', 'fail', 'none']),
  reportId: z.string().nullable(),
  summary: z.string(),
});
export type GateStanding = z.infer<typeof GateStanding>;

export const Deployment = z.object({
  id: z.string(),
  /** TARGET/MODEL (edge-1/penguins): how monitoring, alerts and the CLI name where it runs. */
  name: DeploymentName,
  model: z.string(),
  version: z.number().int().positive(),
  /** How the deploy named it: penguins@champion. */
  ref: z.string(),
  target: z.string(),
  targetUrl: z.string(),
  strategy: DeployStrategy,
  steps: z.array(z.number()).nullable(),
  intervalMs: z.number().int().nullable(),
  thresholds: RolloutThresholds.nullable(),
  state: DeploymentState,
  /** Who started it (the OS user) and from which front door. */
  by: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  gate: GateStanding,
  /** The agent's rollout id (canary, A/B, shadow); null for replace. */
  rolloutId: z.string().nullable(),
  /** The written reason when the gates' refusal was overridden; null otherwise. */
  overrideReason: z.string().nullable(),
  /** SHA-256 of the signed bundle sent. */
  bundleSha256: z.string().nullable(),
  /** The version the target served before (null: nothing). */
  previousVersion: z.string().nullable(),
  /** One sentence on how it stands or ended. */
  outcome: z.string(),
});
export type Deployment = z.infer<typeof Deployment>;

export const deploymentEventKinds = [
  'started', 'gates-checked', 'gates-overridden', 'packaged', 'uploaded', 'switched', 'rollout-started', 'agent-decision', 'promoted', 'rolled-back', 'aborted', 'failed',
  /** The training reference sent to the agent, or why drift will not be judged. */
  'monitoring',
] as const;
export const DeploymentEvent = z.object({
  deployment: z.string(),
  at: z.string(),
  kind: z.enum(deploymentEventKinds),
  message: z.string(),
});
export type DeploymentEvent = z.infer<typeof DeploymentEvent>;

/** A rollout as the agent reports it, live: the agent's own RolloutStatus (agent-admin.ts). */
export { RolloutStatus };

export const deployStart = defineCall(
  'deploy:start',
  'Deploy a model version (NAME@3, NAME@champion) to a target: checked by its gates, packaged, signed, uploaded; replace switches, canary/ab/shadow start a rollout on the agent',
  z.object({
    workspace: WorkspacePath,
    ref: ModelRefText,
    target: TargetName,
    strategy: DeployStrategy.default('replace'),
    steps: RolloutSteps.optional(),
    intervalMs: z.number().int().min(1000).max(86_400_000).optional(),
    thresholds: RolloutThresholds.optional(),
    /** A/B: percent of keyed traffic to the new version (default 50), and where the sticky key comes from. */
    weight: z.number().int().min(1).max(99).optional(),
    routing: AbRouting.optional(),
    /** Deploy although the latest gate run failed, or there is none; the reason is recorded. */
    override: z
      .object({ reason: multiLineText(MAX_OVERRIDE_REASON, 'the reason').refine((reason) => reason.trim().length > 0, 'an override needs a written reason') })
      .optional(),
  }),
  Deployment,
);

export const TargetStatus = z.object({
  target: z.string(),
  url: z.string(),
  health: TargetHealth,
  /** Each model the agent serves, with the rollout running on it (null: none) and the deployment that put it there. */
  models: z.array(ServedModel.extend({ rolloutStatus: RolloutStatus.nullable(), deployment: z.string().nullable(), /** TARGET/MODEL, as monitoring names it. */ deploymentName: DeploymentName })),
});
export type TargetStatus = z.infer<typeof TargetStatus>;

export const deployStatus = defineCall(
  'deploy:status',
  'What runs where, live from the agents: per target, each model served, its versions and weights, and any rollout',
  z.object({ workspace: WorkspacePath, target: TargetName.optional(), model: ModelName.optional() }),
  z.array(TargetStatus),
);

const RolloutAction = z.object({ workspace: WorkspacePath, target: TargetName, model: ModelName });

export const deployPromote = defineCall('deploy:promote', "Promote a rollout now: the candidate takes all traffic and becomes stable", RolloutAction, Deployment);
export const deployAbort = defineCall('deploy:abort', 'Abort a rollout (roll back): all traffic back to stable, the candidate unloaded', RolloutAction, Deployment);

export const DeploymentWithEvents = Deployment.extend({ events: z.array(DeploymentEvent) });
export type DeploymentWithEvents = z.infer<typeof DeploymentWithEvents>;

export const deployHistory = defineCall(
  'deploy:history',
  'Every deployment recorded in this workspace, newest first, with its events (who, when, what, strategy, outcome, the agent\'s decisions)',
  z.object({ workspace: WorkspacePath, target: TargetName.optional(), model: ModelName.optional(), limit: z.number().int().min(1).max(1000).default(50) }),
  z.array(DeploymentWithEvents),
);

export const deployRollout = defineCall(
  'deploy:rollout',
  'One deployment with its rollout as the agent reports it now (traffic split, step, analyses over time, decisions)',
  z.object({ workspace: WorkspacePath, id: z.string().min(1).max(100) }),
  z.object({ deployment: DeploymentWithEvents, rollout: RolloutStatus.nullable(), problem: z.string().nullable() }),
);

export const KserveExport = z.object({
  dir: z.string(),
  files: z.array(z.object({ path: z.string(), bytes: z.number().int().nonnegative() })),
  image: z.string(),
  signer: z.string(),
  model: z.string(),
  version: z.number().int().positive(),
});
export type KserveExport = z.infer<typeof KserveExport>;

export const deployExportKserve = defineCall(
  'deploy:export-kserve',
  'Write a version as a signed bundle, a Dockerfile that runs the packed agent with it, and a KServe InferenceService manifest',
  z.object({
    workspace: WorkspacePath,
    ref: ModelRefText,
    /** An absolute folder; made when missing, and must be empty unless `force`. */
    dir: z.string().min(1).max(4096),
    /** Percent of traffic for this revision as a KServe canary (canaryTrafficPercent). */
    canaryPercent: z.number().int().min(0).max(100).optional(),
    /** The image name the manifest refers to (what you will build and push). */
    image: z.string().min(1).max(300).regex(/^[a-z0-9][a-z0-9._/:@-]*$/, 'an image reference: registry/name:tag in lowercase').optional(),
    force: z.boolean().default(false),
  }),
  KserveExport,
  { transport: 'path' },
);

/** One point of a deployment's series: what happened between two scrapes of the agent's /metrics. */
export const MonitoringPoint = z.object({
  at: z.string(),
  version: z.string(),
  requestsPerSecond: z.number(),
  /** Failed share of requests in the interval; null when there were none. */
  errorRate: z.number().nullable(),
  /** Latency percentiles from the histogram buckets, in ms; null when there were no requests. */
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
});
export type MonitoringPoint = z.infer<typeof MonitoringPoint>;

export const monitoringSeries = defineCall(
  'monitoring:series',
  "A deployment's requests/s, error rate and latency percentiles over time, from the agent's metrics kept in the workspace",
  z.object({ workspace: WorkspacePath, target: TargetName, model: ModelName, from: z.string().datetime().optional(), to: z.string().datetime().optional() }),
  z.object({ target: z.string(), model: z.string(), intervalMs: z.number().int(), retentionDays: z.number(), points: z.array(MonitoringPoint) }),
);

export const deploymentsChanged = defineEvent('deployments:changed', z.object({ workspace: WorkspacePath, id: z.string(), state: DeploymentState }));

/** A step of a deploy under way ("Uploading 15 kB to edge-1…"), for a front door that shows progress. */
export const deploymentsProgress = defineEvent('deployments:progress', z.object({ workspace: WorkspacePath, id: z.string(), message: z.string() }));
