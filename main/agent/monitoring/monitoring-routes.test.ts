import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MonitoringSettings, MonitoringState, type ReferenceProfile } from '../../../shared/contract/monitoring.ts';
import { parsePrometheusText } from '../../core/deploy/prometheus-text.ts';
import { useTempDirs } from '../../core/testing/temp-dir.ts';
import { startAgent, type RunningAgent } from '../start-agent.ts';
import { json, send, tensorsOf } from '../test-support/agent-client.ts';
import { trainPenguinBundles, type TrainedBundles } from '../test-support/trained-bundles.ts';
import { categoricalColumn, numericColumn } from './monitoring-fixtures.ts';

/**
 * The agent's monitoring over HTTP, against a real trained penguins classifier: the training
 * reference and settings go in through the admin API (token, JSON, checked field by field), every
 * answered request lands in its window, and /metrics carries the gauges.
 */
const tempDir = useTempDirs();
let bundles: TrainedBundles;
let bundlesDir: string;
let penguins: Record<string, string | number | null>[];
const running: RunningAgent[] = [];

beforeAll(async () => {
  bundlesDir = await mkdtemp(join(tmpdir(), 'lathe-monitoring-bundles-'));
  bundles = await trainPenguinBundles(bundlesDir);
  penguins = parseCsv(await readFile(join(import.meta.dirname, '../../../resources/samples/penguins.csv'), 'utf8'));
}, 120_000);

afterAll(() => rm(bundlesDir, { recursive: true, force: true }));

afterEach(async () => {
  await Promise.all(running.splice(0).map((agent) => agent.close()));
});

async function servingAgent(dataDir?: string) {
  const dir = dataDir ?? (await tempDir());
  const agent = await startAgent({ dataDir: dir, trust: [bundles.key.publicKey], port: 0, workers: 1, latheVersion: 'test', warn: () => {} });
  running.push(agent);
  const token = agent.newAdminToken ?? '';
  const loaded = await send(agent.url, '/admin/models/penguins', { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' }, body: await readFile(bundles.v1) });
  expect(loaded.status, loaded.text).toBe(200);
  const adminJson = (method: string, path: string, body?: unknown, given = token) =>
    send(agent.url, path, { method, headers: { Authorization: `Bearer ${given}`, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { agent, token, adminJson, dir };
}

function penguinReference(): ReferenceProfile {
  const column = (name: string) => penguins.map((row) => row[name]).filter((value) => value !== null);
  return {
    schemaVersion: 1,
    model: 'penguins',
    version: 1,
    dataset: 'penguins@1',
    datasetRows: penguins.length,
    createdAt: '2026-11-30T10:00:00.000Z',
    task: { kind: 'classification', classes: ['Adelie', 'Chinstrap', 'Gentoo'] },
    features: [
      categoricalColumn('Island', column('Island') as string[]),
      numericColumn('Beak Length (mm)', column('Beak Length (mm)') as number[]),
      numericColumn('Beak Depth (mm)', column('Beak Depth (mm)') as number[]),
      numericColumn('Flipper Length (mm)', column('Flipper Length (mm)') as number[]),
      numericColumn('Body Mass (g)', column('Body Mass (g)') as number[]),
      categoricalColumn('Sex', column('Sex') as string[]),
    ],
    prediction: categoricalColumn('prediction', column('Species') as string[]),
    cbpe: null,
    testMetric: { name: 'accuracy', value: 0.95 },
  };
}

describe('agent monitoring routes', () => {
  it('takes a reference and settings, windows every answered request, and exports the gauges on /metrics', async () => {
    const { agent, adminJson } = await servingAgent();
    const reference = await adminJson('PUT', '/admin/models/penguins/reference', penguinReference());
    expect(reference.status, reference.text).toBe(200);
    expect(reference.json()).toEqual({ reference: { model: 'penguins', version: 1, dataset: 'penguins@1', datasetRows: penguins.length, createdAt: '2026-11-30T10:00:00.000Z' } });
    const settings = await adminJson('PUT', '/admin/models/penguins/monitoring', { window: { kind: 'count', rows: 40 }, minRows: 10 });
    expect(settings.status, settings.text).toBe(200);
    expect(MonitoringSettings.parse(settings.json())).toMatchObject({ window: { kind: 'count', rows: 40 }, minRows: 10, sampleRate: 1, retentionDays: 30 });

    const rows = penguins.filter((row) => Object.values(row).every((value) => value !== null)).slice(0, 50);
    const features = rows.map(({ Species: _, ...inputs }) => inputs);
    // Ten requests of four rows, then one of ten: the second crosses into window 1.
    for (let i = 0; i < 40; i += 4) expect((await send(agent.url, '/v2/models/penguins/infer', json({ inputs: tensorsOf(features.slice(i, i + 4)) }))).status).toBe(200);
    expect((await send(agent.url, '/v2/models/penguins/infer', json({ id: 'last', inputs: tensorsOf(features.slice(40, 50)) }))).status).toBe(200);

    const answer = await adminJson('GET', '/admin/monitoring/penguins');
    expect(answer.status, answer.text).toBe(200);
    const state = MonitoringState.parse(answer.json());
    expect(state.reference?.version).toBe(1);
    expect(state.recorder).toMatchObject({ recorded: 50, dropped: 0, sampledOut: 0, problem: null });
    expect(state.windows.map((w) => [w.index, w.rows, w.endedAt === null])).toEqual([[0, 40, false], [1, 10, true]]);
    expect(state.windows[0]!.features.map((f) => f.name)).toEqual(['Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex']);
    expect(state.windows[0]!.features.every((f) => f.drift.verdict !== 'not-enough-data')).toBe(true);
    expect(state.windows[0]!.latency.p50Ms).not.toBeNull();
    const after = MonitoringState.parse((await adminJson('GET', '/admin/monitoring/penguins?after=0')).json());
    expect(after.windows.map((w) => w.index)).toEqual([1]);

    const feedback = await send(agent.url, '/v2/models/penguins/feedback', json({ id: 'last', labels: rows.slice(40, 50).map((row) => row.Species) }));
    expect(feedback.status, feedback.text).toBe(200);
    expect(feedback.json()).toMatchObject({ recorded: true, late: false });

    const metrics = await send(agent.url, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('lathe_agent_requests_total');
    expect(metrics.text).toMatch(/^lathe_drift_score\{model="penguins",feature="Beak Length \(mm\)",method="ks"\} [0-9.e-]+$/m);
    expect(metrics.text).toMatch(/^lathe_drift_detected\{model="penguins",feature="Island"\} [01]$/m);
    expect(metrics.text).toMatch(/^lathe_dataset_drift_share\{model="penguins"\} [0-9.e-]+$/m);
    expect(metrics.text).toContain('lathe_predictions_recorded_total{model="penguins"} 50');
    expect(metrics.text).toContain('lathe_predictions_dropped_total{model="penguins",reason="store-full"} 0');
    expect(metrics.text).toContain('lathe_predictions_sampled_out_total{model="penguins"} 0');
    expect(metrics.text).toContain('lathe_concept_drift{model="penguins",detector="ddm"} 0');
    expectValidExposition(metrics.text);
    // The app's own strict reader (the sampler scrapes /metrics with it) takes the page whole.
    const parsed = parsePrometheusText(metrics.text, agent.url);
    expect(parsed.types.get('lathe_drift_score')).toBe('gauge');
    expect(parsed.samples.filter((sample) => sample.name === 'lathe_drift_score')).toHaveLength(6);
  });

  it('keeps what it recorded across a restart of the agent', async () => {
    const first = await servingAgent();
    const rows = penguins.filter((row) => Object.values(row).every((value) => value !== null)).slice(0, 3).map(({ Species: _, ...inputs }) => inputs);
    for (const row of rows) expect((await send(first.agent.url, '/v2/models/penguins/infer', json({ inputs: tensorsOf([row]) }))).status).toBe(200);
    await first.agent.close();
    running.splice(running.indexOf(first.agent), 1);

    const again = await startAgent({ dataDir: first.dir, trust: [bundles.key.publicKey], port: 0, workers: 1, latheVersion: 'test', warn: () => {} });
    running.push(again);
    const state = MonitoringState.parse((await send(again.url, '/admin/monitoring/penguins', { headers: { Authorization: `Bearer ${first.token}` } })).json());
    expect(state.windows.map((w) => [w.index, w.rows])).toEqual([[0, 3]]);
    expect(state.referenceProblem).toBe('No training reference was sent for penguins version 1; redeploy it with this Lathe to judge drift.');
  });

  it('refuses a wrong token, a malformed reference, a bad settings patch, an unknown model and a bad ?after', async () => {
    const { adminJson, token } = await servingAgent();
    const noToken = await adminJson('PUT', '/admin/models/penguins/reference', penguinReference(), 'wrong');
    expect(noToken.status).toBe(401);
    expect((await adminJson('GET', '/admin/monitoring/penguins', undefined, 'wrong')).status).toBe(401);

    const broken = { ...penguinReference(), features: [{ kind: 'numeric', name: 'Body Mass (g)', rows: -1 }] };
    const malformed = await adminJson('PUT', '/admin/models/penguins/reference', broken);
    expect(malformed.status).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'INVALID_INPUT', error: expect.stringContaining('features.0.rows') });
    const garbled = await send(running[0]!.url, '/admin/models/penguins/reference', { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{"schemaVersion": 1,' });
    expect(garbled.status).toBe(400);
    expect(garbled.json().error).toContain('not valid JSON');
    const plain = await send(running[0]!.url, '/admin/models/penguins/reference', { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' }, body: '{}' });
    expect(plain.status).toBe(415);

    const patch = await adminJson('PUT', '/admin/models/penguins/monitoring', { sampleRate: 0, window: { kind: 'count', rows: 5 } });
    expect(patch.status).toBe(400);
    expect(patch.json().error).toMatch(/sampleRate/);
    const unknownKey = await adminJson('PUT', '/admin/models/penguins/monitoring', { windowRows: 100 });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.json().error).toMatch(/windowRows/);
    expect((await adminJson('PUT', '/admin/models/penguins/monitoring', undefined)).status).toBe(400);

    const unknown = await adminJson('GET', '/admin/monitoring/churn');
    expect(unknown.status).toBe(404);
    expect(unknown.json().error).toContain('No model named churn is loaded on this agent');
    expect((await adminJson('GET', '/admin/monitoring/penguins?after=-1')).status).toBe(400);
    expect((await adminJson('POST', '/admin/monitoring/penguins', {})).status).toBe(405);
  });
});

/** Every line of the text format 0.0.4 is a comment or `name{labels} value`, each family typed once. */
function expectValidExposition(text: string): void {
  const typed = new Set<string>();
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const name = line.split(' ')[2]!;
      expect(typed.has(name), `${name} typed twice`).toBe(false);
      typed.add(name);
    } else if (!line.startsWith('# HELP ')) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/);
    }
  }
}

function parseCsv(text: string): Record<string, string | number | null>[] {
  const [header, ...lines] = text.trim().split('\n');
  const names = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((name, i) => {
      const cell = cells[i]?.trim() ?? '';
      if (cell === '' || cell === 'NA') return [name, null];
      const number = Number(cell);
      return [name, Number.isFinite(number) && name !== 'Species' ? number : cell];
    }));
  });
}
