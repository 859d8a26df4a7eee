import type { PipelineSpec } from '../../../shared/contract/pipelines.ts';
import type { ResolvedPlan, RetrainPolicy } from '../../../shared/contract/retraining.ts';
import type { TrainingStartInput } from '../../../shared/contract/training.ts';
import type { ModelVersion } from '../../../shared/contract/registry.ts';
import { failure, LatheFailure } from '../errors.ts';
import { knobsFromParams } from '../training/model-spec.ts';
import type { RetrainServices } from './retrain-services.ts';

/**
 * Which plan a retrain follows: the workspace pipeline (lathe.pipeline.json) when it trains and
 * registers this model, else the built-in plan — train on the newest version of the dataset the
 * champion was trained on, with the champion's target, task and knobs.
 */
export async function resolvePlan(policy: RetrainPolicy, services: RetrainServices): Promise<ResolvedPlan> {
  const pipeline = policy.plan === 'built-in' ? null : await services.call('pipelines:get', { workspace: services.workspace }).catch(() => null);
  const registers = pipeline?.exists && pipeline.spec ? registersModel(pipeline.spec, policy.model) : false;
  if (policy.plan === 'pipeline' || (policy.plan === 'auto' && registers)) {
    const steps = pipeline?.exists ? pipeline.spec?.steps.map((step) => step.id).join(' → ') : undefined;
    return { kind: 'pipeline', summary: steps ? `the workspace pipeline (${steps})` : 'the workspace pipeline (lathe.pipeline.json, which is missing or has errors now)' };
  }
  return { kind: 'built-in', summary: `the built-in plan: train on the newest version of ${policy.model}@champion's dataset with its knobs, gate against @champion, register the challenger` };
}

/** The pipeline has a train step and a register step naming the model. */
export function registersModel(spec: PipelineSpec, model: string): boolean {
  return spec.steps.some((step) => step.kind === 'train') && spec.steps.some((step) => step.kind === 'register' && step.name === model);
}

/** The champion, or a refusal saying the built-in plan needs one. */
export async function champion(model: string, services: RetrainServices): Promise<ModelVersion> {
  try {
    return await services.call('models:get-version', { workspace: services.workspace, ref: `${model}@champion` });
  } catch (error) {
    if (error instanceof LatheFailure && error.error.code === 'NOT_FOUND') {
      throw failure('FAILED_PRECONDITION', `${model} has no champion, and the built-in plan retrains the champion (its dataset, target and knobs): ${error.message}`, {
        hint: `Point the champion alias at a version (\`lathe models alias ${model}@N champion\`), or give the workspace a pipeline that registers ${model}.`,
      });
    }
    throw error;
  }
}

/** training:start's input for the built-in plan: the champion's recipe on the newest data. */
export async function builtInTraining(model: string, runId: string, services: RetrainServices): Promise<{ input: TrainingStartInput; champion: ModelVersion }> {
  const best = await champion(model, services);
  const params = best.lineage.params;
  const dataset = best.lineage.dataset?.name ?? params.dataset;
  if (!dataset || !params.target) {
    throw failure('FAILED_PRECONDITION', `${model}@${best.version} (the champion) does not record the dataset and target it was trained on, so the built-in plan cannot retrain it.`, {
      hint: `Give the workspace a pipeline (lathe.pipeline.json) whose register step names ${model}.`,
    });
  }
  const versions = await services.call('datasets:log', { workspace: services.workspace, name: dataset }).catch((error: unknown) => {
    if (error instanceof LatheFailure && error.error.code === 'NOT_FOUND') return [];
    throw error;
  });
  const newest = versions[0];
  if (!newest) {
    throw failure('NOT_FOUND', `The dataset "${dataset}" that trained the champion ${model}@${best.version} is not in this workspace any more (it was deleted), so there is nothing to retrain on.`, {
      hint: `Import the data again as "${dataset}" (\`lathe data import FILE --name ${dataset}\`), or give the workspace a pipeline that registers ${model}.`,
      location: { field: 'dataset' },
    });
  }
  const knobs = withoutUnset(knobsFromParams(params));
  return {
    champion: best,
    input: {
      workspace: services.workspace,
      dataset,
      version: newest.version,
      target: params.target,
      task: params.task === 'regression' ? 'regression' : 'classification',
      ...knobs,
      experiment: best.lineage.run.experimentName,
      runName: `retrain of ${model}@${best.version} on ${dataset}@${newest.version} (${runId})`.slice(0, 250),
    },
  };
}

/** The knobs the champion's run recorded; those it did not (undefined, or unreadable numbers) take training's defaults. */
function withoutUnset<T extends object>(knobs: T): T {
  return Object.fromEntries(Object.entries(knobs).filter(([, value]) => value !== undefined && !(typeof value === 'number' && Number.isNaN(value)))) as T;
}
