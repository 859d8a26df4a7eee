import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowServer, type MlflowTestServer } from './mlflow-test-server.ts';

/**
 * Every limit of MLflow's log-batch and keys at its edge (mlflow/utils/validation.py): the
 * limit itself passes, one more is refused with MLflow's message, and a refused batch keeps
 * nothing.
 */
let t: MlflowTestServer;
let runId: string;
beforeAll(async () => {
  t = await startMlflowServer();
  runId = ((await t.post('runs/create', { experiment_id: '0' })).json.run as { info: { run_id: string } }).info.run_id;
});
afterAll(async () => {
  await t.close();
});

const T0 = 1_700_000_000_000;
const metrics = (n: number, key = 'm') => Array.from({ length: n }, (_, i) => ({ key, value: i, timestamp: T0 + i, step: i }));
const pairs = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: String(i) }));

function invalid(message: string) {
  return { error_code: 'INVALID_PARAMETER_VALUE', message };
}

async function freshRun(): Promise<string> {
  return ((await t.post('runs/create', { experiment_id: '0' })).json.run as { info: { run_id: string } }).info.run_id;
}

async function points(run: string, key: string): Promise<number> {
  return (((await t.get('metrics/get-history', { run_id: run, metric_key: key })).json.metrics ?? []) as unknown[]).length;
}

describe('log-batch counts', () => {
  it('takes 1000 metrics and refuses 1001, keeping none of them', async () => {
    const run = await freshRun();
    expect((await t.post('runs/log-batch', { run_id: run, metrics: metrics(1000, 'ok') })).status).toBe(200);
    expect(await points(run, 'ok')).toBe(1000);
    const over = await t.post('runs/log-batch', { run_id: run, metrics: metrics(1001, 'over') });
    expect(over.status).toBe(400);
    expect(over.json).toEqual(
      invalid('A batch logging request can contain at most 1000 metrics. Got 1001 metrics. Please split up metrics across multiple requests and try again.'),
    );
    expect(await points(run, 'over')).toBe(0);
  });

  it('takes 100 params and 100 tags, and refuses 101 of either', async () => {
    const run = await freshRun();
    expect((await t.post('runs/log-batch', { run_id: run, params: pairs(100, 'p'), tags: pairs(100, 't') })).status).toBe(200);
    expect((await t.post('runs/log-batch', { run_id: run, params: pairs(101, 'q') })).json).toEqual(
      invalid('A batch logging request can contain at most 100 params. Got 101 params. Please split up params across multiple requests and try again.'),
    );
    expect((await t.post('runs/log-batch', { run_id: run, tags: pairs(101, 'u') })).json).toEqual(
      invalid('A batch logging request can contain at most 100 tags. Got 101 tags. Please split up tags across multiple requests and try again.'),
    );
    const { run: got } = (await t.get('runs/get', { run_id: run })).json as { run: { data: { params: unknown[] } } };
    expect(got.data.params).toHaveLength(100);
  });

  it('takes 1000 items in all and refuses 1001', async () => {
    const run = await freshRun();
    expect((await t.post('runs/log-batch', { run_id: run, metrics: metrics(900, 'a'), params: pairs(50, 'p'), tags: pairs(50, 't') })).status).toBe(200);
    const over = await t.post('runs/log-batch', { run_id: run, metrics: metrics(900, 'b'), params: pairs(50, 'q'), tags: pairs(51, 'u') });
    expect(over.json).toEqual(
      invalid(
        'A batch logging request can contain at most 1000 metrics, params, and tags. Got 1001 metrics, params, and tags. Please split up metrics, params, and tags across multiple requests and try again.',
      ),
    );
    expect(await points(run, 'b')).toBe(0);
  });

  it('refuses the same param key twice in one batch', async () => {
    const over = await t.post('runs/log-batch', { run_id: runId, params: [{ key: 'x', value: '1' }, { key: 'x', value: '1' }] });
    expect(over.json).toEqual(
      invalid("Duplicate parameter keys have been submitted: ['x']. Please ensure the request contains only one param value per param key."),
    );
  });
});

describe('log-batch size', () => {
  /** A log-batch body of exactly `bytes` bytes: a small batch, then JSON whitespace. */
  function bodyOf(bytes: number, run: string): string {
    const batch = JSON.stringify({ run_id: run, metrics: metrics(10, 'sized') });
    return batch + ' '.repeat(bytes - batch.length);
  }

  it('takes a body of 1,000,000 bytes and refuses 1,000,001 with MLflow\'s message', async () => {
    const run = await freshRun();
    expect(Buffer.byteLength(bodyOf(1_000_000, run))).toBe(1_000_000);
    expect((await t.post('runs/log-batch', bodyOf(1_000_000, run))).status).toBe(200);
    expect(await points(run, 'sized')).toBe(10);
    const reply = await t.post('runs/log-batch', bodyOf(1_000_001, run));
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual(invalid('Batched logging API requests must be at most 1000000 bytes, got a request of size 1000001.'));
    expect(await points(run, 'sized')).toBe(10);
  });
});

describe('keys and values', () => {
  it.each([
    ['Param key', 'params', 250, 'key'],
    ['Tag key', 'tags', 250, 'key'],
    ['Param value', 'params', 6000, 'value'],
    ['Tag value', 'tags', 5000, 'value'],
  ] as const)('%s: %i characters pass, one more is refused', async (entity, list, limit, part) => {
    const item = (n: number) => (part === 'key' ? { key: 'k'.repeat(n), value: 'v' } : { key: `long-${list}`, value: 'v'.repeat(n) });
    expect((await t.post('runs/log-batch', { run_id: await freshRun(), [list]: [item(limit)] })).status).toBe(200);
    const over = await t.post('runs/log-batch', { run_id: runId, [list]: [item(limit + 1)] });
    expect(over.json).toEqual(invalid(`${entity} '${(part === 'key' ? 'k' : 'v').repeat(250)}' had length ${limit + 1}, which exceeded length limit of ${limit}`));
  });

  it('Metric name: 250 characters pass, 251 are refused', async () => {
    expect((await t.post('runs/log-metric', { run_id: runId, key: 'm'.repeat(250), value: 1, timestamp: T0 })).status).toBe(200);
    expect((await t.post('runs/log-metric', { run_id: runId, key: 'm'.repeat(251), value: 1, timestamp: T0 })).json).toEqual(
      invalid(`Metric name '${'m'.repeat(250)}' had length 251, which exceeded length limit of 250`),
    );
  });

  it('keys match ^[/\\w.\\- ]*$', async () => {
    expect((await t.post('runs/log-metric', { run_id: runId, key: 'val/loss-1.5 ünïcode_ok', value: 1, timestamp: T0 })).status).toBe(200);
    for (const [kind, endpoint, extra] of [
      ['metric', 'runs/log-metric', { value: 1, timestamp: T0 }],
      ['parameter', 'runs/log-parameter', { value: '1' }],
      ['tag', 'runs/set-tag', { value: '1' }],
    ] as const) {
      expect((await t.post(endpoint, { run_id: runId, key: 'loss*2', ...extra })).json).toEqual(
        invalid(`Invalid ${kind} name: 'loss*2'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).`),
      );
    }
  });

  it.each([
    ['a/../b', 'b'],
    ['../escape', '../escape'],
    ['/abs', '/abs'],
    ['dir/', 'dir'],
    ['.', '.'],
  ])('refuses the key %j, which would resolve to %j as a file', async (key, resolved) => {
    const reply = await t.post('runs/log-parameter', { run_id: runId, key, value: '1' });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual(
      invalid(`Invalid parameter name: '${key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${resolved}'`),
    );
  });
});
