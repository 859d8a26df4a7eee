import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallName, InputOf, LatheEvent, OutputOf } from '../../../shared/contract/calls.ts';
import type { RetrainPolicy, RetrainRun } from '../../../shared/contract/retraining.ts';
import { dispatch } from '../dispatch.ts';
import { LatheFailure } from '../errors.ts';
import { useTrainedWorkspace } from '../testing/trained-workspace.ts';
import { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { retrainCalls, type RetrainCalls } from './retrain-calls.ts';

/**
 * The triggers that are not alerts: a new version of the champion's training data, and a
 * schedule, whose clock is the test's (`tick()` is what the app's timer calls). The policy asks
 * before training, so each run stops at its first step and nothing is trained here.
 */
const trained = useTrainedWorkspace(1, 'lathe-retrain-triggers-');
const workspaces = new OpenWorkspaces();
const clock = { now: Date.now() };
let retrain: RetrainCalls;

async function retrainCall<N extends CallName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const result = await dispatch(retrain.handlers, name, input);
  if (!result.ok) throw new LatheFailure(result.error);
  return result.value as OutputOf<N>;
}

/** The next run to stop moving: waiting for approval (as these policies ask), or ended. */
function nextRun(): Promise<RetrainRun> {
  return new Promise((resolve) => {
    const off = trained().core.events.on((event: LatheEvent) => {
      if (event.name !== 'retrain:changed' || !event.payload.run || event.payload.run.state === 'running') return;
      off();
      resolve(event.payload.run);
    });
  });
}

async function usePolicy(triggers: RetrainPolicy['triggers']): Promise<void> {
  const policy: RetrainPolicy = {
    schemaVersion: 1,
    model: 'penguins',
    enabled: true,
    triggers,
    plan: 'built-in',
    deploy: null,
    approval: { train: 'ask', register: 'auto', deploy: 'auto' },
    caps: { maxRunsPerDay: 10, cooldownMinutes: 0 },
  };
  await retrainCall('retrain:save-policy', { workspace: trained().workspace, policy });
}

/** Reject the run waiting at its train step, so the next trigger finds none under way. */
async function rejectWaiting(): Promise<void> {
  for (const run of await retrainCall('retrain:runs', { workspace: trained().workspace, model: 'penguins', limit: 10 })) {
    if (run.state === 'waiting-approval') await retrainCall('retrain:reject', { workspace: trained().workspace, run: run.id, reason: 'not in this test' });
  }
}

beforeAll(async () => {
  const { call, workspace, runIds, core } = trained();
  await call('models:register', { workspace, runId: runIds[0]!, name: 'penguins' });
  await call('models:set-alias', { workspace, ref: 'penguins@1', alias: 'champion' });
  retrain = retrainCalls({ workspaces, events: core.events, dispatch: (name, input) => dispatch(core.handlers, name, input), watching: { intervalMs: 3_600_000 }, now: () => clock.now });
}, 120_000);
afterEach(async () => {
  await retrain.idle();
  await rejectWaiting();
});
afterAll(async () => {
  await retrain?.close();
  await workspaces.closeAll();
});

describe('retrain triggers', () => {
  it('retrains when a new version of the champion’s dataset is imported, and not for other data', async () => {
    const { call, workspace, file } = trained();
    await usePolicy({ alerts: [], newData: true, everyHours: null });
    const csv = await readFile(new URL('../../../resources/samples/penguins.csv', import.meta.url), 'utf8');
    const other = await file('other.csv', 'a,b\n1,2\n3,4\n');
    await call('datasets:import-file', { workspace, path: other, name: 'unrelated' });
    const started = nextRun();
    await call('datasets:import-file', { workspace, path: await file('penguins-2.csv', csv.split('\n').slice(0, 200).join('\n')), name: 'penguins' });
    const run = await started;
    expect(run).toMatchObject({ trigger: { kind: 'new-data', detail: 'penguins@2' }, state: 'waiting-approval' });
    const runs = await retrainCall('retrain:runs', { workspace, model: 'penguins', limit: 10 });
    expect(runs).toHaveLength(1); // the unrelated import started nothing
  });

  it('retrains on its schedule: not before the hours have passed since the policy, then once per period', async () => {
    const { workspace } = trained();
    await usePolicy({ alerts: [], newData: false, everyHours: 24 });
    const before = (await retrainCall('retrain:runs', { workspace, model: 'penguins', limit: 100 })).length;
    clock.now = Date.now() + 23 * 3_600_000;
    await retrain.tick();
    expect(await retrainCall('retrain:runs', { workspace, model: 'penguins', limit: 100 })).toHaveLength(before);

    clock.now = Date.now() + 24 * 3_600_000 + 60_000;
    const started = nextRun();
    await retrain.tick();
    expect(await started).toMatchObject({ trigger: { kind: 'schedule', detail: 'every 24 h' }, state: 'waiting-approval' });
    await rejectWaiting();

    clock.now += 3_600_000; // an hour later: not due again
    await retrain.tick();
    expect(await retrainCall('retrain:runs', { workspace, model: 'penguins', limit: 100 })).toHaveLength(before + 1);

    clock.now += 24 * 3_600_000; // the next day
    const again = nextRun();
    await retrain.tick();
    expect((await again).trigger.kind).toBe('schedule');
    expect(await retrainCall('retrain:runs', { workspace, model: 'penguins', limit: 100 })).toHaveLength(before + 2);
  });
});
