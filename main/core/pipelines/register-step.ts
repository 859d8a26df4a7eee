import type { PipelineStep, StepOutputs } from '../../../shared/contract/pipelines.ts';
import type { StepContext } from './step-context.ts';

type RegisterStep = Extract<PipelineStep, { kind: 'register' }>;

/** A register step: the train step's run becomes the next version of a named model (models:register). */
export async function runRegisterStep(step: RegisterStep, context: StepContext): Promise<StepOutputs> {
  const runId = String(context.outputsOf(step.from!).runId);
  context.signal.throwIfAborted();
  const registered = await context.call('models:register', { workspace: context.workspace, runId, name: step.name, ...(step.description ? { description: step.description } : {}) });
  context.log(`Registered run ${runId} as ${registered.name}@${registered.version}`);
  return { model: registered.name, version: registered.version, ref: `${registered.name}@${registered.version}`, runId };
}
