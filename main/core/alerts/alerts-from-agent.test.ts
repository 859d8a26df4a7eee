import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LatheEvent } from '../../../shared/contract/calls.ts';
import { DeploymentLog } from '../deploy/deployment-log.ts';
import { privateFileSecrets } from '../deploy/secret-store.ts';
import { TargetRecords, tokensDir } from '../deploy/target-records.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { fakeMonitoringAgent, windowSummary, type FakeMonitoringAgent } from '../testing/fake-monitoring-agent.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

/**
 * The whole way, through the composition root: an agent's windows fetched by monitoring (here on
 * `monitoring:report`, as the sampler does each round) reach the alert rules, which raise an
 * alert, tell the front doors and POST it to the webhook. The agent is a fake speaking the contract.
 */
const tempDir = useTempDirs();
const closing: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;

async function receiver(): Promise<{ url: string; bodies: { text: string }[] }> {
  const bodies: { text: string }[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      bodies.push(JSON.parse(text) as { text: string });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closing.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/secret`, bodies };
}

describe('alerts from a deployed model', () => {
  it('a feature drifting in two windows on the agent becomes one alert, an alerts:raised event and a webhook POST', async () => {
    const root = await tempDir();
    const { core, call, workspace } = await coreOnNewWorkspace(root);
    closing.push(() => core.close());
    const agent: FakeMonitoringAgent = await fakeMonitoringAgent('penguins');
    closing.push(() => agent.close());
    const state = join(root, 'state');
    await new TargetRecords(state).add({ name: 'edge-1', url: agent.url, addedAt: at(0), tokenStorage: 'private-file', secretId: 'edge-1-test' }, false);
    await privateFileSecrets(tokensDir(state)).put('edge-1-test', agent.token);
    const log = new DeploymentLog((await core.openWorkspace(workspace)).db);
    const deployment = log.begin({ model: 'penguins', version: 1, ref: 'penguins@1', target: 'edge-1', targetUrl: agent.url, strategy: 'replace', steps: null, intervalMs: null, thresholds: null, gate: { outcome: 'pass', reportId: null, summary: 'passed' }, overrideReason: null, previousVersion: null });
    log.update(deployment.id, { state: 'succeeded', outcome: 'penguins@1 serves all traffic on edge-1.' });

    await call('alerts:save-rules', { workspace, rules: [{ id: 'bill', kind: 'feature-drift', feature: 'bill_length_mm', windows: 2, severity: 'critical' }] });
    const { url, bodies } = await receiver();
    await call('alerts:webhook-set', { url, allowHosts: ['127.0.0.1'], allowPrivate: true });
    const events: LatheEvent[] = [];
    const delivered = new Promise<void>((resolve) =>
      core.events.on((event) => {
        if (event.name.startsWith('alerts:')) events.push(event);
        if (event.name === 'alerts:changed') resolve();
      }),
    );

    agent.state.windows = [windowSummary('penguins', 0, { startedAt: at(0), endedAt: at(2), drifted: ['bill_length_mm'] }), windowSummary('penguins', 1, { startedAt: at(2), endedAt: at(4), drifted: ['bill_length_mm'] }), windowSummary('penguins', 2, { startedAt: at(4), endedAt: null })];
    await call('monitoring:report', { workspace, deployment: 'edge-1/penguins' });
    await delivered;

    const { alerts } = await call('alerts:list', { workspace });
    expect(alerts).toEqual([expect.objectContaining({ deployment: 'edge-1/penguins', ruleId: 'bill', subject: 'bill_length_mm', severity: 'critical', summary: 'bill_length_mm drifted in 2 windows in a row (0–1) (Wasserstein 0.31 ≥ 0.1)', delivery: expect.objectContaining({ state: 'delivered', status: 200 }) })]);
    expect(events.map((event) => event.name)).toEqual(['alerts:raised', 'alerts:changed']);
    expect(bodies.map((body) => body.text)).toEqual(['[Lathe] Critical on edge-1/penguins: bill_length_mm drifted in 2 windows in a row (0–1) (Wasserstein 0.31 ≥ 0.1)']);

    // The agent says the same again: nothing new is raised.
    await call('monitoring:report', { workspace, deployment: 'edge-1/penguins' });
    expect((await call('alerts:list', { workspace, state: 'all' })).alerts).toHaveLength(1);
  });
});
