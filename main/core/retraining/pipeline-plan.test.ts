import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallName, InputOf, OutputOf } from '../../../shared/contract/calls.ts';
import type { RetrainPolicy } from '../../../shared/contract/retraining.ts';
import { dispatch } from '../dispatch.ts';
import { LatheFailure } from '../errors.ts';
import { useTrainedWorkspace } from '../testing/trained-workspace.ts';
import { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { retrainCalls, type RetrainCalls } from './retrain-calls.ts';

/**
 * When the workspace's pipeline (lathe.pipeline.json) trains and registers the model, a retrain
 * runs it instead of the built-in plan, then gates its version against the champion; the version
 * the pipeline registered says which retrain made it.
 */
const trained = useTrainedWorkspace(1, 'lathe-retrain-pipeline-');
const workspaces = new OpenWorkspaces();
let retrain: RetrainCalls;

async function retrainCall<N extends CallName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const result = await dispatch(retrain.handlers, name, input);
  if (!result.ok) throw new LatheFailure(result.error);
  return result.value as OutputOf<N>;
}

const policy: RetrainPolicy = {
  schemaVersion: 1,
  model: 'penguins',
  enabled: true,
  triggers: { alerts: ['dataset-drift'], newData: false, everyHours: null },
  plan: 'auto',
  deploy: null,
  approval: { train: 'auto', register: 'auto', deploy: 'auto' },
  caps: { maxRunsPerDay: 5, cooldownMinutes: 0 },
};

beforeAll(async () => {
  const { call, workspace, runIds, core } = trained();
  await call('models:register', { workspace, runId: runIds[0]!, name: 'penguins' });
  await call('models:set-alias', { workspace, ref: 'penguins@1', alias: 'champion' });
  retrain = retrainCalls({ workspaces, events: core.events, dispatch: (name, input) => dispatch(core.handlers, name, input), watching: null });
}, 120_000);
afterAll(async () => {
  await retrain?.close();
  await workspaces.closeAll();
});

describe('a retrain that follows the workspace pipeline', () => {
  it('runs lathe.pipeline.json when it registers the model, gates the version it made and names it the challenger', async () => {
    const { call, workspace } = trained();
    await retrainCall('retrain:save-policy', { workspace, policy });
    expect((await retrainCall('retrain:policy', { workspace, model: 'penguins' })).plan.kind).toBe('built-in'); // no pipeline yet
    const pipeline = {
      schemaVersion: 1,
      name: 'penguins nightly',
      steps: [
        { id: 'train', kind: 'train', dataset: 'penguins', target: 'Species', params: { model: 'linear', epochs: 3, seed: 1 } },
        { id: 'register', kind: 'register', from: 'train', name: 'penguins' },
      ],
    };
    await call('pipelines:save', { workspace, text: JSON.stringify(pipeline, null, 2) });
    expect((await retrainCall('retrain:policy', { workspace, model: 'penguins' })).plan).toEqual({ kind: 'pipeline', summary: 'the workspace pipeline (train → register)' });

    const { run } = await retrainCall('retrain:start', { workspace, model: 'penguins', wait: true });
    expect(run).toMatchObject({ state: 'succeeded', plan: { kind: 'pipeline' }, links: { modelVersion: 2 } });
    expect(run!.links.pipelineRunId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    expect(run!.steps.find((s) => s.name === 'register')!.message).toBe('penguins@2 registered by the pipeline');
    const version = await call('models:get-version', { workspace, ref: 'penguins@2' });
    expect(version.description).toContain(`Retrained by retrain run ${run!.id}`);
    expect(version.aliases).toEqual(['challenger']);
    const [pipelineRun] = await call('pipelines:runs', { workspace, limit: 1 });
    expect(pipelineRun).toMatchObject({ id: run!.links.pipelineRunId, status: 'passed' });

    // A pipeline that registers another model is not this model's plan; forced, the run says why it fails.
    await call('pipelines:save', { workspace, text: JSON.stringify({ ...pipeline, steps: [pipeline.steps[0], { ...pipeline.steps[1], name: 'other' }] }) });
    expect((await retrainCall('retrain:policy', { workspace, model: 'penguins' })).plan.kind).toBe('built-in');
    await retrainCall('retrain:save-policy', { workspace, policy: { ...policy, plan: 'pipeline' } });
    const forced = await retrainCall('retrain:start', { workspace, model: 'penguins', wait: true });
    expect(forced.run).toMatchObject({ state: 'failed' });
    expect(forced.run!.why).toMatch(/^train failed: pipeline run .* passed but registered no version of penguins: its register step names another model\.$/);
  }, 120_000);
});
