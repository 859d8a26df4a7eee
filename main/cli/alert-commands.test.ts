import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertStore } from '../core/alerts/alert-store.ts';
import { evaluateRules } from '../core/alerts/evaluate-rules.ts';
import { DEFAULT_ALERT_RULES } from '../core/alerts/default-rules.ts';
import { recorder, window } from '../core/alerts/window-fixture.ts';
import { coreOnNewWorkspace } from '../core/testing/core-fixture.ts';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { runCli } from './cli-app.ts';
import { latheFiles } from './lathe-files.ts';

const tempDir = useTempDirs();
const files = latheFiles(new URL('./lathe.ts', import.meta.url));
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A workspace with one open drift alert on edge-1/penguins-clf, and `lathe` run against it. */
async function setUp() {
  const root = await tempDir();
  const { core, workspace } = await coreOnNewWorkspace(root);
  const opened = await core.openWorkspace(workspace);
  const calm = { flipper_length_mm: 'no-drift', body_mass_g: 'no-drift' } as const;
  const evaluation = evaluateRules({
    deployment: 'edge-1/penguins-clf',
    rules: DEFAULT_ALERT_RULES,
    windows: [window(1, { features: { bill_length_mm: 'drift', ...calm } }), window(2, { features: { bill_length_mm: 'drift', ...calm } })],
    recorder: recorder(),
    testAccuracy: null,
    latest: [],
  });
  const [alert] = new AlertStore(opened.db).apply(evaluation, { state: 'not-configured' }).raised;
  await core.close();
  const lathe = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    process.env.LATHE_CONFIG_DIR = join(root, 'state');
    const code = await runCli([...argv, '-w', workspace], { out: (t) => out.push(t), err: (t) => err.push(t), cwd: root, version: '9.9.9', files });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return { lathe, workspace, alertId: alert!.id };
}

describe('lathe alerts', () => {
  it('lists open alerts, acknowledges one, and lists resolved ones on request', async () => {
    const { lathe, alertId } = await setUp();
    const listed = await lathe('alerts', 'list');
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toContain(alertId);
    expect(listed.out).toContain(`${alertId}: bill_length_mm drifted in 2 windows in a row (1–2) (Wasserstein 0.31 ≥ 0.1)`);
    expect(JSON.parse((await lathe('alerts', 'list', '--json')).out)).toMatchObject({ alerts: [{ id: alertId, state: 'open', subject: 'bill_length_mm' }] });
    expect((await lathe('alerts', 'list', '--deployment', 'edge-2/penguins-clf')).out).toBe('No open alerts for edge-2/penguins-clf. `lathe alerts list --all` shows resolved ones too.');
    expect((await lathe('alerts', 'list', '--resolved')).out).toBe('No resolved alerts.');

    const acked = await lathe('alerts', 'ack', alertId, '--by', 'ada');
    expect(acked.code, acked.err).toBe(0);
    expect(acked.out).toMatch(new RegExp(`^Acknowledged ${alertId} \\(edge-1/penguins-clf\\) as ada at `));
    expect((await lathe('alerts', 'list')).out).toContain('open, acked by ada');
  });

  it('refuses an unknown alert id and a wrong deployment name', async () => {
    const { lathe, alertId } = await setUp();
    const unknown = await lathe('alerts', 'ack', 'al-missing');
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain('There is no alert "al-missing" in this workspace.');
    expect(unknown.err).toContain(alertId);
    expect((await lathe('alerts', 'list', '--deployment', 'penguins')).err).toContain('TARGET/MODEL');
    expect((await lathe('alerts', 'list', '--all', '--resolved')).err).toContain('Give --all or --resolved, not both');
  });

  it('shows the rules, the defaults without a file, and names the rule and field of a broken file', async () => {
    const { lathe, workspace } = await setUp();
    const defaults = await lathe('alerts', 'rules');
    expect(defaults.out).toContain('No lathe.alerts.json in this workspace; the defaults apply:');
    expect(defaults.out).toContain('any feature drifts 2 windows in a row');
    expect(defaults.out).toContain('accuracy (or its estimate) < test accuracy − 0.1 in a window');

    await writeFile(join(workspace, 'lathe.alerts.json'), JSON.stringify({ schemaVersion: 1, rules: [{ id: 'p99', kind: 'latency-above', p99Ms: 250 }, { id: 'acc', kind: 'accuracy-below', floor: 2 }] }));
    const broken = await lathe('alerts', 'rules');
    expect(broken.code).not.toBe(0);
    expect(broken.err).toContain('lathe.alerts.json: rule 2 ("acc"), field "floor": an accuracy floor is between 0 and 1.');
  });

  it('sets the webhook, never prints its URL whole, and tests it with the real checks', async () => {
    const { lathe } = await setUp();
    const bodies: unknown[] = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        bodies.push(JSON.parse(text));
        res.end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/very-secret-path`;

    expect((await lathe('alerts', 'webhook', 'set', url)).err).toContain('--allow-host HOST');
    expect((await lathe('alerts', 'webhook', 'set', 'http://me:pw@hooks.example.com/x', '--allow-host', 'hooks.example.com')).err).toContain('user name or password');
    expect((await lathe('alerts', 'webhook', 'set', 'javascript:alert(1)', '--allow-host', 'hooks.example.com')).err).toContain('not javascript:');

    const set = await lathe('alerts', 'webhook', 'set', url, '--allow-host', '127.0.0.1');
    expect(set.code, set.err).toBe(0);
    expect(set.out).not.toContain('very-secret-path');
    expect((await lathe('alerts', 'webhook', 'show', '--json')).out).not.toContain('very-secret-path');

    const refused = await lathe('alerts', 'webhook', 'test');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('Not delivered: 127.0.0.1 is a loopback address (this machine)');
    expect(bodies).toEqual([]);

    await lathe('alerts', 'webhook', 'set', url, '--allow-host', '127.0.0.1', '--allow-private');
    const tested = await lathe('alerts', 'webhook', 'test');
    expect(tested.code, tested.err).toBe(0);
    expect(tested.out).toBe('Delivered: 127.0.0.1 (127.0.0.1) answered HTTP 200.');
    expect(bodies).toEqual([expect.objectContaining({ test: true, text: expect.stringContaining('Test alert') })]);

    expect((await lathe('alerts', 'webhook', 'remove')).out).toBe('Removed the alert webhook; alerts are kept and shown, and sent nowhere.');
    expect((await lathe('alerts', 'webhook', 'show')).out).toContain('No alert webhook is set.');
  });
});
