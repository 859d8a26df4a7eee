import { deploymentName, splitDeploymentName, type DeploymentName } from '../../../shared/contract/monitoring.ts';
import type { AgentAddress } from '../deploy/agent-http.ts';
import { addressOf, type TargetContext } from '../deploy/target-calls.ts';
import { failure } from '../errors.ts';
import type { WorkspaceDb } from '../storage/workspace-db.ts';

/**
 * A deployment's name (TARGET/MODEL) made into what is needed to ask its agent: the target's
 * address and token. An unknown target is refused naming the targets there are.
 */
export async function deploymentTarget(context: TargetContext, deployment: DeploymentName): Promise<{ target: string; model: string; address: AgentAddress }> {
  const { target, model } = splitDeploymentName(deployment);
  const stored = await context.targets.get(target);
  if (!stored) {
    const known = (await context.targets.list()).map((t) => t.name).sort();
    throw failure('NOT_FOUND', `${deployment}: no target named ${target}; ${known.length > 0 ? `targets: ${known.join(', ')}` : 'no targets have been added yet'}.`, {
      hint: known.length > 0 ? `Name a deployment TARGET/MODEL, like ${deploymentName(known[0]!, model)}; \`lathe deploy status\` lists what runs where.` : 'Add one with `lathe targets add NAME URL --token-file F`, then deploy to it.',
      location: { field: 'deployment' },
    });
  }
  return { target, model, address: await addressOf(context, stored) };
}

/** NOT_FOUND for a deployment this workspace never made nor kept anything of, naming those it did. */
export function unknownDeployment(db: WorkspaceDb, deployment: DeploymentName, why: string) {
  const made = db.use((sql) => sql.prepare("SELECT DISTINCT target, model FROM deployments WHERE state != 'failed' ORDER BY target, model").all()) as { target: string; model: string }[];
  const names = made.map((row) => deploymentName(row.target, row.model));
  return failure('NOT_FOUND', `${deployment}: ${why}; ${names.length > 0 ? `deployments made from this workspace: ${names.join(', ')}` : 'nothing has been deployed from this workspace yet'}.`, {
    hint: names.length > 0 ? '`lathe deploy status` lists what runs where.' : 'Deploy a model version first: `lathe deploy NAME@VERSION --target T`.',
    location: { field: 'deployment' },
  });
}

/** True when this workspace recorded a deployment that reached the agent. */
export function wasDeployed(db: WorkspaceDb, target: string, model: string): boolean {
  return db.use((sql) => sql.prepare("SELECT 1 FROM deployments WHERE target = ? AND model = ? AND state != 'failed' LIMIT 1").get(target, model)) !== undefined;
}
