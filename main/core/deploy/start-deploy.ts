import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AbRouting, StartRolloutInput } from '../../../shared/contract/agent-admin.ts';
import type { Deployment, DeployStrategy, GateStanding, RolloutThresholds } from '../../../shared/contract/deployments.ts';
import { reachPhase } from '../base/phases.ts';
import { loadOrCreateSigningKey } from '../bundles/signing-keys.ts';
import { packageModelVersion } from '../bundles/package-model-version.ts';
import { failedTo, failure, toLatheError } from '../errors.ts';
import type { EventHub } from '../events.ts';
import { gateReports } from '../gates/gate-results.ts';
import { sendTrainingReference } from '../monitoring/deploy-reference.ts';
import { resolveModelVersion } from '../registry/resolve-model-version.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { agentRefusal, uploadFile, type AgentAddress } from './agent-http.ts';
import { readRollout, servedVersion, settleDeployment, startRollout } from './agent-rollouts.ts';
import { DeploymentLog, processIsAlive } from './deployment-log.ts';
import { addressOf, type TargetContext } from './target-calls.ts';

export interface DeployRequest {
  ref: string;
  target: string;
  strategy: DeployStrategy;
  steps?: number[] | undefined;
  intervalMs?: number | undefined;
  thresholds?: RolloutThresholds | undefined;
  weight?: number | undefined;
  routing?: AbRouting | undefined;
  override?: { reason: string } | undefined;
}

export interface DeployServices {
  workspace: Workspace;
  targets: TargetContext;
  /** The user's state folder: the signing key, and bundles being sent (removed after). */
  stateDir: string;
  latheVersion: string;
  events?: EventHub | undefined;
}

/**
 * `deploy:start`, as its algorithm:
 *
 * 1. resolve the version and the target (its token from the secret store);
 * 2. the version's latest gate run must have passed (or warned) — a failed run, or none, refuses
 *    unless an override gives a written reason, which the deployment keeps;
 * 3. record the deployment as under way (refused, naming the first, when one of this model to
 *    this target is under way already);
 * 4. package and sign its bundle into the state folder, and stream it to the agent:
 *    replace → `PUT /admin/models/{name}` (the agent loads, checks, switches);
 *    canary / A-B / shadow → `PUT /admin/models/{name}/candidate`, then `POST /admin/rollouts`;
 *    once loaded, its training reference → `PUT /admin/models/{name}/reference` (monitoring
 *    judges drift against it; when it cannot be built or sent the deploy goes on, and the log
 *    says drift will not be judged and why);
 * 5. record how it went. Any failure records the deployment as failed with the reason — never
 *    as deployed — and the bundle file is removed whatever happens.
 */
export async function startDeploy(services: DeployServices, request: DeployRequest): Promise<Deployment> {
  const { workspace, events } = services;
  checkStrategyOptions(request);
  const version = await resolveModelVersion(workspace, request.ref);
  const label = `${version.name}@${version.version}`;
  const stored = await services.targets.targets.require(request.target);
  const target = await addressOf(services.targets, stored);
  const gate = await gateStanding(workspace, version.name, version.version);
  const reason = request.override?.reason.trim() || null;
  if ((gate.outcome === 'fail' || gate.outcome === 'none') && !reason) {
    throw failure('FAILED_PRECONDITION', `${label} was not deployed: ${gate.summary}`, {
      hint: gate.outcome === 'none'
        ? `Run its gates first (\`lathe gates run ${label}\`, or "Run gates" on its page in Models), or deploy anyway with a written reason (\`--override-reason "…"\`), which the deployment history keeps.`
        : `Fix what failed and run the gates again, or deploy anyway with a written reason (\`--override-reason "…"\`), which the deployment history keeps.`,
    });
  }

  const log = new DeploymentLog(workspace.db);
  log.recoverAbandoned(processIsAlive);
  recordUnrecorded(log);
  await settleIfEnded(log, target, version.name);
  const previousVersion = await servedVersion(target, version.name);
  let deployment = log.begin({
    model: version.name,
    version: version.version,
    ref: request.ref,
    target: stored.name,
    targetUrl: stored.url,
    strategy: request.strategy,
    steps: request.strategy === 'canary' ? (request.steps ?? DEFAULT_STEPS) : null,
    intervalMs: request.strategy === 'replace' ? null : (request.intervalMs ?? DEFAULT_INTERVAL_MS),
    thresholds: request.strategy === 'canary' ? (request.thresholds ?? null) : null,
    gate,
    overrideReason: reason && (gate.outcome === 'fail' || gate.outcome === 'none') ? reason : null,
    previousVersion,
  });
  await reachPhase('deploy:recorded');
  const say = (message: string) => events?.emit('deployments:progress', { workspace: workspace.dir, id: deployment.id, message });
  const changed = () => events?.emit('deployments:changed', { workspace: workspace.dir, id: deployment.id, state: deployment.state });
  changed();
  log.event(deployment.id, 'gates-checked', gate.summary);
  if (deployment.overrideReason) log.event(deployment.id, 'gates-overridden', `Deployed although ${gate.outcome === 'none' ? 'it was never gated' : 'its latest gate run failed'}. Reason: ${deployment.overrideReason}`);

  const bundleDir = join(services.stateDir, 'deploy-bundles');
  const bundle = join(bundleDir, `${deployment.id}.lathe`);
  try {
    say(`Packaging and signing ${label}…`);
    await mkdir(bundleDir, { recursive: true, mode: 0o700 });
    const packaged = await packageModelVersion(workspace, `${version.name}@${version.version}`, bundle, { key: await loadOrCreateSigningKey(services.stateDir), latheVersion: services.latheVersion });
    const sha256 = await sha256Of(bundle);
    deployment = log.update(deployment.id, { bundleSha256: sha256 });
    log.event(deployment.id, 'packaged', `Signed bundle of ${packaged.bytes} bytes (sha256 ${sha256.slice(0, 16)}…) by key ${packaged.signer.fingerprint}.`);

    const path = request.strategy === 'replace' ? `/admin/models/${encodeURIComponent(version.name)}` : `/admin/models/${encodeURIComponent(version.name)}/candidate?version=${version.version}`;
    say(`Uploading ${packaged.bytes} bytes to ${stored.name} (${stored.url})…`);
    const upload = await uploadFile(target, path, bundle, packaged.bytes);
    if (upload.reply.status !== 200) throw agentRefusal(target, path, upload.reply);
    log.event(deployment.id, 'uploaded', `${stored.name} received, verified and loaded ${label}.`);
    say(`${stored.name} verified and loaded ${label}.`);

    // Drift is judged against the data the version learnt from; without it the deploy goes on, and says so.
    say(`Sending the training reference of ${label}…`);
    const reference = await sendTrainingReference(workspace, target, version);
    log.event(deployment.id, 'monitoring', reference.message);
    say(reference.message);

    if (request.strategy === 'replace') {
      const outcome = `${label} serves all traffic on ${stored.name}${previousVersion ? ` (was version ${previousVersion})` : ''}.`;
      log.event(deployment.id, 'switched', outcome);
      deployment = log.update(deployment.id, { state: 'succeeded', outcome });
    } else {
      say(`Starting the ${request.strategy} rollout on ${stored.name}…`);
      const status = await startRollout(target, rolloutSpec(request, version.name, String(version.version)));
      log.event(deployment.id, 'rollout-started', `Rollout ${status.id}: ${describeRollout(status.spec)}.`);
      deployment = log.update(deployment.id, { state: 'rolling-out', rolloutId: status.id, outcome: `Rolling out: ${status.weight}% of traffic to ${label}.` });
    }
    changed();
    return deployment;
  } catch (error) {
    const said = toLatheError(error).message;
    try {
      log.event(deployment.id, 'failed', said);
      deployment = log.update(deployment.id, { state: 'failed', outcome: `Not deployed: ${said}` });
      changed();
    } catch {
      // The database refused too (the same full disk?): the deployment is left under way, owned by
      // this process; the next deploy here retries recording it as failed before it begins.
      unrecorded.add(deployment.id);
    }
    const failed = failedTo(`deploy ${label} to ${stored.name}`, error, '');
    throw failure(failed.error.code, `Could not deploy ${label} to ${stored.name}: ${sentence(lowerFirst(failed.error.message.replace(/^Could not deploy [^:]+: /, '').trim()))} Nothing was deployed; what ${stored.name} served before serves on (deployment ${deployment.id} is recorded as failed).`, {
      ...(failed.error.hint ? { hint: failed.error.hint } : {}),
      ...(failed.error.location ? { location: failed.error.location } : {}),
    });
  } finally {
    await rm(bundle, { force: true }).catch(() => undefined);
  }
}

/** Failed deployments of this process whose failure could not be written down yet. */
const unrecorded = new Set<string>();

function recordUnrecorded(log: DeploymentLog): void {
  for (const id of unrecorded) {
    const left = log.get(id);
    if (left?.state === 'deploying') {
      log.event(id, 'failed', 'This deployment failed while its workspace database could not be written; recorded now.');
      log.update(id, { state: 'failed', outcome: 'Not deployed: it failed while the workspace database could not be written.' });
    }
    unrecorded.delete(id);
  }
}

export const DEFAULT_STEPS = [10, 25, 50, 100];
export const DEFAULT_INTERVAL_MS = 60_000;

/** Options that belong to another strategy are refused, not silently dropped. */
function checkStrategyOptions(request: DeployRequest): void {
  const wrong = (option: string, belongs: string) =>
    failure('INVALID_INPUT', `${option} is for ${belongs} deploys; this one is ${request.strategy}.`, { hint: `Leave ${option} out, or deploy with --strategy ${belongs.split(' ')[0]}.`, location: { field: option.replace(/^--/, '') } });
  if (request.steps && request.strategy !== 'canary') throw wrong('--steps', 'canary');
  if (request.thresholds && request.strategy !== 'canary') throw wrong('thresholds', 'canary');
  if (request.intervalMs !== undefined && request.strategy === 'replace') throw wrong('--interval', 'canary, ab or shadow');
  if ((request.weight !== undefined || request.routing) && request.strategy !== 'ab') throw wrong('--weight', 'ab');
}

function rolloutSpec(request: DeployRequest, model: string, candidateVersion: string): StartRolloutInput {
  const intervalMs = request.intervalMs ?? DEFAULT_INTERVAL_MS;
  if (request.strategy === 'canary') return { strategy: 'canary', model, candidateVersion, steps: request.steps ?? DEFAULT_STEPS, intervalMs, ...(request.thresholds ? { analysis: request.thresholds } : {}) };
  if (request.strategy === 'ab') return { strategy: 'ab', model, candidateVersion, intervalMs, ...(request.weight ? { weight: request.weight } : {}), ...(request.routing ? { routing: request.routing } : {}) };
  return { strategy: 'shadow', model, candidateVersion, intervalMs };
}

function describeRollout(spec: StartRolloutInput): string {
  if (spec.strategy === 'canary') return `canary through ${(spec.steps ?? []).join(', ')}% every ${(spec.intervalMs ?? DEFAULT_INTERVAL_MS) / 1000} s`;
  if (spec.strategy === 'ab') return `A/B at ${spec.weight ?? 50}% to the new version`;
  return `shadow: every request mirrored to the new version, its replies dropped`;
}

/** The version's latest gate run, in one sentence. */
export async function gateStanding(workspace: Workspace, model: string, version: number): Promise<GateStanding> {
  const [latest] = await gateReports(workspace, model, version, 1);
  const label = `${model}@${version}`;
  if (!latest) return { outcome: 'none', reportId: null, summary: `${label} has never been through its gates.` };
  const said = { pass: 'passed', warn: 'passed with warnings', fail: 'FAILED' }[latest.outcome];
  return { outcome: latest.outcome, reportId: latest.id, summary: `${label}'s latest gate run (${latest.id}) ${said}: ${latest.summary}` };
}

/** A rollout of this model still recorded as under way that the agent has ended: written down, so it no longer blocks. */
async function settleIfEnded(log: DeploymentLog, target: AgentAddress, model: string): Promise<void> {
  const open = log.underWay(target.name, model);
  if (!open || open.state !== 'rolling-out' || !open.rolloutId) return;
  settleDeployment(log, open, await readRollout(target, open.rolloutId));
}

const sentence = (text: string) => (/[.!?)]$/.test(text) ? text : `${text}.`);
const lowerFirst = (text: string) => (/^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
