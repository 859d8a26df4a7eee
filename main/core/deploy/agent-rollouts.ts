import { z } from 'zod';
import { FINISHED_PHASES, RolloutList, RolloutStatus, type RolloutAction, type StartRolloutInput } from '../../../shared/contract/agent-admin.ts';
import type { Deployment, DeploymentState } from '../../../shared/contract/deployments.ts';
import { agentFetch, agentJson, agentRefusal, type AgentAddress } from './agent-http.ts';
import type { DeploymentLog } from './deployment-log.ts';

/**
 * The agent's rollout admin API (shared/contract/agent-admin.ts), as the desktop calls it, and
 * how a rollout the agent reports is written back into the workspace's deployment log.
 */
const ModelPath = (model: string) => `/admin/models/${encodeURIComponent(model)}`;
const StableOf = z.object({ stable: z.object({ version: z.string() }) });

/** The version the target serves `model` as now, or null when it serves no such model. */
export async function servedVersion(target: AgentAddress, model: string): Promise<string | null> {
  const reply = await agentFetch(target, ModelPath(model));
  if (reply.status === 404) return null;
  if (reply.status !== 200) throw agentRefusal(target, ModelPath(model), reply);
  return StableOf.parse(JSON.parse(reply.text)).stable.version;
}

export function startRollout(target: AgentAddress, spec: StartRolloutInput): Promise<RolloutStatus> {
  return agentJson(target, '/admin/rollouts', RolloutStatus, { body: spec });
}

export function readRollout(target: AgentAddress, id: string): Promise<RolloutStatus> {
  return agentJson(target, `/admin/rollouts/${encodeURIComponent(id)}`, RolloutStatus);
}

/** The rollouts of a model on a target, newest first. */
export async function rolloutsOf(target: AgentAddress, model: string): Promise<RolloutStatus[]> {
  return (await agentJson(target, `/admin/rollouts?model=${encodeURIComponent(model)}`, RolloutList)).rollouts;
}

export function actOnRollout(target: AgentAddress, id: string, action: RolloutAction, reason?: string): Promise<RolloutStatus> {
  return agentJson(target, `/admin/rollouts/${encodeURIComponent(id)}/${action}`, RolloutStatus, { body: reason ? { reason } : {} });
}

export const rolloutEnded = (status: RolloutStatus) => FINISHED_PHASES.includes(status.phase);

const endStates: Record<string, { state: DeploymentState; kind: 'promoted' | 'rolled-back' | 'aborted' | 'failed' }> = {
  promoted: { state: 'succeeded', kind: 'promoted' },
  'rolled-back': { state: 'rolled-back', kind: 'rolled-back' },
  aborted: { state: 'rolled-back', kind: 'aborted' },
  failed: { state: 'failed', kind: 'failed' },
};

/**
 * Bring a deployment up to what the agent says of its rollout. When the rollout has ended, the
 * deployment ends with it, and the controller's decisions are copied into its events (so a
 * rollback can be explained from the workspace after the agent is gone). Idempotent.
 */
export function settleDeployment(log: DeploymentLog, deployment: Deployment, status: RolloutStatus): Deployment {
  if (deployment.state !== 'rolling-out' || !rolloutEnded(status)) return deployment;
  const end = endStates[status.phase]!;
  for (const decision of status.decisions) log.event(deployment.id, 'agent-decision', `${decision.action}: ${decision.reason}`, new Date(decision.at));
  const last = status.decisions.at(-1)?.reason.replace(/\.$/, '');
  const outcome =
    status.phase === 'promoted'
      ? `Promoted: ${status.model}@${status.candidate.version} serves all traffic on ${deployment.target}.`
      : `${status.phase === 'aborted' ? 'Aborted' : status.phase === 'failed' ? 'Failed' : 'Rolled back'}: ${status.model}@${status.stable.version} serves all traffic on ${deployment.target}${last ? ` (${last})` : ''}.`;
  log.event(deployment.id, end.kind, outcome);
  return log.update(deployment.id, { state: end.state, outcome });
}
