import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowServer, type MlflowTestServer } from './mlflow-test-server.ts';

let t: MlflowTestServer;
beforeAll(async () => {
  t = await startMlflowServer();
});
afterAll(async () => {
  await t.close();
});

describe('MLflow runs over REST', () => {
  it('creates a run, logs to it, and reads it back in MLflow JSON', async () => {
    const created = await t.post('runs/create', { experiment_id: '0', run_name: 'first', start_time: 1700000000000, tags: [{ key: 'team', value: 'a' }] });
    expect(created.status).toBe(200);
    const runId = (created.json.run as { info: { run_id: string } }).info.run_id;
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    const batch = await t.post('runs/log-batch', { run_id: runId, metrics: [{ key: 'loss', value: 0.5, timestamp: 1700000000001, step: 1 }], params: [{ key: 'lr', value: '0.1' }] });
    expect(batch.status).toBe(200);
    expect(batch.json).toEqual({});
    const got = await t.get('runs/get', { run_id: runId });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ run: { info: { run_id: runId, run_name: 'first', status: 'RUNNING', start_time: 1700000000000, lifecycle_stage: 'active' } } });
  });
});
