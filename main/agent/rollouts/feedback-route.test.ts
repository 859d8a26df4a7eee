import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceProfile } from '../../../shared/contract/monitoring.ts';
import { startAgent, type RunningAgent } from '../start-agent.ts';
import { json, send, tensorsOf } from '../test-support/agent-client.ts';
import { ADELIE, trainPenguinBundles, type TrainedBundles } from '../test-support/trained-bundles.ts';

/**
 * POST /v2/models/{name}/feedback joins every recorded prediction, however late, over real HTTP:
 * without a rollout, after its window closed, after a restart; and refuses, each with its status
 * and a sentence, an unknown id, an expired one, a second label, a label of the wrong kind, a
 * wrong number of labels for a several-row request, and bodies that are too big or not JSON.
 */
let root = '';
let bundles: TrainedBundles;
const DAY_MS = 86_400_000;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lathe-feedback-'));
  bundles = await trainPenguinBundles(join(root, 'train'));
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function servingAgent(dataDir: string): Promise<RunningAgent & { admin: Record<string, string> }> {
  const agent = await startAgent({ dataDir, trust: [bundles.key.publicKey], port: 0, workers: 1, latheVersion: 'test', warn: () => {} });
  const token = agent.newAdminToken ?? (await readFile(join(root, 'token'), 'utf8'));
  const admin = { Authorization: `Bearer ${token}` };
  if (agent.newAdminToken) {
    await writeFile(join(root, 'token'), token);
    const put = await send(agent.url, '/admin/models/penguins', { method: 'PUT', headers: { ...admin, 'Content-Type': 'application/octet-stream' }, body: await readFile(bundles.v1) });
    expect(put.status, put.text).toBe(200);
  }
  return Object.assign(agent, { admin });
}

const reference: ReferenceProfile = {
  schemaVersion: 1,
  model: 'penguins',
  version: 1,
  dataset: 'penguins@1',
  datasetRows: 344,
  createdAt: '2026-11-30T00:00:00.000Z',
  task: { kind: 'classification', classes: ['Adelie', 'Chinstrap', 'Gentoo'] },
  features: [],
  prediction: null,
  cbpe: null,
  testMetric: null,
};

const feedback = (url: string, body: unknown) => send(url, '/v2/models/penguins/feedback', json(body));

async function predict(url: string, rows: readonly Record<string, string | number | null>[], id?: string): Promise<{ id: string; predicted: string[] }> {
  const answer = await send(url, '/v2/models/penguins/infer', json({ ...(id ? { id } : {}), inputs: tensorsOf(rows) }));
  expect(answer.status, answer.text).toBe(200);
  return { id: answer.headers['x-request-id'] as string, predicted: answer.json().outputs[0].data };
}

describe('feedback, however late', () => {
  it('joins a label to any recorded prediction, once; says when it was late; refuses the wrong kinds of label', { timeout: 60_000 }, async () => {
    const agent = await servingAgent(join(root, 'agent-1'));
    try {
      expect((await send(agent.url, '/admin/models/penguins/monitoring', { method: 'PUT', headers: { ...agent.admin, 'Content-Type': 'application/json' }, body: JSON.stringify({ window: { kind: 'count', rows: 10 } }) })).status).toBe(200);
      expect((await send(agent.url, '/admin/models/penguins/reference', { method: 'PUT', headers: { ...agent.admin, 'Content-Type': 'application/json' }, body: JSON.stringify(reference) })).status).toBe(200);

      const first = await predict(agent.url, [ADELIE]);
      const joined = await feedback(agent.url, { id: first.id, label: first.predicted[0] });
      expect(joined.status, joined.text).toBe(200);
      expect(joined.json()).toEqual({ id: first.id, arm: 'stable', version: '1', rollout: null, correct: true, recorded: true, late: false });

      const twice = await feedback(agent.url, { id: first.id, label: 'Gentoo' });
      expect(twice.status).toBe(409);
      expect(twice.json()).toMatchObject({ code: 'CONFLICT', error: expect.stringMatching(new RegExp(`^Request "${first.id}" of model penguins was already labelled at \\d{4}-.+; a label is never overwritten\\.$`)) });

      const wrongClass = await feedback(agent.url, { id: (await predict(agent.url, [ADELIE])).id, label: 3.5 });
      expect(wrongClass.status).toBe(400);
      expect(wrongClass.json().error).toBe('Model penguins is a classifier with classes Adelie, Chinstrap, Gentoo; label 3.5 is not one of them.');

      // A label that comes after its window closed still joins, and says it was late.
      const early = await predict(agent.url, [ADELIE]);
      for (let i = 0; i < 12; i += 1) await predict(agent.url, [ADELIE]);
      const late = await feedback(agent.url, { id: early.id, label: 'Chinstrap' });
      expect(late.json()).toMatchObject({ recorded: true, late: true, correct: early.predicted[0] === 'Chinstrap' });

      const unknown = await feedback(agent.url, { id: 'never-sent', label: 'Adelie' });
      expect(unknown.status).toBe(404);
      expect(unknown.json().error).toBe('No prediction with request id "never-sent" was recorded for model penguins.');
      const otherModel = await send(agent.url, '/v2/models/churn/feedback', json({ id: first.id, label: 'yes' }));
      expect(otherModel.status).toBe(404);
      expect(otherModel.json().error).toBe('No prediction of a model named "churn" was recorded on this agent.');
    } finally {
      await agent.close();
    }
  });

  it('takes one label per row of a several-row request, and refuses a count that is not the rows’', { timeout: 60_000 }, async () => {
    const agent = await servingAgent(join(root, 'agent-2'));
    try {
      const three = await predict(agent.url, [ADELIE, ADELIE, { ...ADELIE, Island: 'Biscoe' }]);
      const single = await feedback(agent.url, { id: three.id, label: 'Adelie' });
      expect(single.status).toBe(400);
      expect(single.json().error).toBe(`Request "${three.id}" of model penguins predicted 3 rows; 1 label was sent.`);
      const short = await feedback(agent.url, { id: three.id, labels: ['Adelie', 'Adelie'] });
      expect(short.status).toBe(400);
      expect(short.json()).toMatchObject({ error: `Request "${three.id}" of model penguins predicted 3 rows; 2 labels were sent.`, hint: 'Send {"id": ID, "labels": [...]} with 3 labels, in the order of the request\'s rows.' });
      const whole = await feedback(agent.url, { id: three.id, labels: ['Adelie', 'Adelie', 'Gentoo'] });
      expect(whole.status, whole.text).toBe(200);
      expect(whole.json()).toMatchObject({ recorded: true });
      expect((await feedback(agent.url, { id: three.id, labels: [] })).status).toBe(400);
    } finally {
      await agent.close();
    }
  });

  it('refuses bodies that are too big, not JSON, or of the wrong shape, with a status that says which', { timeout: 60_000 }, async () => {
    const agent = await servingAgent(join(root, 'agent-3'));
    try {
      const { id } = await predict(agent.url, [ADELIE]);
      const huge = await feedback(agent.url, { id, labels: Array.from({ length: 150_000 }, () => 'Adelie') });
      expect(huge.status).toBe(413);
      expect(huge.json().code).toBe('TOO_LARGE');
      expect((await send(agent.url, '/v2/models/penguins/feedback', { headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ id, label: 'Adelie' }) })).status).toBe(415);
      const notJson = await send(agent.url, '/v2/models/penguins/feedback', { headers: { 'Content-Type': 'application/json' }, body: '{"id": "x", "label": Adel' });
      expect(notJson.status).toBe(400);
      expect(notJson.json().error).toMatch(/^The request body is not valid JSON/);
      const shapeless = await feedback(agent.url, { id, label: { class: 'Adelie' } });
      expect(shapeless.status).toBe(400);
      expect(shapeless.json().hint).toBe('Send {"id": REQUEST_ID, "label": TRUE_LABEL}, {"id": REQUEST_ID, "labels": [ONE, PER, ROW]} or {"id": REQUEST_ID, "reward": NUMBER}.');
      const tooMany = await feedback(agent.url, { id, labels: Array.from({ length: 10_001 }, () => 'A') });
      expect(tooMany.status).toBe(400);
      expect((await feedback(agent.url, { id, label: 'Adelie' })).status, 'nothing was taken before').toBe(200);
    } finally {
      await agent.close();
    }
  });

  it('joins a label after a restart, and says "expired" for one older than the agent keeps', { timeout: 60_000 }, async () => {
    const dataDir = join(root, 'agent-4');
    const first = await servingAgent(dataDir);
    const kept = (await predict(first.url, [ADELIE])).id;
    const old = (await predict(first.url, [ADELIE])).id;
    await first.close();
    // Forty days pass for one of them (the store is the agent's own file; the agent is stopped).
    const db = new DatabaseSync(join(dataDir, 'monitoring', 'predictions.db'));
    db.prepare('UPDATE predictions SET at = at - ? WHERE request_id = ?').run(40 * DAY_MS, old);
    db.close();

    const again = await servingAgent(dataDir);
    try {
      const joined = await feedback(again.url, { id: kept, label: 'Adelie' });
      expect(joined.status, joined.text).toBe(200);
      expect(joined.json()).toMatchObject({ recorded: true });
      const expired = await feedback(again.url, { id: old, label: 'Adelie' });
      expect(expired.status).toBe(404);
      expect(expired.json().error).toBe(`Request "${old}" of model penguins has expired: it is older than the agent keeps (30 days), so its label cannot be joined.`);
    } finally {
      await again.close();
    }
  });
});
