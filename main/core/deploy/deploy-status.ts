import type { RolloutAction, RolloutStatus } from '../../../shared/contract/agent-admin.ts';
import type { Deployment, DeploymentWithEvents, TargetStatus } from '../../../shared/contract/deployments.ts';
import { deploymentName } from '../../../shared/contract/monitoring.ts';
import { failure, toLatheError } from '../errors.ts';
import { actOnRollout, readRollout, rolloutEnded, rolloutsOf, settleDeployment } from './agent-rollouts.ts';
import { currentUser, type DeploymentLog } from './deployment-log.ts';
import { probeTarget } from './target-health.ts';
import { addressOf, type TargetContext } from './target-calls.ts';

/**
 * What runs where, live: `deploy:status`, `deploy:rollout`, and a person's promote or abort of a
 * rollout. Each brings the workspace's log up to what the agent says, so a rollout the agent
 * ended by itself (a rollback at 3 a.m.) is recorded the next time anyone looks.
 */
export async function deployStatus(context: TargetContext, log: DeploymentLog, filter: { target?: string | undefined; model?: string | undefined }): Promise<TargetStatus[]> {
  const targets = filter.target ? [await context.targets.require(filter.target)] : await context.targets.list();
  return Promise.all(
    targets.map(async (stored): Promise<TargetStatus> => {
      const token = await context.secrets.get(stored.secretId).catch(() => null);
      const address = { name: stored.name, url: stored.url, token };
      const health = await probeTarget(address);
      const models = await Promise.all(
        health.models
          .filter((model) => !filter.model || model.name === filter.model)
          .map(async (model) => {
            let rolloutStatus: RolloutStatus | null = null;
            if (model.rollout) rolloutStatus = await readRollout(address, model.rollout).catch(() => null);
            await settleOpen(log, stored.name, model.name, address);
            return { ...model, rolloutStatus, deployment: log.latest(stored.name, model.name)?.id ?? null, deploymentName: deploymentName(stored.name, model.name) };
          }),
      );
      return { target: stored.name, url: stored.url, health, models };
    }),
  );
}

/** A rollout recorded as under way: asked of the agent, and settled when it has ended (errors left for the next look). */
async function settleOpen(log: DeploymentLog, target: string, model: string, address: { name: string; url: string; token: string | null }): Promise<void> {
  const open = log.underWay(target, model);
  if (open?.state !== 'rolling-out' || !open.rolloutId) return;
  const status = await readRollout(address, open.rolloutId).catch(() => null);
  if (status) settleDeployment(log, open, status);
}

export async function deploymentRollout(context: TargetContext, log: DeploymentLog, id: string): Promise<{ deployment: DeploymentWithEvents; rollout: RolloutStatus | null; problem: string | null }> {
  const deployment = log.require(id);
  if (!deployment.rolloutId) return { deployment: log.withEvents(id), rollout: null, problem: deployment.strategy === 'replace' ? null : 'This deployment never started a rollout on the agent.' };
  try {
    const stored = await context.targets.require(deployment.target);
    const rollout = await readRollout(await addressOf(context, stored), deployment.rolloutId);
    settleDeployment(log, deployment, rollout);
    return { deployment: log.withEvents(id), rollout, problem: null };
  } catch (error) {
    return { deployment: log.withEvents(id), rollout: null, problem: toLatheError(error).message };
  }
}

/**
 * Promote or abort the rollout running on `model` at `target` (the agent's, whoever started it),
 * and record it on the deployment that started it when this workspace did.
 */
export async function actOnModelRollout(context: TargetContext, log: DeploymentLog, request: { target: string; model: string }, action: Extract<RolloutAction, 'promote' | 'abort'>): Promise<Deployment> {
  const stored = await context.targets.require(request.target);
  const address = await addressOf(context, stored);
  const running = (await rolloutsOf(address, request.model)).find((rollout) => !rolloutEnded(rollout));
  const recorded = log.underWay(stored.name, request.model);
  if (!running) {
    if (recorded?.rolloutId) settleDeployment(log, recorded, await readRollout(address, recorded.rolloutId));
    throw failure('FAILED_PRECONDITION', `No rollout of ${request.model} is running on ${stored.name}, so there is nothing to ${action}.`, {
      hint: '`lathe deploy status` shows what runs there; `lathe deploy history` how earlier rollouts ended.',
    });
  }
  const status = await actOnRollout(address, running.id, action, `${action === 'promote' ? 'promoted' : 'aborted'} by ${currentUser()} from Lathe`);
  const deployment = recorded?.rolloutId === running.id ? recorded : null;
  if (!deployment) {
    throw failure('NOT_FOUND', `The rollout ${running.id} of ${request.model} on ${stored.name} was ${action === 'promote' ? 'promoted' : 'aborted'} (now ${status.phase}), but it was not started from this workspace, so no deployment here records it.`);
  }
  // The agent's decision log (copied in by settleDeployment) says who ended it and why.
  return settleDeployment(log, deployment, status);
}
