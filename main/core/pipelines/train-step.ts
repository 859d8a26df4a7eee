import type { JobInfo } from '../../../shared/contract/jobs.ts';
import type { PipelineStep, StepOutputs } from '../../../shared/contract/pipelines.ts';
import { ErrorCode } from '../../../shared/contract/result.ts';
import type { TrainingStartInput } from '../../../shared/contract/training.ts';
import { parseDatasetRef } from '../datasets/dataset-ref.ts';
import { failure } from '../errors.ts';
import { onCancel, type StepContext } from './step-context.ts';

type TrainStep = Extract<PipelineStep, { kind: 'train' }>;

/**
 * A train step: start a training run on the dataset version an import step made (or a named
 * one), log its progress lines, wait for it, and fail unless it FINISHED. Cancelling the
 * pipeline stops the run (it ends KILLED, as from the CLI).
 */
export async function runTrainStep(step: TrainStep, context: StepContext): Promise<StepOutputs> {
  const { dataset, version } = trainingData(step, context);
  const input: TrainingStartInput = {
    workspace: context.workspace,
    dataset,
    ...(version === undefined ? {} : { version }),
    target: step.target,
    ...(step.task ? { task: step.task } : {}),
    model: 'mlp',
    ...step.params,
    ...(step.experiment ? { experiment: step.experiment } : {}),
    ...(step.runName ? { runName: step.runName } : {}),
  };
  context.signal.throwIfAborted();
  const started = await context.call('training:start', input);
  context.note({ runId: started.runId });
  context.log(`Training ${input.model} on ${dataset}${version === undefined ? '' : `@${version}`} to predict ${step.target}: run ${started.runId}`);
  let last = '';
  const stopFollowing = context.events.on((event) => {
    if (event.name !== 'jobs:changed') return;
    const job = event.payload as JobInfo;
    const message = job.progress?.message;
    if (job.id !== started.jobId || !message || message === last) return;
    last = message;
    context.log(message);
  });
  const stopCancel = onCancel(context, () => context.call('jobs:cancel', { workspace: context.workspace, jobId: started.jobId }));
  try {
    const summary = await context.call('training:wait', { workspace: context.workspace, runId: started.runId });
    const metrics = Object.entries(summary.test).sort(([a], [b]) => (a < b ? -1 : 1));
    if (summary.status !== 'FINISHED') {
      throw failure(ErrorCode.safeParse(summary.error?.code).data ?? 'INTERNAL', `Run ${summary.runId} ${summary.status}: ${summary.error?.message ?? 'it did not finish'}`, {
        ...(summary.error?.hint ? { hint: summary.error.hint } : {}),
      });
    }
    context.log(`Run ${summary.runId} FINISHED after ${summary.epochs.trained} epochs${metrics.length ? ': ' + metrics.map(([key, value]) => `${key} ${typeof value === 'number' ? value.toPrecision(4) : value}`).join(', ') : ''}`);
    return {
      runId: summary.runId,
      experiment: summary.experimentName,
      model: summary.model,
      task: summary.task,
      ...Object.fromEntries(metrics.map(([key, value]) => [key, typeof value === 'number' ? value : String(value)])),
    };
  } finally {
    stopCancel();
    stopFollowing();
  }
}

function trainingData(step: TrainStep, context: StepContext): { dataset: string; version: number | undefined } {
  if (step.from !== undefined) {
    const made = context.outputsOf(step.from);
    return { dataset: String(made.dataset), version: Number(made.version) };
  }
  const ref = parseDatasetRef(step.dataset!);
  return { dataset: ref.name, version: ref.version };
}
