import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RETRAIN_POLICY_FOLDER, type RetrainPolicy } from '../../../shared/contract/retraining.ts';
import { parseDatasetRef } from '../datasets/dataset-ref.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { readPolicy } from './policy-file.ts';
import type { RetrainLoop } from './retrain-loop.ts';
import type { RetrainServices } from './retrain-services.ts';

/**
 * The triggers that are not alerts: a new version of a model's training data, and a schedule.
 * Each looks only at policies that ask for it (a policy that is off starts nothing and, unlike an
 * alert, notes nothing: no data or clock event is "about" a model until its policy says so).
 */

/** The policies in `retraining/`; one that cannot be read is left out here (`lathe retrain policy` says what is wrong with it). */
export async function workspacePolicies(workspace: Workspace): Promise<RetrainPolicy[]> {
  const names = await readdir(join(workspace.dir, RETRAIN_POLICY_FOLDER)).catch(() => [] as string[]);
  const policies: RetrainPolicy[] = [];
  for (const name of names.filter((file) => file.endsWith('.json')).sort()) {
    const read = await readPolicy(workspace, name.slice(0, -'.json'.length)).catch(() => null);
    if (read?.exists) policies.push(read.policy);
  }
  return policies;
}

/** The dataset a model retrains on: its champion's, else the one its pipeline's train step names. */
export async function trainingDatasetOf(model: string, services: RetrainServices): Promise<string | null> {
  const champion = await services.call('models:get-version', { workspace: services.workspace, ref: `${model}@champion` }).catch(() => null);
  if (champion?.lineage.dataset) return champion.lineage.dataset.name;
  const pipeline = await services.call('pipelines:get', { workspace: services.workspace }).catch(() => null);
  const train = pipeline?.spec?.steps.find((step) => step.kind === 'train' && step.dataset !== undefined);
  return train?.kind === 'train' && train.dataset ? parseDatasetRef(train.dataset).name : null;
}

/** A new version of `dataset`: every enabled policy with `newData` whose model trains on it retrains. */
export async function newDataArrived(loop: RetrainLoop, workspace: Workspace, dataset: string, services: RetrainServices): Promise<void> {
  for (const policy of await workspacePolicies(workspace)) {
    if (!policy.enabled || !policy.triggers.newData) continue;
    if ((await trainingDatasetOf(policy.model, services)) !== dataset) continue;
    const [newest] = await services.call('datasets:log', { workspace: services.workspace, name: dataset }).catch(() => []);
    await loop.start(workspace, policy.model, { kind: 'new-data', detail: `${dataset}@${newest?.version ?? '?'}` });
  }
}

/**
 * Every enabled policy with `everyHours` whose time has come: its last schedule trigger (run or
 * skipped) that many hours ago, or, before the first, the policy's commit.
 */
export async function schedulesDue(loop: RetrainLoop, workspace: Workspace, services: RetrainServices): Promise<void> {
  const now = services.now();
  for (const policy of await workspacePolicies(workspace)) {
    if (!policy.enabled || policy.triggers.everyHours === null) continue;
    const last = loop.records(workspace).lastTriggered(policy.model, 'schedule') ?? (await policySince(workspace, policy.model));
    if (last === null || now < last + policy.triggers.everyHours * 3_600_000) continue;
    await loop.start(workspace, policy.model, { kind: 'schedule', detail: `every ${policy.triggers.everyHours} h` });
  }
}

async function policySince(workspace: Workspace, model: string): Promise<number | null> {
  const [commit] = await workspace.git.history(`${RETRAIN_POLICY_FOLDER}/${model}.json`, 1).catch(() => []);
  return commit ? Date.parse(commit.date) : null;
}
