import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail, RunSearchResult } from '../../../shared/contract/runs.ts';
import { startMlflowServer, type MlflowTestServer } from './mlflow-test-server.ts';

/** runs/create|update|get|search|log-*|set-tag|delete|restore and metrics/get-history, as MLflow's server answers them. */
let t: MlflowTestServer;
beforeAll(async () => {
  t = await startMlflowServer();
});
afterAll(async () => {
  await t.close();
});

const T0 = 1_700_000_000_000;

async function newRun(body: Record<string, unknown> = {}): Promise<string> {
  const created = await t.post('runs/create', { experiment_id: '0', start_time: T0, ...body });
  expect(created.status).toBe(200);
  return (created.json.run as { info: { run_id: string } }).info.run_id;
}

function invalid(message: string) {
  return { error_code: 'INVALID_PARAMETER_VALUE', message };
}

describe('runs/create and runs/get', () => {
  it('answers the new run in MLflow JSON: info with its artifact URI, and the tags it was given', async () => {
    const created = await t.post('runs/create', { experiment_id: '0', run_name: 'first', start_time: T0, user_id: 'ada', tags: [{ key: 'team', value: 'a' }] });
    expect(created.status).toBe(200);
    const run = created.json.run as { info: Record<string, unknown>; data: { tags: { key: string; value: string }[] } };
    const runId = run.info.run_id as string;
    expect(run.info).toEqual({
      run_id: runId,
      run_uuid: runId,
      run_name: 'first',
      experiment_id: expect.stringMatching(/^\d+$/),
      user_id: 'ada',
      status: 'RUNNING',
      start_time: T0,
      artifact_uri: `mlflow-artifacts:/${run.info.experiment_id as string}/${runId}/artifacts`,
      lifecycle_stage: 'active',
    });
    expect(run.data.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'a' }, { key: 'mlflow.runName', value: 'first' }, { key: 'mlflow.user', value: 'ada' }]));
  });

  it('takes int64 fields as strings too (protobuf JSON), and the name from the mlflow.runName tag', async () => {
    const runId = await newRun({ start_time: String(T0 + 5), tags: [{ key: 'mlflow.runName', value: 'from-tag' }] });
    const got = await t.get('runs/get', { run_id: runId });
    expect(got.json).toMatchObject({ run: { info: { run_name: 'from-tag', start_time: T0 + 5 } } });
  });

  it('puts the run in the same store the Experiments page reads (runs:search, runs:get)', async () => {
    const { experiment_id: experimentId } = (await t.post('experiments/create', { name: 'from-mlflow' })).json as { experiment_id: string };
    const runId = await newRun({ experiment_id: experimentId, run_name: 'outside' });
    await t.post('runs/log-batch', { run_id: runId, metrics: [{ key: 'acc', value: 0.9, timestamp: T0, step: 3 }], params: [{ key: 'depth', value: '4' }] });
    const found = (await t.call('runs:search', { experimentIds: [experimentId] })) as RunSearchResult;
    expect(found.runs.map((run) => run.id)).toEqual([runId]);
    expect(found.runs[0]).toMatchObject({ name: 'outside', experimentName: 'from-mlflow', params: { depth: '4' }, metrics: { acc: { value: 0.9, step: 3 } } });
    const detail = (await t.call('runs:get', { runId })) as RunDetail;
    expect(detail.systemTags['mlflow.runName']).toBe('outside');
  });

  it('refuses an unknown experiment and an unknown run with 404 RESOURCE_DOES_NOT_EXIST', async () => {
    const noExperiment = await t.post('runs/create', { experiment_id: '424242' });
    expect(noExperiment.status).toBe(404);
    expect(noExperiment.json).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'No Experiment with id=424242 exists' });
    const missing = 'f'.repeat(32);
    for (const reply of [
      await t.get('runs/get', { run_id: missing }),
      await t.post('runs/log-metric', { run_id: missing, key: 'loss', value: 1, timestamp: T0 }),
      await t.post('runs/log-batch', { run_id: missing, params: [{ key: 'a', value: '1' }] }),
      await t.post('runs/update', { run_id: missing, status: 'FINISHED' }),
      await t.get('metrics/get-history', { run_id: missing, metric_key: 'loss' }),
    ]) {
      expect(reply.status).toBe(404);
      expect(reply.json).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${missing} not found` });
    }
  });
});

describe('logging to a run', () => {
  it('logs a metric, a param and a tag one at a time, and get shows the latest metric, params and tags', async () => {
    const runId = await newRun();
    for (const [step, value] of [[0, 1.5], [1, 0.7], [2, 0.4]] as const) {
      expect((await t.post('runs/log-metric', { run_id: runId, key: 'loss', value, timestamp: T0 + step, step })).json).toEqual({});
    }
    expect((await t.post('runs/log-parameter', { run_id: runId, key: 'lr', value: '0.01' })).status).toBe(200);
    expect((await t.post('runs/set-tag', { run_id: runId, key: 'stage', value: 'tuning' })).status).toBe(200);
    expect((await t.post('runs/set-tag', { run_id: runId, key: 'stage', value: 'final' })).status).toBe(200);
    const { run } = (await t.get('runs/get', { run_id: runId })).json as { run: { data: { metrics: unknown[]; params: unknown[]; tags: unknown[] } } };
    expect(run.data.metrics).toEqual([{ key: 'loss', value: 0.4, timestamp: T0 + 2, step: 2 }]);
    expect(run.data.params).toEqual([{ key: 'lr', value: '0.01' }]);
    expect(run.data.tags).toContainEqual({ key: 'stage', value: 'final' });
  });

  it('returns every point of a metric from metrics/get-history, NaN and infinities as protobuf JSON strings', async () => {
    const runId = await newRun();
    const metrics = [
      { key: 'loss', value: 2, timestamp: T0, step: 0 },
      { key: 'loss', value: 'NaN', timestamp: T0 + 1, step: 1 },
      { key: 'loss', value: 'Infinity', timestamp: T0 + 2, step: 2 },
      { key: 'loss', value: '0.25', timestamp: T0 + 3, step: 3 },
    ];
    expect((await t.post('runs/log-batch', { run_id: runId, metrics })).status).toBe(200);
    const history = await t.get('metrics/get-history', { run_id: runId, metric_key: 'loss' });
    expect(history.json).toEqual({ metrics: metrics.map((m) => ({ ...m, value: m.value === '0.25' ? 0.25 : m.value })) });
    const paged = await t.get('metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: '3' });
    expect((paged.json.metrics as unknown[]).length).toBe(3);
    const rest = await t.get('metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: '3', page_token: paged.json.next_page_token as string });
    expect(rest.json.metrics).toEqual([{ key: 'loss', value: 0.25, timestamp: T0 + 3, step: 3 }]);
    expect((await t.get('metrics/get-history', { run_id: runId, metric_key: 'never' })).json).toEqual({});
  });

  it('accepts a param logged again with the same value, and refuses a different one in MLflow words, keeping the first', async () => {
    const runId = await newRun();
    await t.post('runs/log-parameter', { run_id: runId, key: 'depth', value: '3' });
    expect((await t.post('runs/log-parameter', { run_id: runId, key: 'depth', value: '3' })).status).toBe(200);
    const changed = await t.post('runs/log-parameter', { run_id: runId, key: 'depth', value: '5' });
    expect(changed.status).toBe(400);
    expect(changed.json).toEqual(
      invalid(`Changing param values is not allowed. Param with key='depth' was already logged with value='3' for run ID='${runId}'. Attempted logging new value '5'.`),
    );
    const inBatch = await t.post('runs/log-batch', { run_id: runId, params: [{ key: 'depth', value: '5' }], metrics: [{ key: 'm', value: 1, timestamp: T0 }] });
    expect(inBatch.status).toBe(400);
    const { run } = (await t.get('runs/get', { run_id: runId })).json as { run: { data: { params: unknown[]; metrics?: unknown[] } } };
    expect(run.data.params).toEqual([{ key: 'depth', value: '3' }]);
    expect(run.data.metrics).toBeUndefined(); // the refused batch kept nothing
  });

  it('refuses a request missing a required field, or with a field of the wrong type', async () => {
    const runId = await newRun();
    expect((await t.post('runs/log-metric', { run_id: runId, key: 'loss', value: 1 })).json).toEqual(
      invalid("Missing value for required parameter 'timestamp'. See the API docs for more information about request parameters."),
    );
    const noTimestamp = await t.post('runs/log-batch', { run_id: runId, metrics: [{ key: 'a', value: 1, timestamp: T0 }, { key: 'a', value: 2 }] });
    expect(noTimestamp.json).toEqual(invalid("Missing value for required parameter 'metrics[1].timestamp'. See the API docs for more information about request parameters."));
    const wrongType = await t.post('runs/log-parameter', { run_id: runId, key: 'lr', value: 0.1 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.message).toMatch(/^Invalid value 0\.1 for parameter 'value' supplied/);
    const badValue = await t.post('runs/log-metric', { run_id: runId, key: 'loss', value: 'high', timestamp: T0 });
    expect(badValue.json).toEqual(invalid(`Got invalid value high for metric 'loss' (timestamp=${T0}). Please specify value as a valid double (64-bit floating point)`));
    const negative = await t.post('runs/log-metric', { run_id: runId, key: 'loss', value: 1, timestamp: -1 });
    expect(negative.json).toEqual(invalid("Got invalid timestamp -1 for metric 'loss' (value=1). Timestamp must be a nonnegative long (64-bit integer) "));
    expect((await t.post('runs/log-batch', '[1, 2]')).json.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect((await t.post('runs/log-batch', '{"run_id": ')).json.message).toMatch(/^The request body is not valid JSON/);
  });

  it('ends a run with runs/update (status and end time) and answers its run_info', async () => {
    const runId = await newRun();
    const updated = await t.post('runs/update', { run_id: runId, status: 'FINISHED', end_time: T0 + 60_000 });
    expect(updated.status).toBe(200);
    expect(updated.json).toEqual({ run_info: expect.objectContaining({ run_id: runId, status: 'FINISHED', end_time: T0 + 60_000 }) });
    const bad = await t.post('runs/update', { run_id: runId, status: 'DONE' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/^Invalid value "DONE" for parameter 'status' supplied/);
  });
});

describe('deleting and restoring a run', () => {
  it('soft-deletes: the run is still readable, logging to it is refused, and restoring it allows logging again', async () => {
    const runId = await newRun();
    expect((await t.post('runs/delete', { run_id: runId })).json).toEqual({});
    expect((await t.get('runs/get', { run_id: runId })).json).toMatchObject({ run: { info: { lifecycle_stage: 'deleted' } } });
    const refused = invalid(`The run ${runId} must be in the 'active' state. Current state is deleted.`);
    for (const reply of [
      await t.post('runs/log-metric', { run_id: runId, key: 'loss', value: 1, timestamp: T0 }),
      await t.post('runs/log-parameter', { run_id: runId, key: 'a', value: '1' }),
      await t.post('runs/set-tag', { run_id: runId, key: 'a', value: '1' }),
      await t.post('runs/log-batch', { run_id: runId, metrics: [{ key: 'loss', value: 1, timestamp: T0 }] }),
      await t.post('runs/update', { run_id: runId, status: 'FINISHED' }),
    ]) {
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual(refused);
    }
    expect((await t.post('runs/restore', { run_id: runId })).json).toEqual({});
    expect((await t.post('runs/log-metric', { run_id: runId, key: 'loss', value: 1, timestamp: T0 })).status).toBe(200);
  });
});

describe('runs/search', () => {
  it("filters with MLflow's grammar, orders, pages, and shows deleted runs only when asked", async () => {
    const { experiment_id: experimentId } = (await t.post('experiments/create', { name: 'search-me' })).json as { experiment_id: string };
    const ids: string[] = [];
    for (const [i, acc] of [0.5, 0.8, 0.95].entries()) {
      const runId = await newRun({ experiment_id: experimentId, run_name: `r${i}` });
      await t.post('runs/log-batch', { run_id: runId, metrics: [{ key: 'acc', value: acc, timestamp: T0 }], params: [{ key: 'model', value: i === 0 ? 'tree' : 'mlp' }] });
      ids.push(runId);
    }
    const names = (reply: { json: Record<string, unknown> }) => ((reply.json.runs ?? []) as { info: { run_name: string } }[]).map((run) => run.info.run_name);
    const search = (body: Record<string, unknown>) => t.post('runs/search', { experiment_ids: [experimentId], ...body });
    expect(names(await search({ filter: "metrics.acc > 0.7 AND params.model = 'mlp'", order_by: ['metrics.acc DESC'] }))).toEqual(['r2', 'r1']);
    const first = await search({ order_by: ['metrics.acc ASC'], max_results: 2 });
    expect(names(first)).toEqual(['r0', 'r1']);
    expect(names(await search({ order_by: ['metrics.acc ASC'], max_results: 2, page_token: first.json.next_page_token }))).toEqual(['r2']);
    await t.post('runs/delete', { run_id: ids[0] });
    expect(names(await search({ order_by: ['metrics.acc ASC'] }))).toEqual(['r1', 'r2']);
    expect(names(await search({ run_view_type: 'DELETED_ONLY' }))).toEqual(['r0']);
    expect(names(await search({ run_view_type: 'ALL', order_by: ['metrics.acc ASC'] }))).toEqual(['r0', 'r1', 'r2']);
    const bad = await search({ filter: 'metrics.acc >' });
    expect(bad.status).toBe(400);
    expect(bad.json.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect((await search({ filter: "metrics.acc > 2" })).json).toEqual({});
  });
});

describe('the door itself', () => {
  it('needs the token, the right Host, a JSON content type and the right method; an unknown endpoint is ENDPOINT_NOT_FOUND', async () => {
    const noToken = await t.send({ path: '/api/2.0/mlflow/experiments/get?experiment_id=0', headers: { authorization: '' } });
    expect(noToken.status).toBe(401);
    const rebound = await t.send({ path: '/api/2.0/mlflow/experiments/get?experiment_id=0', host: `evil.example:${t.port}` });
    expect(rebound.status).toBe(403);
    const otherPage = await t.send({ method: 'POST', path: '/api/2.0/mlflow/runs/create', body: '{}', headers: { origin: 'http://evil.example', 'content-type': 'application/json' } });
    expect(otherPage.status).toBe(403);
    const plain = await t.send({ method: 'POST', path: '/api/2.0/mlflow/runs/create', body: '{}', headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(400);
    expect(plain.json.message).toContain('Content-Type: application/json');
    const wrongMethod = await t.get('runs/log-batch');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
    const unknown = await t.post('runs/fly', {});
    expect(unknown.status).toBe(404);
    expect(unknown.json.error_code).toBe('ENDPOINT_NOT_FOUND');
  });

  it('asks for the body of a request sent with Expect: 100-continue (as curl does past 1 KB) and answers it', async () => {
    const body = JSON.stringify({ experiment_id: '0', run_name: 'waits-for-continue' });
    const reply = await new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
      let continued = false;
      const req = request({
        host: '127.0.0.1',
        port: t.port,
        method: 'POST',
        path: '/api/2.0/mlflow/runs/create',
        headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
      });
      req.on('continue', () => {
        continued = true;
        req.end(body); // only now: a server that never asks would leave this request waiting
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, continued }));
      });
      req.on('error', reject);
    });
    expect(reply).toEqual({ status: 200, continued: true });
  });
});
