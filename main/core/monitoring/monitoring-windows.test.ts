import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LatheEvent } from '../../../shared/contract/calls.ts';
import type { MonitoringReport } from '../../../shared/contract/monitoring.ts';
import { DeploymentLog } from '../deploy/deployment-log.ts';
import { MetricsSampler } from '../deploy/metrics-sampler.ts';
import { privateFileSecrets } from '../deploy/secret-store.ts';
import type { TargetContext } from '../deploy/target-calls.ts';
import { TargetRecords, tokensDir } from '../deploy/target-records.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { fakeMonitoringAgent, windowSummary, type FakeMonitoringAgent } from '../testing/fake-monitoring-agent.ts';
import { refusal } from '../testing/refusal.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { Workspace } from '../workspace/workspace.ts';
import { WindowListeners } from './window-listeners.ts';
import { WindowWatch } from './window-watch.ts';

/**
 * The app keeps each deployment's windows: the sampler fetches what is new from the agent (the
 * open window replaced until it closes), tells the listeners, and `monitoring:report`,
 * `monitoring:history` and `monitoring:configure` answer from the agent, or from what was kept
 * when it cannot be reached. The agent here is a fake HTTP server speaking the contract.
 */
const tempDir = useTempDirs();
let fixture: Awaited<ReturnType<typeof coreOnNewWorkspace>>;
let writer: Workspace;
let agent: FakeMonitoringAgent;
let targets: TargetContext;
let stateDir: string;

beforeEach(async () => {
  const root = await tempDir();
  fixture = await coreOnNewWorkspace(root);
  writer = await Workspace.open(fixture.workspace);
  agent = await fakeMonitoringAgent('penguins');
  stateDir = join(root, 'state');
  targets = { targets: new TargetRecords(stateDir), secrets: privateFileSecrets(tokensDir(stateDir)) };
  await targets.targets.add({ name: 'edge-1', url: agent.url, addedAt: new Date().toISOString(), tokenStorage: 'private-file', secretId: 'edge-1-test' }, false);
  await targets.secrets.put('edge-1-test', agent.token);
  const log = new DeploymentLog(writer.db);
  const deployment = log.begin({ model: 'penguins', version: 1, ref: 'penguins@1', target: 'edge-1', targetUrl: agent.url, strategy: 'replace', steps: null, intervalMs: null, thresholds: null, gate: { outcome: 'pass', reportId: null, summary: 'passed' }, overrideReason: null, previousVersion: null });
  log.update(deployment.id, { state: 'succeeded', outcome: 'penguins@1 serves all traffic on edge-1.' });
});

afterEach(async () => {
  writer.close();
  await fixture.core.close();
  await agent.close();
});

const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;

function sampling(now: () => Date, retentionDays = 14) {
  const told: { deployment: string; latest: number | undefined; indexes: number[] }[] = [];
  const warnings: string[] = [];
  const listeners = new WindowListeners((text) => warnings.push(text));
  const events: LatheEvent[] = [];
  const watch = new WindowWatch({ listeners, retentionDays, now, warn: (text) => warnings.push(text), events: { emit: (name: string, payload: unknown) => events.push({ name, payload } as LatheEvent) } as never });
  const sampler = new MetricsSampler({ targets, workspaces: async () => [writer], intervalMs: 10_000, retentionDays, now, windows: () => watch });
  return { sampler, watch, listeners, told, warnings, events, listen: (report: MonitoringReport, deployment: string) => void told.push({ deployment, latest: report.windows.at(-1)?.index, indexes: report.windows.map((w) => w.index) }) };
}

describe('the sampler keeps windows', () => {
  it('fetches new windows each round, replaces the open one until it closes, and tells every listener — even after one throws', async () => {
    let clock = Date.parse(at(5));
    const { sampler, listeners, told, warnings, events, listen } = sampling(() => new Date(clock));
    listeners.add(() => {
      throw new Error('an alert rule with a bug');
    });
    listeners.add((_workspace, deployment, report) => listen(report, deployment));

    agent.state.windows = [windowSummary('penguins', 0, { startedAt: at(0), endedAt: at(2) }), windowSummary('penguins', 1, { startedAt: at(2), endedAt: null, rows: 120 })];
    await sampler.tick();
    expect(told).toEqual([{ deployment: 'edge-1/penguins', latest: 1, indexes: [0, 1] }]);
    expect(warnings).toEqual([expect.stringMatching(/^A listener to the windows of edge-1\/penguins failed \(the others ran, and sampling goes on\): an alert rule with a bug$/)]);
    expect(events).toEqual([{ name: 'monitoring:windows', payload: { workspace: writer.dir, deployment: 'edge-1/penguins', latest: 1 } }]);

    // Nothing new: nobody is told again.
    await sampler.tick();
    expect(told).toHaveLength(1);

    // The open window grew and closed, a new one opened: the kept one is replaced, not doubled.
    clock += 60_000;
    agent.state.windows = [agent.state.windows[0]!, windowSummary('penguins', 1, { startedAt: at(2), endedAt: at(4), rows: 500, drifted: ['bill_length_mm'] }), windowSummary('penguins', 2, { startedAt: at(4), endedAt: null, rows: 3 })];
    await sampler.tick();
    expect(told.at(-1)).toEqual({ deployment: 'edge-1/penguins', latest: 2, indexes: [0, 1, 2] });
    const history = await fixture.call('monitoring:history', { workspace: fixture.workspace, deployment: 'edge-1/penguins' });
    expect(history.windows.map((w) => [w.index, w.rows, w.endedAt])).toEqual([[0, 500, at(2)], [1, 500, at(4)], [2, 3, null]]);
    expect(history.windows[1]!.features[0]!.drift).toMatchObject({ verdict: 'drift', method: 'wasserstein', score: 0.31 });

    // Each fetch asked only from REFRESHED_WINDOWS before the last closed window kept.
    const fetches = agent.requests.filter((r) => r.startsWith('GET /admin/monitoring/'));
    expect(fetches).toEqual(['GET /admin/monitoring/penguins', 'GET /admin/monitoring/penguins', 'GET /admin/monitoring/penguins']);
    agent.state.windows = [...agent.state.windows.slice(0, 2), windowSummary('penguins', 2, { startedAt: at(4), endedAt: at(6) }), ...Array.from({ length: 12 }, (_, i) => windowSummary('penguins', 3 + i, { startedAt: at(6 + i), endedAt: at(7 + i) }))];
    await sampler.tick();
    await sampler.tick();
    expect(agent.requests.filter((r) => r.startsWith('GET /admin/monitoring/')).at(-1)).toBe('GET /admin/monitoring/penguins?after=4');
    await sampler.stop();
  });

  it('deletes closed windows past the retention as new ones arrive, keeping the open one', async () => {
    let clock = Date.parse(at(5));
    const { sampler } = sampling(() => new Date(clock), 1);
    agent.state.windows = [windowSummary('penguins', 0, { startedAt: at(0), endedAt: at(2) }), windowSummary('penguins', 1, { startedAt: at(2), endedAt: null })];
    await sampler.tick();
    clock += 2 * 86_400_000;
    agent.state.windows = [...agent.state.windows, windowSummary('penguins', 2, { startedAt: new Date(clock).toISOString(), endedAt: null })];
    await sampler.tick();
    const history = await fixture.call('monitoring:history', { workspace: fixture.workspace, deployment: 'edge-1/penguins' });
    expect(history.windows.map((w) => w.index)).toEqual([1, 2]);
  });

  it('warns once while an agent has no monitoring to fetch, and goes on sampling', async () => {
    const { sampler, warnings } = sampling(() => new Date(at(5)));
    const real = agent.state;
    agent.state = { ...real, windows: 'not windows' } as never;
    await sampler.tick();
    await sampler.tick();
    expect(warnings).toEqual([expect.stringMatching(/^The monitoring windows of edge-1\/penguins could not be fetched: Target edge-1 .* answered \/admin\/monitoring\/penguins in a shape this Lathe does not know \(windows: /)]);
    agent.state = real;
    agent.state.windows = [windowSummary('penguins', 0, { startedAt: at(0), endedAt: null })];
    await sampler.tick();
    expect((await fixture.call('monitoring:history', { workspace: fixture.workspace, deployment: 'edge-1/penguins' })).windows).toHaveLength(1);
  });

  it('keeps nothing of a fetch the database refuses (a full disk), says so once, and keeps what it had', async () => {
    const { sampler, warnings, told, listeners, listen } = sampling(() => new Date(at(5)));
    listeners.add((_workspace, deployment, report) => listen(report, deployment));
    agent.state.windows = [windowSummary('penguins', 0, { startedAt: at(0), endedAt: null, rows: 10 })];
    await sampler.tick();
    // The second window's row cannot be written: the transaction rolls back, the open window 0 stays as it was.
    writer.db.use((sql) => sql.exec("CREATE TRIGGER full_disk BEFORE INSERT ON monitoring_windows WHEN NEW.window_index = 1 BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END"));
    agent.state.windows = [windowSummary('penguins', 0, { startedAt: at(0), endedAt: at(2), rows: 500 }), windowSummary('penguins', 1, { startedAt: at(2), endedAt: null, rows: 3 })];
    await sampler.tick();
    await sampler.tick();
    expect(warnings).toEqual([expect.stringMatching(/^The monitoring windows of edge-1\/penguins could not be fetched: The windows of edge-1\/penguins were fetched but could not be kept in the workspace: The workspace database .* could not be used: database or disk is full/)]);
    expect(told).toHaveLength(1);
    const history = await fixture.call('monitoring:history', { workspace: fixture.workspace, deployment: 'edge-1/penguins' });
    expect(history.windows.map((w) => [w.index, w.rows, w.endedAt])).toEqual([[0, 10, null]]);
    const refused = await refusal(fixture.call('monitoring:report', { workspace: fixture.workspace, deployment: 'edge-1/penguins' }));
    expect(refused.code).toBe('DISK_ERROR');
    writer.db.use((sql) => sql.exec('DROP TRIGGER full_disk'));
    await sampler.tick();
    expect(told.at(-1)!.indexes).toEqual([0, 1]);
  });
});

describe('monitoring:report', () => {
  it('answers live from the agent, and from what was kept — stale, saying why — once the agent cannot be reached', async () => {
    const { call, workspace } = fixture;
    agent.state.windows = [0, 1, 2].map((i) => windowSummary('penguins', i, { startedAt: at(i * 2), endedAt: i < 2 ? at(i * 2 + 2) : null, drifted: i === 1 ? ['bill_length_mm'] : [] }));
    agent.state.recorder = { ...agent.state.recorder, recorded: 1200, dropped: 7, droppedBy: { 'store-full': 7, 'disk-error': 0, 'queue-full': 0 }, problem: 'The prediction store is full (1 GiB).' };
    const live = await call('monitoring:report', { workspace, deployment: 'edge-1/penguins' });
    expect(live).toMatchObject({ deployment: 'edge-1/penguins', target: 'edge-1', model: 'penguins', version: '1', stale: false, problem: null, recorder: { dropped: 7 } });
    expect(live.windows.map((w) => w.index)).toEqual([0, 1, 2]);

    const second = await call('monitoring:report', { workspace, deployment: 'edge-1/penguins', window: 1, windows: 1 });
    expect(second.windows.map((w) => [w.index, w.dataset.verdict])).toEqual([[1, 'drift']]);

    const missing = await refusal(call('monitoring:report', { workspace, deployment: 'edge-1/penguins', window: 9 }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'edge-1/penguins has no window 9; the windows kept are 0–2.', location: { field: 'window' } });

    // The model taken off the agent: the kept report, saying so.
    agent.version = null;
    const gone = await call('monitoring:report', { workspace, deployment: 'edge-1/penguins' });
    expect(gone).toMatchObject({ stale: true, problem: 'edge-1/penguins: edge-1 serves no model named penguins; it serves nothing yet.' });
    agent.version = '1';

    const lastAnswered = Date.now();
    await agent.close();
    const stale = await call('monitoring:report', { workspace, deployment: 'edge-1/penguins' });
    expect(stale).toMatchObject({ stale: true, version: '1', recorder: { dropped: 7 } });
    expect(Date.parse(stale.fetchedAt)).toBeLessThanOrEqual(lastAnswered);
    expect(stale.problem).toMatch(/^Could not reach target edge-1 at http:\/\/127\.0\.0\.1:\d+: nothing is listening there/);
    expect(stale.windows.map((w) => w.index)).toEqual([0, 1, 2]);
  });

  it('refuses a deployment named without its target, an unknown target, and a model the target does not serve, saying how to name one', async () => {
    const { call, workspace } = fixture;
    const bare = await refusal(call('monitoring:report', { workspace, deployment: 'penguins' }));
    expect(bare.code).toBe('INVALID_INPUT');
    expect(bare.message).toMatch(/name a deployment TARGET\/MODEL, like edge-1\/churn/);

    const target = await refusal(call('monitoring:report', { workspace, deployment: 'edge-9/penguins' }));
    expect(target).toMatchObject({ code: 'NOT_FOUND', message: 'edge-9/penguins: no target named edge-9; targets: edge-1.', hint: expect.stringMatching(/edge-1\/penguins/) });

    const model = await refusal(call('monitoring:report', { workspace, deployment: 'edge-1/churn' }));
    expect(model).toMatchObject({ code: 'NOT_FOUND', message: 'edge-1/churn: edge-1 serves no model named churn; it serves penguins.' });

    await agent.close();
    const never = await refusal(call('monitoring:report', { workspace, deployment: 'edge-1/churn' }));
    expect(never).toMatchObject({ code: 'NOT_FOUND', message: 'edge-1/churn: this workspace never deployed churn to edge-1; deployments made from this workspace: edge-1/penguins.' });
    const nothingKept = await refusal(call('monitoring:report', { workspace, deployment: 'edge-1/penguins' }));
    expect(nothingKept.code).toBe('UNAVAILABLE');
    expect(nothingKept.message).toMatch(/nothing is listening there.*This workspace has kept nothing of edge-1\/penguins yet/);
  });
});

describe('monitoring:configure and monitoring:history', () => {
  it("changes the agent's settings, answers them in full, and keeps them for a later stale report", async () => {
    const { call, workspace } = fixture;
    const settings = await call('monitoring:configure', { workspace, deployment: 'edge-1/penguins', settings: { sampleRate: 0.25, window: { kind: 'time', seconds: 60 } } });
    expect(settings).toMatchObject({ sampleRate: 0.25, window: { kind: 'time', seconds: 60 }, minRows: 30, retentionDays: 30 });
    expect(agent.requests).toContain('PUT /admin/models/penguins/monitoring');
    await agent.close();
    expect((await call('monitoring:report', { workspace, deployment: 'edge-1/penguins' })).settings).toMatchObject({ sampleRate: 0.25 });
    expect((await refusal(call('monitoring:configure', { workspace, deployment: 'edge-1/penguins', settings: {} }))).message).toMatch(/^Nothing to change for edge-1\/penguins/);
    expect((await refusal(call('monitoring:configure', { workspace, deployment: 'edge-1/penguins', settings: { sampleRate: 0 } }))).code).toBe('INVALID_INPUT');
  });

  it('refuses the history of a deployment this workspace never made', async () => {
    const { call, workspace } = fixture;
    expect(await call('monitoring:history', { workspace, deployment: 'edge-1/penguins' })).toEqual({ deployment: 'edge-1/penguins', windows: [] });
    expect(await refusal(call('monitoring:history', { workspace, deployment: 'edge-2/churn' }))).toMatchObject({ code: 'NOT_FOUND', message: 'edge-2/churn: this workspace never deployed churn to edge-2; deployments made from this workspace: edge-1/penguins.' });
  });
});
