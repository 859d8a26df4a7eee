import { readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LatheEvent } from '../../../shared/contract/calls.ts';
import type { MonitoringReport, WindowSummary } from '../../../shared/contract/monitoring.ts';
import { privateFileSecrets } from '../deploy/secret-store.ts';
import { tokensDir } from '../deploy/target-records.ts';
import { EventHub } from '../events.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { refusal } from '../testing/refusal.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { registeredTestAccuracy } from './alert-calls.ts';
import { AlertWatcher } from './alert-watcher.ts';
import { postWebhook } from './webhook.ts';
import { WebhookSettings } from './webhook-settings.ts';
import { recorder, window } from './window-fixture.ts';

const tempDir = useTempDirs();
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

const deployment = 'edge-1/penguins-clf';

function report(windows: WindowSummary[], dropped = 0): MonitoringReport {
  return {
    deployment,
    target: 'edge-1',
    model: 'penguins-clf',
    version: '3',
    stale: false,
    problem: null,
    fetchedAt: '2026-01-01T02:00:00.000Z',
    settings: { sampleRate: 1, window: { kind: 'count', rows: 500 }, minRows: 30, retentionDays: 30, maxStoreBytes: 1024 ** 3 },
    reference: windows[0]?.reference ?? null,
    referenceProblem: null,
    recorder: recorder(dropped),
    concept: { ddm: { state: 'stable', seen: 0, lastDriftAt: null }, adwin: { state: 'stable', seen: 0, lastDriftAt: null } },
    windows,
  };
}

/** The core for the calls, and a watcher on the same workspace and state folder, as lathe-core wires them. */
async function setUp() {
  const root = await tempDir();
  const fixture = await coreOnNewWorkspace(root);
  const events = new EventHub();
  const seen: LatheEvent[] = [];
  events.on((event) => seen.push(event));
  const webhook = new WebhookSettings(join(root, 'state'), privateFileSecrets(tokensDir(join(root, 'state'))));
  const watcher = new AlertWatcher({ events, webhook, testAccuracy: async () => null, post: (target, body) => postWebhook(target, body) });
  const workspace = await fixture.core.openWorkspace(fixture.workspace);
  const tell = (windows: WindowSummary[], dropped = 0) => watcher.onWindows(workspace, deployment, report(windows, dropped));
  return { ...fixture, watcher, seen, tell, state: join(root, 'state') };
}

async function receiver(): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      res.end('ok');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/s3cr3t-t0ken`, bodies };
}

const calm = { flipper_length_mm: 'no-drift', body_mass_g: 'no-drift' } as const;
/** bill_length_mm drifts in windows 1 and 2; the other two features do not (no dataset drift). */
const drifting = [window(1, { features: { bill_length_mm: 'drift', ...calm } }), window(2, { features: { bill_length_mm: 'drift', ...calm } })];

describe('alerts raised from the windows', () => {
  it('raises an alert once, keeps it, says so, and resolves it when the drift ends', async () => {
    const { call, workspace, tell, seen } = await setUp();
    await tell(drifting);
    const { alerts } = await call('alerts:list', { workspace });
    expect(alerts).toEqual([
      expect.objectContaining({
        deployment,
        ruleId: 'feature-drift',
        ruleKind: 'feature-drift',
        subject: 'bill_length_mm',
        state: 'open',
        summary: 'bill_length_mm drifted in 2 windows in a row (1–2) (Wasserstein 0.31 ≥ 0.1)',
        detail: expect.objectContaining({ windows: [1, 2] }),
        delivery: { state: 'not-configured' },
      }),
    ]);
    expect(seen.map((event) => event.name)).toEqual(['alerts:raised']);

    // The same windows again, and one more drifted window: still one alert.
    await tell([...drifting, window(3, { features: { bill_length_mm: 'drift', ...calm } })]);
    expect((await call('alerts:list', { workspace, state: 'all' })).alerts).toHaveLength(1);

    await tell([...drifting, window(3, { features: { bill_length_mm: 'no-drift', ...calm } })]);
    expect((await call('alerts:list', { workspace })).alerts).toEqual([]);
    const [resolved] = (await call('alerts:list', { workspace, state: 'resolved' })).alerts;
    expect(resolved).toMatchObject({ state: 'resolved', resolution: 'no longer met in window 3 (Wasserstein 0.02 ≥ 0.1)', resolvedAt: expect.any(String) });
    expect(seen.map((event) => event.name)).toEqual(['alerts:raised', 'alerts:changed']);
  });

  it('acknowledges an alert by id, keeps the first acknowledgement, and refuses an unknown id', async () => {
    const { call, workspace, tell } = await setUp();
    await tell(drifting);
    const [alert] = (await call('alerts:list', { workspace })).alerts;
    const acked = await call('alerts:ack', { workspace, id: alert!.id, by: 'ada' });
    expect(acked).toMatchObject({ id: alert!.id, state: 'open', ackedBy: 'ada', ackedAt: expect.any(String) });
    expect(await call('alerts:ack', { workspace, id: alert!.id, by: 'bob' })).toMatchObject({ ackedBy: 'ada', ackedAt: acked.ackedAt });
    expect(await refusal(call('alerts:ack', { workspace, id: 'al-nope' }))).toMatchObject({ code: 'NOT_FOUND', message: 'There is no alert "al-nope" in this workspace.', hint: expect.stringContaining(alert!.id) });
  });

  it('lists by deployment and state, newest first', async () => {
    const { call, workspace, tell } = await setUp();
    await tell(drifting, 40);
    const all = (await call('alerts:list', { workspace, state: 'all' })).alerts;
    expect(all.map((alert) => alert.subject).sort()).toEqual(['bill_length_mm', 'recorder']);
    expect((await call('alerts:list', { workspace, deployment: 'edge-2/penguins-clf' })).alerts).toEqual([]);
    expect(await refusal(call('alerts:list', { workspace, deployment: 'no slash' }))).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('judges no rule while lathe.alerts.json is broken, and says which rule and field', async () => {
    const { call, workspace, tell } = await setUp();
    await writeFile(join(workspace, 'lathe.alerts.json'), JSON.stringify({ schemaVersion: 1, rules: [{ id: 'acc', kind: 'accuracy-below', floor: -1 }] }));
    await expect(tell(drifting)).rejects.toThrow('lathe.alerts.json: rule 1 ("acc"), field "floor": an accuracy floor is between 0 and 1.');
    expect((await call('alerts:list', { workspace, state: 'all' })).alerts).toEqual([]);
  });
});

describe('the webhook', () => {
  it('is kept with its URL out of sight, and each new alert is POSTed to it with the delivery recorded', async () => {
    const { call, workspace, tell, watcher, seen } = await setUp();
    const { url, bodies } = await receiver();
    const info = await call('alerts:webhook-set', { url, allowHosts: ['127.0.0.1'], allowPrivate: true });
    expect(info).toMatchObject({ host: '127.0.0.1', allowedHosts: ['127.0.0.1'], allowPrivate: true, secretStorage: 'private-file' });
    expect(info.maskedUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/… \(path and query hidden: 31 characters\)$/);
    expect(JSON.stringify(await call('alerts:webhook-get', {}))).not.toContain('s3cr3t');

    expect(await call('alerts:webhook-test', {})).toMatchObject({ ok: true, status: 200 });
    await tell(drifting);
    await watcher.idle();
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toMatchObject({ text: '[Lathe] Warning on edge-1/penguins-clf: bill_length_mm drifted in 2 windows in a row (1–2) (Wasserstein 0.31 ≥ 0.1)', alert: { subject: 'bill_length_mm' } });
    const [alert] = (await call('alerts:list', { workspace })).alerts;
    expect(alert!.delivery).toMatchObject({ state: 'delivered', status: 200, host: '127.0.0.1' });
    expect(seen.map((event) => event.name)).toEqual(['alerts:raised', 'alerts:changed']);
  });

  it('records why a delivery failed: a private target the user did not allow', async () => {
    const { call, workspace, tell, watcher } = await setUp();
    const { url, bodies } = await receiver();
    await call('alerts:webhook-set', { url, allowHosts: ['127.0.0.1'] });
    expect(await call('alerts:webhook-test', {})).toMatchObject({ ok: false, reason: expect.stringContaining('loopback') });
    await tell(drifting);
    await watcher.idle();
    const [alert] = (await call('alerts:list', { workspace })).alerts;
    expect(alert!.delivery).toMatchObject({ state: 'failed', reason: expect.stringContaining('--allow-private') });
    expect(bodies).toEqual([]);
  });

  it('is forgotten on request, its URL gone from the secret store too', async () => {
    const { call, state } = await setUp();
    const kept = async () => (await readdir(tokensDir(state))).filter((name) => name.startsWith('alerts-webhook-'));
    await call('alerts:webhook-set', { url: 'https://hooks.example.com/services/s3cr3t', allowHosts: ['hooks.example.com'] });
    await call('alerts:webhook-set', { url: 'https://hooks.example.com/services/an0ther', allowHosts: ['hooks.example.com'] });
    expect(await kept()).toHaveLength(1);
    expect(await call('alerts:webhook-remove', {})).toEqual({ removed: true });
    expect(await call('alerts:webhook-get', {})).toEqual({ webhook: null });
    expect(await kept()).toEqual([]);
    expect(await call('alerts:webhook-remove', {})).toEqual({ removed: false });
    expect(await refusal(call('alerts:webhook-test', {}))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a URL with a user and password, another scheme, a host not allowed, and a test without a webhook', async () => {
    const { call } = await setUp();
    expect(await refusal(call('alerts:webhook-test', {}))).toMatchObject({ code: 'NOT_FOUND', hint: expect.stringContaining('lathe alerts webhook set') });
    expect(await refusal(call('alerts:webhook-set', { url: 'https://user:pw@hooks.example.com/x', allowHosts: ['hooks.example.com'] }))).toMatchObject({ code: 'INVALID_INPUT', issues: [expect.objectContaining({ path: 'url', message: expect.stringContaining('user name or password') })] });
    expect(await refusal(call('alerts:webhook-set', { url: 'gopher://hooks.example.com/x', allowHosts: ['hooks.example.com'] }))).toMatchObject({ code: 'INVALID_INPUT', issues: [expect.objectContaining({ message: 'a webhook is POSTed over http or https, not gopher:' })] });
    expect(await refusal(call('alerts:webhook-set', { url: 'https://hooks.example.com/x', allowHosts: ['other.example.com'] }))).toMatchObject({ code: 'INVALID_INPUT', message: 'The webhook\'s host hooks.example.com is not among the hosts you allow (other.example.com).' });
    expect(await refusal(call('alerts:webhook-set', { url: 'https://hooks.example.com/x', allowHosts: [] }))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await call('alerts:webhook-get', {})).toEqual({ webhook: null });
  });
});

describe('the test accuracy a relative floor is measured from', () => {
  it("is the registry's accuracy of the version the windows were judged against, and unknown otherwise", async () => {
    const asked: unknown[] = [];
    const registry = (metrics: Record<string, number> | null) => async (name: string, input: unknown) => {
      asked.push({ name, input });
      return metrics ? { ok: true as const, value: { metrics } } : { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'no such version' } };
    };
    const withReference = report([window(1)]);
    expect(await registeredTestAccuracy(registry({ test_accuracy: 0.93, test_macro_f1: 0.9 }), '/ws', withReference)).toBe(0.93);
    expect(asked).toEqual([{ name: 'models:get-version', input: { workspace: '/ws', ref: 'penguins-clf@3' } }]);
    expect(await registeredTestAccuracy(registry({ test_rmse: 2.5, accuracy: 0.5 }), '/ws', withReference)).toBeNull();
    expect(await registeredTestAccuracy(registry(null), '/ws', withReference)).toBeNull();
    expect(await registeredTestAccuracy(registry({ test_accuracy: 0.93 }), '/ws', report([]))).toBeNull();
  });
});
