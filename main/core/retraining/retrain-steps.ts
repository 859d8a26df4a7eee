import type { RetrainStepName } from '../../../shared/contract/retraining.ts';
import { failure } from '../errors.ts';
import { builtInTraining } from './retrain-plan.ts';
import { describeTrigger, type RunRecord } from './retrain-records.ts';
import type { RetrainServices } from './retrain-services.ts';

/**
 * The work of each step of a retrain, in order: train → register → gates → deploy. Each reads
 * what earlier steps linked on the run (the training run, the version), does one thing through the
 * core's calls, links what it made and says it in a sentence (`progress` saves the run as it goes,
 * so what exists is kept even if the step then fails). Waiting for the rollout is not here: it
 * ends when the deployment settles (run-retrain.ts).
 */
export interface StepIo {
  run: RunRecord;
  services: RetrainServices;
  /** Save the run now, with a timeline entry. */
  progress(kind: 'run' | 'gates' | 'version' | 'rollout', message: string): void;
}

/** What ended a step that did not pass: `stopped` is a verdict (a failed gate), not an error. */
export class StepStopped extends Error {}

export const stepWork: Record<Exclude<RetrainStepName, 'rollout'>, (io: StepIo) => Promise<string>> = {
  async train({ run, services, progress }) {
    if (run.plan.kind === 'pipeline') {
      const pipeline = await services.call('pipelines:run', { workspace: services.workspace, wait: true });
      run.links.pipelineRunId = pipeline.id;
      const trained = pipeline.made.runs.at(-1);
      if (trained) run.links.trainingRunId = trained.runId;
      const made = pipeline.made.models.filter((m) => m.name === run.model).at(-1);
      if (made) run.links.modelVersion = made.version;
      if (pipeline.status !== 'passed') {
        throw failure('FAILED_PRECONDITION', `Pipeline run ${pipeline.id} ${pipeline.status}${pipeline.failedStep ? ` at step "${pipeline.failedStep}"` : ''}: ${pipeline.error?.message ?? 'it did not pass'}`, {
          hint: `\`lathe pipeline runs ${pipeline.id}\` shows each step's log.`,
        });
      }
      if (!made) throw failure('FAILED_PRECONDITION', `Pipeline run ${pipeline.id} passed but registered no version of ${run.model}: its register step names another model.`, { hint: `Name ${run.model} in the pipeline's register step, or set the policy's plan to "built-in".` });
      return `pipeline run ${pipeline.id} passed${trained ? `: training run ${trained.runId}` : ''}`;
    }
    const { input, champion } = await builtInTraining(run.model, run.id, services);
    const started = await services.call('training:start', input);
    run.links.trainingRunId = started.runId;
    progress('run', `Training ${input.model} on ${input.dataset}@${input.version} with the knobs of ${run.model}@${champion.version} (the champion): training run ${started.runId}.`);
    const summary = await services.call('training:wait', { workspace: services.workspace, runId: started.runId });
    if (summary.status !== 'FINISHED') {
      throw failure('FAILED_PRECONDITION', `Training run ${summary.runId} ${summary.status}: ${summary.error?.message ?? 'it did not finish'}`, summary.error?.hint ? { hint: summary.error.hint } : {});
    }
    const metric = Object.entries(summary.test).find(([key]) => key === 'test_accuracy' || key === 'test_rmse');
    return `training run ${summary.runId} finished${metric ? ` (${metric[0]} ${Number(metric[1]).toPrecision(4)})` : ''}`;
  },

  async register({ run, services }) {
    const lineage = `Retrained by retrain run ${run.id} (${describeTrigger(run.trigger)}).`;
    if (run.links.modelVersion !== null) {
      // The pipeline registered it: say where it came from in its description.
      const current = await services.call('models:get-version', { workspace: services.workspace, ref: `${run.model}@${run.links.modelVersion}` });
      if (!current.description.includes(run.id)) {
        await services.call('models:edit', { workspace: services.workspace, name: run.model, version: run.links.modelVersion, description: [current.description.trim(), lineage].filter(Boolean).join('\n\n') });
      }
      return `${run.model}@${run.links.modelVersion} registered by the pipeline`;
    }
    if (run.links.trainingRunId === null) throw failure('INTERNAL', `Retrain run ${run.id} has no training run to register.`);
    const version = await services.call('models:register', { workspace: services.workspace, runId: run.links.trainingRunId, name: run.model, description: lineage });
    run.links.modelVersion = version.version;
    return `registered as ${run.model}@${version.version}`;
  },

  async gates({ run, services }) {
    const ref = `${run.model}@${run.links.modelVersion}`;
    const report = await services.call('gates:run', { workspace: services.workspace, ref, against: `${run.model}@champion` });
    run.links.gateReportId = report.id;
    if (report.outcome === 'fail') {
      const failed = report.checks.filter((check) => check.status === 'fail');
      throw new StepStopped(`the gates of ${ref} against ${report.baseline ?? 'the champion'} failed: ${failed.map((check) => `${check.title} (${check.sentence})`).join('; ') || report.summary}`);
    }
    await services.call('models:set-alias', { workspace: services.workspace, ref, alias: 'challenger' });
    return `gates ${report.outcome === 'warn' ? 'passed with warnings' : 'passed'} against ${report.baseline ?? 'no baseline'} (${report.checks.length} checks); ${ref} is the challenger`;
  },

  async deploy({ run, services }) {
    const deploy = run.policy.deploy!;
    const ref = `${run.model}@${run.links.modelVersion}`;
    const deployment = await services.call('deploy:start', {
      workspace: services.workspace,
      ref,
      target: deploy.target,
      strategy: deploy.strategy,
      ...(deploy.steps ? { steps: deploy.steps } : {}),
      ...(deploy.intervalMs ? { intervalMs: deploy.intervalMs } : {}),
    });
    run.links.deploymentId = deployment.id;
    if (deployment.state === 'failed') throw failure('FAILED_PRECONDITION', `Deployment ${deployment.id} of ${ref} to ${deploy.target} failed: ${deployment.outcome}`);
    return `${deploy.strategy} of ${ref} started on ${deploy.target} (deployment ${deployment.id}${deployment.steps ? `, steps ${deployment.steps.join(',')}` : ''})`;
  },
};
