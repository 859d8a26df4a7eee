import type { PipelineStep, StepOutputs } from '../../../shared/contract/pipelines.ts';
import { failure } from '../errors.ts';
import { runGatesStep } from './gates-step.ts';
import { runImportStep } from './import-step.ts';
import { runRegisterStep } from './register-step.ts';
import type { StepContext } from './step-context.ts';
import { runTrainStep } from './train-step.ts';

/** Run one step by its kind; what it made comes back as its outputs. */
export async function runStep(step: PipelineStep, context: StepContext): Promise<StepOutputs> {
  switch (step.kind) {
    case 'import':
      return runImportStep(step, context);
    case 'train':
      return runTrainStep(step, context);
    case 'gates':
      return runGatesStep(step, context);
    case 'register':
      return runRegisterStep(step, context);
    case 'deploy':
      throw failure('UNAVAILABLE', `Step "${step.id}": deploy steps are not built yet.`, {
        hint: 'Remove the deploy step (or end the pipeline before it) for now; what the steps before it made is kept.',
        location: { file: 'lathe.pipeline.json', field: 'kind' },
      });
  }
}
