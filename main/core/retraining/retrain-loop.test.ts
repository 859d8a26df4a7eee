import { dirname, join } from 'node:path';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/contract/alerts.ts';
import type { CallName, InputOf, LatheEvent, OutputOf } from '../../../shared/contract/calls.ts';
import type { RetrainPolicy, RetrainRun } from '../../../shared/contract/retraining.ts';
import { ManualClock } from '../../agent/rollouts/rollout-clock.ts';
import { startAgent, type RunningAgent } from '../../agent/start-agent.ts';
import { cyclingDraw, predictions } from '../../agent/test-support/rollout-harness.ts';
import { loadOrCreateSigningKey } from '../bundles/signing-keys.ts';
import { dispatch } from '../dispatch.ts';
import { LatheFailure } from '../errors.ts';
import { recordGateReport } from '../gates/gate-results.ts';
import { AlertStore } from '../alerts/alert-store.ts';
import { gitCli } from '../testing/git-cli.ts';
import { refusal } from '../testing/refusal.ts';
import { useTrainedWorkspace } from '../testing/trained-workspace.ts';
import { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { retrainCalls, type RetrainCalls } from './retrain-calls.ts';

/**
 * Retraining that closes the loop, end to end on a real workspace and a real agent: an alert
 * starts a run that trains on the champion's data with its knobs, registers the challenger, gates
 * it against the champion and sends it out as a canary, which the agent promotes by itself — and
 * the model's timeline tells it in order. The retraining here is a core that watches (as the
 * desktop app's and `lathe serve`'s do) with its clock in the test's hands; the agent's time is a
 * ManualClock. Nothing waits on time: each step is awaited through the events the core emits.
 */
const trained = useTrainedWorkspace(1, 'lathe-retrain-');
const agents: RunningAgent[] = [];
/** 09:00 UTC, `days` after today: each test its own day (the cap counts runs per UTC day), after anything the real clock stamped. */
const day = (days: number) => Math.floor(Date.now() / 86_400_000) * 86_400_000 + days * 86_400_000 + 9 * 3_600_000;
const clock = { now: day(1) };
let retrain: RetrainCalls;
let agent: RunningAgent & { clock: ManualClock };
let agentDir: string;

/** A retraining core as the app's: watching triggers, with the test's clock. */
const opened: OpenWorkspaces[] = [];
function watchingRetrain(): RetrainCalls {
  const { core } = trained();
  const workspaces = new OpenWorkspaces();
  opened.push(workspaces);
  return retrainCalls({ workspaces, events: core.events, dispatch: (name, input) => dispatch(core.handlers, name, input), watching: { intervalMs: 3_600_000 }, now: () => clock.now });
}

async function retrainCall<N extends CallName>(name: N, input: InputOf<N>, calls: RetrainCalls = retrain): Promise<OutputOf<N>> {
  const result = await dispatch(calls.handlers, name, input);
  if (!result.ok) throw new LatheFailure(result.error);
  return result.value as OutputOf<N>;
}

/** The first event to come that matches (subscribe before causing it). */
function nextEvent(match: (event: LatheEvent) => boolean): Promise<LatheEvent> {
  const { core } = trained();
  return new Promise((resolve) => {
    const off = core.events.on((event) => {
      if (!match(event)) return;
      off();
      resolve(event);
    });
  });
}

/** The next change of a run that meets `test`, or that ends (so a run failing early fails the test instead of hanging it). */
const runEvent = (test: (run: RetrainRun) => boolean) => async () => {
  const event = await nextEvent((e) => e.name === 'retrain:changed' && e.payload.run !== null && (test(e.payload.run) || ended(e.payload.run)));
  return (event.payload as { run: RetrainRun }).run;
};
const ended = (run: RetrainRun) => ['succeeded', 'stopped', 'failed'].includes(run.state);
const rollingOut = (run: RetrainRun) => run.steps.find((s) => s.name === 'rollout')?.status === 'running';

function raise(id: string, ruleKind: Alert['ruleKind'] = 'feature-drift', deployment = 'edge-1/penguins'): void {
  const alert: Alert = {
    id,
    deployment,
    ruleId: 'drift',
    ruleKind,
    severity: 'warning',
    subject: 'bill_length_mm',
    state: 'open',
    raisedAt: new Date(clock.now).toISOString(),
    resolvedAt: null,
    resolution: null,
    ackedAt: null,
    ackedBy: null,
    summary: 'bill_length_mm drifted in 2 windows in a row (Wasserstein 0.31 ≥ 0.1)',
    detail: { windows: [3, 4], measurements: [], dropped: null },
    delivery: { state: 'not-configured' },
  };
  announce(alert);
}

/** As the alerts capability tells the core of an alert it raised. */
function announce(alert: Alert): void {
  trained().core.events.emit('alerts:raised', { workspace: trained().workspace, alert });
}

/** An alert kept in the workspace's alerts as the rules raise one (so the timeline finds it), then announced. */
function raiseStored(): Alert {
  const store = new AlertStore(trained().writer.db, () => new Date(clock.now));
  const summary = 'bill_length_mm drifted in 2 windows in a row (Wasserstein 0.31 ≥ 0.1)';
  const { raised } = store.apply({ raise: [{ deployment: 'edge-1/penguins', ruleId: 'drift', ruleKind: 'feature-drift', severity: 'warning', subject: 'bill_length_mm', summary, detail: { windows: [3, 4], measurements: [], dropped: null } }], resolve: [], update: [] }, { state: 'not-configured' });
  announce(raised[0]!);
  return raised[0]!;
}

function policy(changes: Partial<RetrainPolicy> = {}): RetrainPolicy {
  return {
    schemaVersion: 1,
    model: 'penguins',
    enabled: true,
    triggers: { alerts: ['feature-drift', 'accuracy-below'], newData: false, everyHours: null },
    plan: 'auto',
    deploy: { target: 'edge-1', strategy: 'canary', steps: [50, 100], intervalMs: 30_000 },
    approval: { train: 'auto', register: 'auto', deploy: 'auto' },
    caps: { maxRunsPerDay: 3, cooldownMinutes: 0 },
    ...changes,
  };
}

async function usePolicy(changes: Partial<RetrainPolicy> = {}): Promise<void> {
  await retrainCall('retrain:save-policy', { workspace: trained().workspace, policy: policy(changes) });
}

/** Run the agent's canary to its end: enough traffic each interval for the analysis, then the interval ends. */
async function promoteOnTheAgent(): Promise<void> {
  for (let step = 0; step < 2; step += 1) {
    await predictions(agent.url, 40);
    await agent.clock.tick();
  }
}

beforeAll(async () => {
  const { call, workspace, runIds, writer } = trained();
  await call('models:register', { workspace, runId: runIds[0]!, name: 'penguins' });
  await call('models:set-alias', { workspace, ref: 'penguins@1', alias: 'champion' });
  await recordGateReport(writer, { id: '20260302T080000.000Z-aaaaaa', model: 'penguins', version: 1, baseline: null, data: { name: 'penguins', version: 1, rows: 69, testSplit: true }, startedAt: new Date().toISOString(), durationMs: 1, outcome: 'pass', summary: 'every check passed.', checks: [] });
  const key = await loadOrCreateSigningKey(join(dirname(workspace), 'state'));
  const agentClock = new ManualClock();
  agentDir = await mkdtemp(join(tmpdir(), 'lathe-retrain-agent-'));
  const started = await startAgent({ dataDir: agentDir, trust: [key.publicKey], port: 0, workers: 1, latheVersion: 'test', warn: () => {}, clock: agentClock, random: cyclingDraw() });
  agents.push(started);
  agent = Object.assign(started, { clock: agentClock });
  await call('targets:add', { name: 'edge-1', url: agent.url, token: agent.newAdminToken! });
  await call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1' });
  retrain = watchingRetrain();
}, 120_000);

afterEach(async () => {
  await retrain.idle();
});

afterAll(async () => {
  await retrain?.close();
  for (const workspaces of opened) await workspaces.closeAll();
  if (agentDir) await rm(agentDir, { recursive: true, force: true });
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

describe('retraining that closes the loop', () => {
  it('turns a drift alert into a run that trains, registers, gates and rolls out a canary, and tells it as one timeline', async () => {
    const { workspace, call } = trained();
    clock.now = day(1);
    await usePolicy();
    const out = runEvent(rollingOut)();
    const alert = raiseStored();
    const run = await out;
    expect(run).toMatchObject({ state: 'running', why: null });
    expect(run.trigger).toEqual({ kind: 'alert', detail: `${alert.id} (feature-drift on edge-1/penguins)` });
    expect(run.steps.map((s) => [s.name, s.status])).toEqual([['train', 'passed'], ['register', 'passed'], ['gates', 'passed'], ['deploy', 'passed'], ['rollout', 'running']]);
    expect(run.links).toMatchObject({ alertId: alert.id, modelVersion: 2 });

    // The new version says where it came from.
    const version = await call('models:get-version', { workspace, ref: 'penguins@2' });
    expect(version.description).toContain(`retrain run ${run.id}`);
    expect(version.description).toContain(`Alert ${alert.id}`);
    expect(version.aliases).toContain('challenger');
    const [deployment] = await call('deploy:history', { workspace, model: 'penguins', limit: 1 });
    expect(deployment).toMatchObject({ id: run.links.deploymentId, strategy: 'canary', version: 2, state: 'rolling-out' });

    // The canary's own alert cannot retrain again while it rolls out: the loop stops here.
    const skipped = nextEvent((e) => e.name === 'retrain:changed' && e.payload.run === null);
    raise('al-drift-2');
    await skipped;

    await promoteOnTheAgent();
    const done = runEvent(ended)();
    await retrain.tick();
    expect(await done).toMatchObject({ id: run.id, state: 'succeeded', why: null });

    const { entries } = await retrainCall('retrain:timeline', { workspace, model: 'penguins' });
    const ours = entries.filter((entry) => entry.runId === run.id || entry.links.alertId === alert.id || entry.links.alertId === 'al-drift-2');
    expect(ours.map((entry) => entry.kind)).toEqual(['alert', 'trigger', 'run', 'run', 'version', 'gates', 'rollout', 'skipped', 'rollout', 'outcome']);
    expect(ours[0]!.message).toBe(`Alert on edge-1/penguins (feature-drift, warning): ${alert.summary}`);
    expect(ours[1]!.links.alertId).toBe(alert.id);
    expect(ours.find((e) => e.kind === 'gates')!.links.gateReportId).toBeTruthy();
    expect(ours.find((e) => e.kind === 'version')!.links.modelVersion).toBe(2);
    expect(ours[7]!.message).toMatch(/^Alert al-drift-2 .*: not retrained, because the challenger of retrain run rt-.* is still rolling out/);
    expect(ours.at(-2)!.message).toMatch(/^Rollout of penguins@2 on edge-1 ended: Promoted/);
    expect(ours.at(-1)!.message).toBe(`Retrain run ${run.id} succeeded: penguins@2 was promoted on edge-1.`);
    // What happened before any retrain is on the same timeline: version 1 registered, deployed by hand.
    expect(entries.slice(0, 2).map((e) => e.kind).sort()).toEqual(['rollout', 'version']);
  }, 120_000);

  it("waits for a person where the policy says 'ask', across a restart, and goes on when approved", async () => {
    const { workspace, call } = trained();
    clock.now = day(2);
    await usePolicy({ approval: { train: 'auto', register: 'auto', deploy: 'ask' } });
    const asked = nextEvent((e) => e.name === 'retrain:needs-approval');
    const started = await retrainCall('retrain:start', { workspace, model: 'penguins', wait: true });
    expect(started.outcome).toBe('started');
    expect(started.run).toMatchObject({ state: 'waiting-approval', trigger: { kind: 'manual' } });
    expect(started.run!.steps.find((s) => s.name === 'deploy')!.status).toBe('waiting-approval');
    expect((await asked).payload).toMatchObject({ runId: started.run!.id, step: 'deploy', message: expect.stringMatching(/: canary of penguins@3 to edge-1\.$/) });
    expect(await call('deploy:history', { workspace, model: 'penguins', limit: 10 })).toHaveLength(2); // nothing deployed yet

    // The app restarts: a new core finds the run still waiting, and approving it goes on from there.
    await retrain.close();
    retrain = watchingRetrain();
    const [waiting] = await retrainCall('retrain:runs', { workspace, model: 'penguins', limit: 1 });
    expect(waiting).toMatchObject({ id: started.run!.id, state: 'waiting-approval' });
    const wrongStep = await refusal(retrainCall('retrain:approve', { workspace, run: waiting!.id, step: 'train' }));
    expect(wrongStep.message).toBe(`Retrain run ${waiting!.id} waits for approval of its deploy step, not train.`);
    const out = runEvent((run) => run.id === waiting!.id && rollingOut(run))();
    expect((await retrainCall('retrain:approve', { workspace, run: waiting!.id })).state).toBe('running');
    expect(await out).toMatchObject({ state: 'running', why: null });

    // A person aborts the canary: the run stops, saying how the rollout ended.
    await call('deploy:abort', { workspace, target: 'edge-1', model: 'penguins' });
    const done = runEvent(ended)();
    await retrain.tick();
    const stopped = await done;
    expect(stopped.state).toBe('stopped');
    expect(stopped.why).toMatch(/^the rollout ended without promoting the challenger: Aborted/);
    const again = await refusal(retrainCall('retrain:approve', { workspace, run: waiting!.id }));
    expect(again).toMatchObject({ code: 'FAILED_PRECONDITION', message: `Retrain run ${waiting!.id} is stopped, with no step waiting for approval, so there is nothing to approve.` });
    const kinds = (await retrainCall('retrain:timeline', { workspace, model: 'penguins' })).entries.filter((e) => e.runId === waiting!.id).map((e) => e.kind);
    expect(kinds).toEqual(['trigger', 'run', 'run', 'version', 'gates', 'approval-asked', 'approved', 'rollout', 'rollout', 'outcome']);
  }, 120_000);

  it('stops a run whose step a person rejects, with the reason, and deploys nothing', async () => {
    const { workspace, call } = trained();
    clock.now = day(3);
    await usePolicy({ approval: { train: 'auto', register: 'ask', deploy: 'auto' } });
    const started = await retrainCall('retrain:start', { workspace, model: 'penguins', wait: true });
    expect(started.run!.state).toBe('waiting-approval');
    const blank = await refusal(retrainCall('retrain:reject', { workspace, run: started.run!.id, reason: '  ' }));
    expect(blank).toMatchObject({ code: 'INVALID_INPUT' });
    const rejected = await retrainCall('retrain:reject', { workspace, run: started.run!.id, step: 'register', reason: 'trained on the outage week' });
    expect(rejected.state).toBe('stopped');
    expect(rejected.why).toMatch(/^the register step was rejected by .+: trained on the outage week$/);
    expect(rejected.steps.map((s) => s.status)).toEqual(['passed', 'rejected', 'skipped', 'skipped', 'skipped']);
    expect(rejected.links.modelVersion).toBeNull();
    expect((await call('models:show', { workspace, name: 'penguins' })).versionList).toHaveLength(3); // no new version
    const entries = (await retrainCall('retrain:timeline', { workspace, model: 'penguins' })).entries.filter((e) => e.runId === rejected.id);
    expect(entries.map((e) => e.kind)).toEqual(['trigger', 'run', 'run', 'approval-asked', 'rejected', 'outcome']);
    expect(entries.at(-1)!.message).toMatch(/stopped: the register step was rejected by .+: trained on the outage week\.$/);
  }, 120_000);

  it('stops at a failed gate: the version gets no challenger alias and nothing is deployed', async () => {
    const { workspace, call } = trained();
    clock.now = day(4);
    await call('gates:save', { workspace, name: 'penguins', text: JSON.stringify({ schemaVersion: 1, model: { require: ['accuracy >= 0.999999'] } }) });
    try {
      await usePolicy();
      const started = await retrainCall('retrain:start', { workspace, model: 'penguins', wait: true });
      const run = started.run!;
      expect(run.state).toBe('stopped');
      expect(run.steps.map((s) => [s.name, s.status])).toEqual([['train', 'passed'], ['register', 'passed'], ['gates', 'failed'], ['deploy', 'skipped'], ['rollout', 'skipped']]);
      expect(run.why).toMatch(new RegExp(`^the gates of penguins@${run.links.modelVersion} against penguins@1 failed: .*accuracy`));
      expect((await call('models:get-version', { workspace, ref: `penguins@${run.links.modelVersion}` })).aliases).not.toContain('challenger');
      expect((await call('deploy:history', { workspace, model: 'penguins', limit: 1 }))[0]!.version).not.toBe(run.links.modelVersion);
    } finally {
      await call('gates:save', { workspace, name: 'penguins', text: JSON.stringify({ schemaVersion: 1 }) });
    }
  }, 120_000);

  it('holds the cap under a burst of alerts: one runs at a time, and the 4th run of the day is skipped, saying why', async () => {
    const { workspace } = trained();
    clock.now = day(5);
    // The first run waits at its train step for a person, so it is surely under way while the others arrive.
    await usePolicy({ deploy: null, approval: { train: 'ask', register: 'auto', deploy: 'auto' }, caps: { maxRunsPerDay: 3, cooldownMinutes: 0 } });
    let skips = 0;
    let waiting: RetrainRun | null = null;
    const allHeard = new Promise<void>((resolve) => {
      const off = trained().core.events.on((e) => {
        if (e.name !== 'retrain:changed') return;
        if (e.payload.run === null) skips += 1;
        else if (e.payload.run.state === 'waiting-approval') waiting = e.payload.run;
        if (skips === 3 && waiting) {
          off();
          resolve();
        }
      });
    });
    // Four alerts at once: whichever comes first starts a run, the other three find it under way.
    for (let i = 1; i <= 4; i += 1) raise(`al-burst-${i}`);
    await allHeard;
    await usePolicy({ deploy: null, caps: { maxRunsPerDay: 3, cooldownMinutes: 0 } });
    const first = runEvent(ended)();
    await retrainCall('retrain:approve', { workspace, run: waiting!.id });
    expect((await first).state).toBe('succeeded');
    // Two more alerts, one after the other, each runs; the next one meets the day's cap.
    for (const id of ['al-burst-5', 'al-burst-6']) {
      clock.now += 60_000;
      const next = runEvent(ended)();
      raise(id, 'accuracy-below');
      expect((await next).state).toBe('succeeded');
    }
    clock.now += 60_000;
    const skipped = nextEvent((e) => e.name === 'retrain:changed' && e.payload.run === null);
    raise('al-burst-7');
    await skipped;
    const entries = (await retrainCall('retrain:timeline', { workspace, model: 'penguins' })).entries;
    const last = entries.at(-1)!;
    expect(last).toMatchObject({ kind: 'skipped', runId: null, links: { alertId: 'al-burst-7' } });
    expect(last.message).toBe('Alert al-burst-7 (feature-drift on edge-1/penguins): not retrained, because 3 runs today reach maxRunsPerDay 3; next allowed after 00:00 UTC.');
    // Which of the four came first is up to the event loop; one started, the other three found it waiting.
    expect(entries.filter((e) => /^Alert al-burst-[1-4] .*: not retrained, because retrain run rt-\S+ is still waiting for approval of its train step; one retrain at a time\.$/.test(e.message))).toHaveLength(3);
    expect(entries.filter((e) => e.kind === 'trigger' && /^Alert al-burst-[1-4] /.test(e.message))).toHaveLength(1);
    // A manual start is held to the same cap.
    expect(await retrainCall('retrain:start', { workspace, model: 'penguins' })).toMatchObject({ outcome: 'skipped', run: null, reason: '3 runs today reach maxRunsPerDay 3; next allowed after 00:00 UTC' });
  }, 180_000);

  it('notes an alert the policy does not retrain on, and one for a model with no policy, saying why nothing ran', async () => {
    const { workspace } = trained();
    clock.now = day(6);
    await usePolicy({ enabled: false });
    const noted = nextEvent((e) => e.name === 'retrain:changed' && e.payload.model === 'penguins');
    raise('al-off');
    await noted;
    const elsewhere = nextEvent((e) => e.name === 'retrain:changed' && e.payload.model === 'churn');
    raise('al-churn', 'latency-above', 'edge-1/churn');
    await elsewhere;
    expect((await retrainCall('retrain:timeline', { workspace, model: 'penguins' })).entries.at(-1)!.message).toBe('Alert al-off (feature-drift on edge-1/penguins): not retrained, because the retraining policy of penguins is off.');
    expect((await retrainCall('retrain:timeline', { workspace, model: 'churn' })).entries.at(-1)!.message).toBe('Alert al-churn (latency-above on edge-1/churn): not retrained, because churn has no retraining policy (`lathe retrain set churn --on-alert …` makes one).');
  });

  it('refuses a malformed policy file, naming the file and the field', async () => {
    const { workspace } = trained();
    await mkdir(join(workspace, 'retraining'), { recursive: true });
    const file = join(workspace, 'retraining', 'penguins.json');
    await writeFile(file, JSON.stringify({ ...policy(), caps: { maxRunsPerDay: 0, cooldownMinutes: 5 } }));
    const zero = await refusal(retrainCall('retrain:policy', { workspace, model: 'penguins' }));
    expect(zero).toMatchObject({ code: 'PARSE_ERROR', location: { file: 'retraining/penguins.json', field: 'caps.maxRunsPerDay' } });
    expect(zero.message).toBe('retraining/penguins.json is not a valid retraining policy: caps.maxRunsPerDay: maxRunsPerDay is at least 1 (turn the policy off to stop retraining)');
    await writeFile(file, '{"schemaVersion": 1, "model": "penguins",');
    expect(await refusal(retrainCall('retrain:policy', { workspace, model: 'penguins' }))).toMatchObject({ code: 'PARSE_ERROR', message: expect.stringMatching(/^retraining\/penguins\.json is not valid JSON/) });
    await writeFile(file, JSON.stringify({ ...policy(), model: 'churn' }));
    expect((await refusal(retrainCall('retrain:policy', { workspace, model: 'penguins' }))).location).toMatchObject({ field: 'model' });
    await writeFile(file, JSON.stringify({ ...policy(), triggers: { alerts: ['drift'], newData: false, everyHours: null } }));
    const kind = await refusal(retrainCall('retrain:start', { workspace, model: 'penguins' }));
    expect(kind.location).toMatchObject({ file: 'retraining/penguins.json', field: 'triggers.alerts.0' });
    // An alert meeting the broken file is noted, not lost.
    const noted = nextEvent((e) => e.name === 'retrain:changed' && e.payload.model === 'penguins');
    raise('al-broken');
    await noted;
    expect((await retrainCall('retrain:timeline', { workspace, model: 'penguins' })).entries.at(-1)!.message).toMatch(/^Alert al-broken .*: not retrained, because its policy cannot be read: retraining\/penguins\.json is not a valid retraining policy: triggers\.alerts\.0/);
    await writeFile(file, `{"schemaVersion": 1, "pad": "${'x'.repeat(70_000)}"}`);
    expect(await refusal(retrainCall('retrain:policy', { workspace, model: 'penguins' }))).toMatchObject({ code: 'TOO_LARGE', location: { file: 'retraining/penguins.json' } });
    // A name that would leave the folder never reaches it.
    expect(await refusal(retrainCall('retrain:policy', { workspace, model: '../lathe' }))).toMatchObject({ code: 'INVALID_INPUT' });
    await usePolicy({ enabled: false }); // puts the file back as Lathe writes it
  });

  it("fails a run whose champion's dataset was deleted, saying which", async () => {
    const { workspace, call, file } = trained();
    clock.now = day(7);
    const csv = await file('old.csv', 'x,y,label\n1,2,a\n2,3,b\n3,4,a\n4,5,b\n5,6,a\n6,7,b\n7,8,a\n8,9,b\n9,1,a\n1,3,b\n2,5,a\n3,7,b\n');
    await call('datasets:import-file', { workspace, path: csv, name: 'old-data' });
    const trainedRun = await call('training:start', { workspace, dataset: 'old-data', target: 'label', model: 'linear', epochs: 1 });
    await call('training:wait', { workspace, runId: trainedRun.runId });
    await call('models:register', { workspace, runId: trainedRun.runId, name: 'old-model' });
    await call('models:set-alias', { workspace, ref: 'old-model@1', alias: 'champion' });
    gitCli(workspace, 'rm', '-q', '-r', 'datasets/old-data');
    gitCli(workspace, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'Remove old-data');
    await retrainCall('retrain:save-policy', { workspace, policy: { ...policy(), model: 'old-model', deploy: null } });
    const started = await retrainCall('retrain:start', { workspace, model: 'old-model', wait: true });
    expect(started.run).toMatchObject({ state: 'failed', steps: [{ name: 'train', status: 'failed' }, { status: 'skipped' }, { status: 'skipped' }, { status: 'skipped' }, { status: 'skipped' }] });
    expect(started.run!.why).toBe('train failed: the dataset "old-data" that trained the champion old-model@1 is not in this workspace any more (it was deleted), so there is nothing to retrain on.');
  }, 60_000);
});
