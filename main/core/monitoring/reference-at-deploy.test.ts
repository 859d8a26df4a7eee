import { once } from 'node:events';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReferenceProfile } from '../../../shared/contract/monitoring.ts';
import { startAgent, type RunningAgent } from '../../agent/start-agent.ts';
import { loadOrCreateSigningKey } from '../bundles/signing-keys.ts';
import { findVersion } from '../datasets/dataset-history.ts';
import { recordGateReport } from '../gates/gate-results.ts';
import { resolveModelVersion } from '../registry/resolve-model-version.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { useTrainedWorkspace } from '../testing/trained-workspace.ts';
import { buildReferenceProfile } from './reference-profile.ts';

/**
 * Deploy sends the version's training reference once the agent has loaded it: the columns the
 * model reads from the dataset version it was trained on, its test predictions, the task and test
 * metric. When the reference cannot be read (its bytes not on this machine, the dataset version
 * gone) or the agent will not take it, the deploy still succeeds and its log says drift will not
 * be judged, and why. A real agent serves the deploy; a front in front of it answers the
 * reference route itself, so the test does not depend on how the agent judges drift.
 */
const trained = useTrainedWorkspace(1, 'lathe-reference-');
const tempDir = useTempDirs();
const running: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  const { call, workspace, runIds, writer } = trained();
  await call('models:register', { workspace, runId: runIds[0]!, name: 'penguins' });
  await recordGateReport(writer, {
    id: '20261130T010000.000Z-pas1',
    model: 'penguins',
    version: 1,
    baseline: null,
    data: { name: 'penguins', version: 1, rows: 69, testSplit: true },
    startedAt: new Date().toISOString(),
    durationMs: 1,
    outcome: 'pass',
    summary: 'every check passed.',
    checks: [],
  });
}, 60_000);

afterEach(async () => {
  const { call } = trained();
  for (const { target } of await call('targets:list', { probe: false })) await call('targets:remove', { name: target.name });
  await Promise.all(running.splice(0).map((item) => item.close()));
});

interface Front {
  url: string;
  token: string;
  /** Profiles PUT to /admin/models/{name}/reference. */
  references: unknown[];
}

/** A real agent behind a front that answers the reference route with `answer` and passes everything else on. */
async function agentBehindFront(answer: { status: number; body: (profile: ReferenceProfile) => unknown }): Promise<Front> {
  const { workspace } = trained();
  const key = await loadOrCreateSigningKey(join(dirname(workspace), 'state'));
  const agent: RunningAgent = await startAgent({ dataDir: await tempDir(), trust: [key.publicKey], port: 0, workers: 1, latheVersion: 'test-agent', warn: () => {} });
  running.push(agent);
  const upstream = new URL(agent.url);
  const references: unknown[] = [];
  const server: Server = createServer((req, res) => {
    if (req.method === 'PUT' && /^\/admin\/models\/[^/]+\/reference$/.test(req.url ?? '')) {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const profile = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReferenceProfile;
        references.push(profile);
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(answer.body(profile)));
      });
      return;
    }
    const forward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  running.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, token: agent.newAdminToken!, references };
}

const accepted = { status: 200, body: (p: ReferenceProfile) => ({ reference: { model: p.model, version: p.version, dataset: p.dataset, datasetRows: p.datasetRows, createdAt: p.createdAt } }) };

describe('the training reference', () => {
  it('is built from the dataset version the model was trained on, column by column, with its test predictions and metric', async () => {
    const { writer } = trained();
    const version = await resolveModelVersion(writer, 'penguins@1');
    const profile = ReferenceProfile.parse(await buildReferenceProfile(writer, version, new Date('2026-11-30T11:00:00Z')));
    expect(profile).toMatchObject({ schemaVersion: 1, model: 'penguins', version: 1, dataset: 'penguins@1', datasetRows: 344, createdAt: '2026-11-30T11:00:00.000Z' });
    expect(profile.task).toEqual({ kind: 'classification', classes: version.signature!.classes });
    expect(profile.features.map((f) => f.name)).toEqual(version.signature!.inputs.map((input) => input.name));

    const bill = profile.features.find((f) => f.name === 'Beak Length (mm)');
    if (bill?.kind !== 'numeric') throw new Error('Beak Length (mm) is read as numbers');
    // 344 penguins, 2 without a beak length: few enough rows that every value is kept for KS.
    expect(bill).toMatchObject({ rows: 342, missing: 2, exact: true, min: 32.1, max: 59.6 });
    expect(bill.values).toHaveLength(342);
    expect(bill.values).toEqual([...bill.values].sort((a, b) => a - b));
    const island = profile.features.find((f) => f.name === 'Island');
    expect(island).toMatchObject({ kind: 'categorical', rows: 344, missing: 0, counts: { Biscoe: 168, Dream: 124, Torgersen: 52 } });

    // The predictions on the test split: one count per class predicted, adding up to the test rows.
    if (profile.prediction?.kind !== 'categorical') throw new Error('a classifier predicts categories');
    const testRows = Object.values(profile.prediction.counts).reduce((a, b) => a + b, 0);
    expect(testRows).toBeGreaterThan(30);
    expect(Object.keys(profile.prediction.counts).every((name) => version.signature!.classes!.includes(name))).toBe(true);
    expect(profile.testMetric).toEqual({ name: 'accuracy', value: version.metrics.test_accuracy });
    // Fewer labelled test rows than CBPE's minimum (100): no estimator rather than a poor one.
    expect(profile.cbpe).toBeNull();
  });

  it('is refused naming the dataset version when the lineage names one that does not exist', async () => {
    const { writer } = trained();
    const version = await resolveModelVersion(writer, 'penguins@1');
    const gone = { ...version, lineage: { ...version.lineage, dataset: { ...version.lineage.dataset!, version: 7 } } };
    await expect(buildReferenceProfile(writer, gone)).rejects.toMatchObject({ error: { code: 'NOT_FOUND', message: 'the reference penguins@7 cannot be read: dataset "penguins" has no version 7; its versions are 1 to 1.' } });
  });
});

describe('deploy sends the training reference', () => {
  it('after the agent loaded the version, and the deployment log says drift is judged against it', async () => {
    const { call, workspace } = trained();
    const front = await agentBehindFront(accepted);
    await call('targets:add', { name: 'edge-1', url: front.url, token: front.token });
    const deployment = await call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1' });
    expect(deployment).toMatchObject({ name: 'edge-1/penguins', state: 'succeeded' });
    expect(front.references).toHaveLength(1);
    expect(ReferenceProfile.parse(front.references[0])).toMatchObject({ model: 'penguins', version: 1, dataset: 'penguins@1' });
    const [recorded] = await call('deploy:history', { workspace, limit: 1 });
    expect(recorded!.events.map((e) => e.kind)).toEqual(['started', 'gates-checked', 'packaged', 'uploaded', 'monitoring', 'switched']);
    expect(recorded!.events[4]!.message).toMatch(/^Sent the training reference penguins@1 \(344 rows, \d+ features, its test predictions\) to edge-1: drift is judged against it\.$/);
  });

  it("still deploys when the dataset's bytes are not on this machine, saying drift will not be judged and what to do", async () => {
    const { call, workspace, writer } = trained();
    const front = await agentBehindFront(accepted);
    await call('targets:add', { name: 'edge-1', url: front.url, token: front.token });
    const { manifest } = await findVersion(writer, 'penguins', 1);
    const blob = writer.blobs.pathOf(manifest.contentHash);
    await rm(join(writer.latheDir, 'monitoring', 'references'), { recursive: true, force: true });
    await rename(blob, `${blob}.away`);
    try {
      const deployment = await call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1' });
      expect(deployment.state).toBe('succeeded');
    } finally {
      await rename(`${blob}.away`, blob);
    }
    expect(front.references).toEqual([]);
    const [recorded] = await call('deploy:history', { workspace, limit: 1 });
    expect(recorded!.events.find((e) => e.kind === 'monitoring')!.message).toBe("Drift will not be judged for penguins@1 on edge-1: the reference penguins@1 cannot be read: its bytes are not in this machine's store (run `lathe data pull`).");
  });

  it('is built once per version: a later deploy sends the one kept in .lathe/monitoring, without reading the dataset again', async () => {
    const { call, workspace, writer } = trained();
    const front = await agentBehindFront(accepted);
    await call('targets:add', { name: 'edge-1', url: front.url, token: front.token });
    await rm(join(writer.latheDir, 'monitoring', 'references'), { recursive: true, force: true });
    await call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1' });
    expect(await readdir(join(writer.latheDir, 'monitoring', 'references'))).toEqual([expect.stringMatching(/^penguins@1-[0-9a-f]{32}\.json$/)]);
    const { manifest } = await findVersion(writer, 'penguins', 1);
    const blob = writer.blobs.pathOf(manifest.contentHash);
    await rename(blob, `${blob}.away`);
    try {
      await call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1' });
    } finally {
      await rename(`${blob}.away`, blob);
    }
    expect(front.references).toHaveLength(2);
    expect(front.references[1]).toEqual(front.references[0]);

    // A kept file that does not read back as a reference (cut short, edited) is built again.
    const [kept] = await readdir(join(writer.latheDir, 'monitoring', 'references'));
    await writeFile(join(writer.latheDir, 'monitoring', 'references', kept!), '{"schemaVersion":1,"model":');
    await call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1' });
    expect(front.references).toHaveLength(3);
    expect({ ...(front.references[2] as object), createdAt: null }).toEqual({ ...(front.references[0] as object), createdAt: null });
  });

  it('still deploys when the agent will not take the reference, saying why', async () => {
    const { call, workspace } = trained();
    const front = await agentBehindFront({ status: 400, body: () => ({ error: 'features.0.values: expected number' }) });
    await call('targets:add', { name: 'edge-1', url: front.url, token: front.token });
    expect((await call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1' })).state).toBe('succeeded');
    const [recorded] = await call('deploy:history', { workspace, limit: 1 });
    expect(recorded!.events.find((e) => e.kind === 'monitoring')!.message).toMatch(/^Drift will not be judged for penguins@1 on edge-1: it did not take the training reference penguins@1: Target edge-1 \(http:\/\/127\.0\.0\.1:\d+\) refused \/admin\/models\/penguins\/reference: features\.0\.values: expected number\.$/);
  });
});
