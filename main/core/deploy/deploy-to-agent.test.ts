import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../../agent/start-agent.ts';
import { json, send, tensorsOf } from '../../agent/test-support/agent-client.ts';
import { ADELIE } from '../../agent/test-support/trained-bundles.ts';
import { listenToPhases } from '../base/phases.ts';
import { loadOrCreateSigningKey } from '../bundles/signing-keys.ts';
import { recordGateReport } from '../gates/gate-results.ts';
import { refusal } from '../testing/refusal.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { useTrainedWorkspace } from '../testing/trained-workspace.ts';
import { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { deployCalls } from './deploy-calls.ts';
import { DeploymentLog } from './deployment-log.ts';
import { MetricsSampler } from './metrics-sampler.ts';
import { privateFileSecrets } from './secret-store.ts';
import { TargetRecords, tokensDir } from './target-records.ts';

/**
 * Deploying from the workbench to real agents started in this process: targets added with a live
 * probe, the gates' say before anything is sent, a replace deploy end to end, refusals that name
 * what to do, a second deploy while one is under way, an upload cut off midway, the history, and
 * the metrics kept over time.
 */
const trained = useTrainedWorkspace(1, 'lathe-deploy-');
const tempDir = useTempDirs();
const agents: RunningAgent[] = [];
const servers: Server[] = [];

let stateDir: string;

beforeAll(async () => {
  const { call, workspace, runIds } = trained();
  stateDir = join(dirname(workspace), 'state');
  await call('models:register', { workspace, runId: runIds[0]!, name: 'penguins' });
  await call('models:register', { workspace, runId: runIds[0]!, name: 'penguins' });
  await call('models:register', { workspace, runId: runIds[0]!, name: 'penguins' });
}, 60_000);

afterEach(async () => {
  listenToPhases(null);
  const { call } = trained();
  for (const { target } of await call('targets:list', { probe: false })) await call('targets:remove', { name: target.name });
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

afterAll(() => listenToPhases(null));

async function agent(): Promise<RunningAgent & { token: string }> {
  const key = await loadOrCreateSigningKey(stateDir);
  const started = await startAgent({ dataDir: await tempDir(), trust: [key.publicKey], port: 0, workers: 1, latheVersion: 'test-agent', warn: () => {} });
  agents.push(started);
  return Object.assign(started, { token: started.newAdminToken! });
}

async function gated(version: number, outcome: 'pass' | 'warn' | 'fail') {
  const { writer } = trained();
  await recordGateReport(writer, {
    id: `20261130T0${version}0000.000Z-${outcome.slice(0, 3)}${version}`.slice(0, 30),
    model: 'penguins',
    version,
    baseline: null,
    data: { name: 'penguins', version: 1, rows: 69, testSplit: true },
    startedAt: new Date().toISOString(),
    durationMs: 1,
    outcome,
    summary: outcome === 'fail' ? 'accuracy 0.41 < 0.80.' : 'every check passed.',
    checks: [],
  });
}

const served = async (url: string, token: string) => (await send(url, '/admin/models', { headers: { Authorization: `Bearer ${token}` } })).json().models.map((m: { name: string; stable: { version: string } }) => `${m.name}@${m.stable.version}`);

/** A TCP proxy to `to` (passing the agent's own Host) that cuts a PUT off, both sides, when half its body has gone through. */
async function cuttingProxy(to: string): Promise<string> {
  const { hostname, port, host } = new URL(to);
  let proxyHost = '';
  const server = createServer((client: Socket) => {
    const upstream = connect(Number(port), hostname);
    let sent = 0;
    let isPut: boolean | null = null;
    let cutAfter = Infinity;
    client.on('data', (chunk: Buffer) => {
      if (isPut === null) {
        const head = chunk.toString('latin1');
        isPut = head.startsWith('PUT ');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        cutAfter = head.indexOf('\r\n\r\n') + 4 + Math.floor(length / 2);
      }
      if (isPut) {
        sent += chunk.length;
        if (sent > cutAfter) {
          upstream.destroy();
          client.destroy();
          return;
        }
      }
      upstream.write(Buffer.from(chunk.toString('latin1').replace(`Host: ${proxyHost}\r\n`, `Host: ${host}\r\n`), 'latin1'));
    });
    upstream.on('data', (chunk) => client.write(chunk));
    upstream.on('end', () => client.end());
    client.on('end', () => upstream.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxyHost = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return `http://${proxyHost}`;
}

describe('deploy targets', () => {
  it('adds a target after a live probe, keeps its token in a private file (never in the record), lists and removes it', async () => {
    const { call } = trained();
    const target = await agent();
    const added = await call('targets:add', { name: 'edge-1', url: `${target.url}/`, token: target.token });
    expect(added.target).toMatchObject({ name: 'edge-1', url: target.url, tokenStorage: 'private-file' });
    expect(added.health).toMatchObject({ reachable: true, ready: true, authorized: true, agentVersion: 'test-agent', models: [], problem: null });

    const record = await readFile(join(stateDir, 'deploy-targets', 'edge-1.json'), 'utf8');
    expect(record).not.toContain(target.token);
    const tokens = tokensDir(stateDir);
    const [tokenFile] = await readdir(tokens);
    expect((await stat(tokens)).mode & 0o777).toBe(0o700);
    expect((await stat(join(tokens, tokenFile!))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(tokens, tokenFile!), 'utf8')).toBe(target.token);

    const listed = await call('targets:list', {});
    expect(listed.map((t) => [t.target.name, t.health?.reachable, t.health?.authorized])).toEqual([['edge-1', true, true]]);
    expect(JSON.stringify(listed)).not.toContain(target.token);

    expect((await refusal(call('targets:add', { name: 'edge-1', url: target.url, token: target.token }))).code).toBe('CONFLICT');
    expect(await call('targets:remove', { name: 'edge-1' })).toEqual({ removed: 'edge-1' });
    expect(await readdir(tokens)).toEqual([]);
    expect(await call('targets:list', {})).toEqual([]);
    expect(await refusal(call('targets:remove', { name: 'edge-1' }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a wrong token and an address where no agent answers, keeping nothing', async () => {
    const { call } = trained();
    const target = await agent();
    const wrong = await refusal(call('targets:add', { name: 'edge-1', url: target.url, token: 'lathe_agent_not-the-token' }));
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', location: { field: 'token' } });
    expect(wrong.message).toMatch(/refused the admin token.*Nothing was kept/);

    await target.close();
    const gone = await refusal(call('targets:add', { name: 'edge-2', url: target.url, token: target.token }));
    expect(gone).toMatchObject({ code: 'UNAVAILABLE', location: { field: 'url' } });
    expect(gone.message).toMatch(/Could not reach target edge-2 at http:\/\/127\.0\.0\.1:\d+: nothing is listening there/);
    expect(await call('targets:list', {})).toEqual([]);
    expect(await readdir(tokensDir(stateDir)).catch(() => [])).toEqual([]);
  });

  it('refuses addresses that are not an agent address, and says why', async () => {
    const { call } = trained();
    for (const [url, said] of [
      ['ftp://10.0.0.5:8080', /http or https, not ftp/],
      ['http://admin:secret@10.0.0.5:8080', /user name or password/],
      ['http://10.0.0.5:8080/v2/models', /without a path/],
      ['http://10.0.0.5:99999', /address as it printed/],
    ] as const) {
      const error = await refusal(call('targets:add', { name: 'x', url, token: 't' }));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(said);
    }
    expect((await refusal(call('targets:add', { name: 'Edge 1', url: 'http://a:1', token: 't' }))).message).toMatch(/lowercase letters/);
    expect((await refusal(call('targets:add', { name: 'e', url: 'http://a:1', token: 'has space' }))).message).toMatch(/printable ASCII/);
  });

  it('lists a target that went away as unreachable rather than failing the list', async () => {
    const { call } = trained();
    const target = await agent();
    await call('targets:add', { name: 'edge-1', url: target.url, token: target.token });
    await target.close();
    const [listed] = await call('targets:list', {});
    expect(listed!.health).toMatchObject({ reachable: false, authorized: null });
    expect(listed!.health!.problem).toMatch(/nothing is listening there/);
  });

  it('keeps a token in a plain-text-only store only when the user confirmed it', async () => {
    const { call } = trained();
    const target = await agent();
    const plain = { ...privateFileSecrets(join(stateDir, 'plain')), protection: async () => 'plain-text' as const };
    const { targetCalls } = await import('./target-calls.ts');
    const handlers = targetCalls({ targets: new TargetRecords(stateDir), secrets: plain });
    const add = handlers['targets:add']!;
    const input = { name: 'edge-1', url: target.url, token: target.token, allowPlainTextToken: false, replace: false };
    expect(await refusal(add(input, {}))).toMatchObject({ code: 'FAILED_PRECONDITION', location: { field: 'token' } });
    expect(await call('targets:list', { probe: false })).toEqual([]);
    expect((await add({ ...input, allowPlainTextToken: true }, {})).target.tokenStorage).toBe('plain-text');
  });
});

describe('deploy', () => {
  it('deploys a gated version with replace: packaged, signed, uploaded, switched; the history says who, what, where and how it went', async () => {
    const { call, workspace } = trained();
    const target = await agent();
    await call('targets:add', { name: 'edge-1', url: target.url, token: target.token });
    await gated(1, 'pass');
    const first = await call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1' });
    expect(first).toMatchObject({ name: 'edge-1/penguins', model: 'penguins', version: 1, target: 'edge-1', strategy: 'replace', state: 'succeeded', previousVersion: null, overrideReason: null, gate: { outcome: 'pass' } });
    expect(first.bundleSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await served(target.url, target.token)).toEqual(['penguins@1']);
    const answer = await send(target.url, '/v2/models/penguins/infer', json({ inputs: tensorsOf([ADELIE]) }));
    expect(answer.status, answer.text).toBe(200);

    await gated(2, 'warn');
    const second = await call('deploy:start', { workspace, ref: 'penguins@2', target: 'edge-1', strategy: 'replace' });
    expect(second).toMatchObject({ state: 'succeeded', previousVersion: '1', gate: { outcome: 'warn' } });
    expect(await served(target.url, target.token)).toEqual(['penguins@2']);

    const history = await call('deploy:history', { workspace, target: 'edge-1' });
    expect(history.slice(0, 2).map((d) => [d.id, d.version, d.state])).toEqual([[second.id, 2, 'succeeded'], [first.id, 1, 'succeeded']]);
    expect(history[1]!.events.map((e) => e.kind)).toEqual(['started', 'gates-checked', 'packaged', 'uploaded', 'monitoring', 'switched']);
    expect(history[1]!.by.length).toBeGreaterThan(0);
    expect(history[0]!.outcome).toBe('penguins@2 serves all traffic on edge-1 (was version 1).');
    // The bundle was a passing file: none is left in the state folder.
    expect(await readdir(join(stateDir, 'deploy-bundles'))).toEqual([]);

    const [status] = await call('deploy:status', { workspace, target: 'edge-1' });
    expect(status!.models).toMatchObject([{ name: 'penguins', deploymentName: 'edge-1/penguins', stableVersion: '2', candidateVersion: null, deployment: second.id }]);
  });

  it('refuses a version never gated, or whose latest gate run failed, unless a written reason overrides — which the history keeps', async () => {
    const { call, workspace } = trained();
    const target = await agent();
    await call('targets:add', { name: 'edge-1', url: target.url, token: target.token });
    const before = (await call('deploy:history', { workspace })).length;

    const never = await refusal(call('deploy:start', { workspace, ref: 'penguins@3', target: 'edge-1' }));
    expect(never).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect(never.message).toBe('penguins@3 was not deployed: penguins@3 has never been through its gates.');
    expect(never.hint).toMatch(/lathe gates run penguins@3.*--override-reason/);

    await gated(3, 'fail');
    const failed = await refusal(call('deploy:start', { workspace, ref: 'penguins@latest', target: 'edge-1' }));
    expect(failed.message).toMatch(/penguins@3's latest gate run \(.*\) FAILED: accuracy 0\.41 < 0\.80\./);
    expect(await served(target.url, target.token)).toEqual([]);
    expect((await call('deploy:history', { workspace })).length).toBe(before);

    expect((await refusal(call('deploy:start', { workspace, ref: 'penguins@3', target: 'edge-1', override: { reason: '   ' } }))).code).toBe('INVALID_INPUT');
    const overridden = await call('deploy:start', { workspace, ref: 'penguins@3', target: 'edge-1', override: { reason: 'Hotfix for the Biscoe outage; accuracy checked by hand.' } });
    expect(overridden).toMatchObject({ state: 'succeeded', overrideReason: 'Hotfix for the Biscoe outage; accuracy checked by hand.', gate: { outcome: 'fail' } });
    const [recorded] = await call('deploy:history', { workspace, limit: 1 });
    expect(recorded!.events.find((e) => e.kind === 'gates-overridden')?.message).toMatch(/latest gate run failed\. Reason: Hotfix/);
    expect(await served(target.url, target.token)).toEqual(['penguins@3']);
  });

  it('refuses a second deploy of the same model to the same target while the first is under way, naming the first', async () => {
    const { call, workspace } = trained();
    const target = await agent();
    await call('targets:add', { name: 'edge-1', url: target.url, token: target.token });
    await gated(1, 'pass');
    let second: Promise<unknown> | null = null;
    listenToPhases(async (phase) => {
      if (phase !== 'deploy:recorded' || second) return;
      second = refusal(call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1' }));
      await second; // the first holds here until the second has been refused
    });
    const first = await call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1' });
    const error = (await second) as unknown as { code: string; message: string };
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(`deployment ${first.id}`);
    expect(first.state).toBe('succeeded');
  });

  it('says so when the target drops the upload midway, records the deployment as failed, and the target serves what it served', async () => {
    const { call, workspace } = trained();
    const target = await agent();
    await gated(1, 'pass');
    await gated(2, 'pass');
    await call('targets:add', { name: 'direct', url: target.url, token: target.token });
    await call('deploy:start', { workspace, ref: 'penguins@1', target: 'direct' });
    await call('targets:add', { name: 'flaky', url: await cuttingProxy(target.url), token: target.token });

    const error = await refusal(call('deploy:start', { workspace, ref: 'penguins@2', target: 'flaky' }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(/^Could not deploy penguins@2 to flaky: the upload to target flaky .* was cut off: it dropped the connection (after \d+ of \d+ bytes|before confirming it)/);
    expect(error.message).toMatch(/recorded as failed/);
    const [failed] = await call('deploy:history', { workspace, target: 'flaky' });
    expect(failed).toMatchObject({ state: 'failed', version: 2 });
    expect(failed!.events.at(-1)!.kind).toBe('failed');
    expect(await served(target.url, target.token)).toEqual(['penguins@1']);
    // Not left under way: the next deploy to that target is not blocked by it.
    expect(new DeploymentLog(trained().writer.db).underWay('flaky', 'penguins')).toBeNull();
  });

  it('refuses a target it does not know or cannot reach, and options of another strategy', async () => {
    const { call, workspace } = trained();
    expect(await refusal(call('deploy:start', { workspace, ref: 'penguins@1', target: 'nowhere' }))).toMatchObject({ code: 'NOT_FOUND', hint: expect.stringMatching(/lathe targets add/) });
    const target = await agent();
    await call('targets:add', { name: 'edge-1', url: target.url, token: target.token });
    expect((await refusal(call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1', steps: [10, 50] }))).message).toBe('--steps is for canary deploys; this one is replace.');
    expect((await refusal(call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1', strategy: 'canary', steps: [50, 10] }))).message).toMatch(/steps must rise/);

    // The target went away after it was added: said before anything is packaged or recorded.
    await gated(1, 'pass');
    const before = (await call('deploy:history', { workspace })).length;
    await target.close();
    const gone = await refusal(call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1' }));
    expect(gone).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/^Could not reach target edge-1 at http:\/\/127\.0\.0\.1:\d+: nothing is listening there/) });
    expect((await call('deploy:history', { workspace })).length).toBe(before);
  });
});

describe('metrics kept over time', () => {
  it("scrapes each target a workspace deployed to and keeps requests/s, error rate and latency percentiles per version", async () => {
    const { call, workspace, writer } = trained();
    const target = await agent();
    await call('targets:add', { name: 'edge-1', url: target.url, token: target.token });
    await gated(1, 'pass');
    await call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1' });
    let clock = Date.parse('2026-11-30T10:00:00Z');
    const sampler = new MetricsSampler({
      targets: { targets: new TargetRecords(stateDir), secrets: privateFileSecrets(tokensDir(stateDir)) },
      workspaces: async () => [writer],
      intervalMs: 10_000,
      retentionDays: 1,
      now: () => new Date(clock),
    });
    await sampler.tick(); // the baseline
    for (let i = 0; i < 5; i += 1) expect((await send(target.url, '/v2/models/penguins/infer', json({ inputs: tensorsOf([ADELIE]) }))).status).toBe(200);
    expect((await send(target.url, '/v2/models/penguins/infer', json({ inputs: [{ name: 'Island', shape: [1], datatype: 'FP64', data: [1] }] }))).status).toBe(400);
    clock += 10_000;
    await sampler.tick();
    const series = await call('monitoring:series', { workspace, target: 'edge-1', model: 'penguins', from: '2026-11-30T09:00:00.000Z' });
    expect(series.points).toHaveLength(1);
    const [point] = series.points;
    expect(point).toMatchObject({ at: '2026-11-30T10:00:10.000Z', version: '1' });
    expect(point!.requestsPerSecond).toBeCloseTo(0.6, 6);
    expect(point!.errorRate).toBeCloseTo(1 / 6, 6);
    expect(point!.p50Ms).toBeGreaterThan(0);
    expect(point!.p99Ms).toBeGreaterThanOrEqual(point!.p95Ms!);

    // Two days later (retention one day): the old point is gone once a new one is kept.
    clock += 2 * 86_400_000;
    await send(target.url, '/v2/models/penguins/infer', json({ inputs: tensorsOf([ADELIE]) }));
    await sampler.tick();
    const later = await call('monitoring:series', { workspace, target: 'edge-1', model: 'penguins' });
    expect(later.points.map((p) => p.at)).toEqual([new Date(clock).toISOString()]);
    await sampler.stop();
  });

  it('are sampled for every workspace the deploy calls were used on, when the core runs a sampler (the app, lathe serve)', async () => {
    const { call, workspace } = trained();
    const target = await agent();
    await call('targets:add', { name: 'edge-1', url: target.url, token: target.token });
    await gated(1, 'pass');
    const workspaces = new OpenWorkspaces();
    const { EventHub } = await import('../events.ts');
    const deploy = deployCalls({ workspaces, events: new EventHub(), stateDir, latheVersion: 'test', sampling: { intervalMs: 3_600_000 } });
    try {
      const start = deploy.handlers['deploy:start']!;
      await start({ workspace, ref: 'penguins@1', target: 'edge-1', strategy: 'replace' }, {});
      await deploy.sampleNow();
      for (let i = 0; i < 3; i += 1) await send(target.url, '/v2/models/penguins/infer', json({ inputs: tensorsOf([ADELIE]) }));
      await deploy.sampleNow();
      // Only this test's points: an earlier test kept some at made-up times.
      const series = await deploy.handlers['monitoring:series']!({ workspace, target: 'edge-1', model: 'penguins', from: new Date(Date.now() - 600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }, {});
      expect(series.intervalMs).toBe(3_600_000);
      expect(series.points).toHaveLength(1);
      expect(series.points[0]).toMatchObject({ version: '1', errorRate: 0 });
      expect(series.points[0]!.requestsPerSecond).toBeGreaterThan(0);
    } finally {
      await deploy.close();
      await workspaces.closeAll();
    }
  });
});
