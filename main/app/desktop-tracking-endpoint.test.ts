import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallName, InputOf, OutputOf } from '../../shared/contract/calls.ts';
import { TrackingEndpoint } from '../../shared/contract/tracking-endpoint.ts';
import { dispatch } from '../core/dispatch.ts';
import { LatheFailure } from '../core/errors.ts';
import { createLatheCore } from '../core/lathe-core.ts';
import { mlflowTrackingFor } from '../core/tracking/mlflow-tracking.ts';
import { answerMlflow } from '../server/mlflow/handle-mlflow-request.ts';
import { startDesktopTrackingEndpoint } from './desktop-tracking-endpoint.ts';

/** One HTTP request to the endpoint, with any Host header (fetch will not send a foreign one). */
function sendRequest(port: number, options: { method: string; path: string; headers: Record<string, string>; body: string; host?: string }): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method, path: options.path, headers: { host: options.host ?? `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as unknown }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The desktop app's core (frontDoor electron: it remembers the last workspace) with the endpoint started as main.ts starts it. */
async function desktop() {
  const root = await mkdtemp(path.join(tmpdir(), 'lathe-desktop-tracking-'));
  const core = createLatheCore({ frontDoor: 'electron', version: 'test', stateDir: path.join(root, 'state'), defaultWorkspace: path.join(root, 'default') });
  const call = async <N extends CallName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> => {
    const result = await dispatch(core.handlers, name, input);
    if (!result.ok) throw new LatheFailure(result.error);
    return result.value as OutputOf<N>;
  };
  const { path: workspace } = await call('workspace:create', { path: path.join(root, 'ws') });
  const endpoint = await startDesktopTrackingEndpoint({ core, mlflowHandler: (req, res, target) => answerMlflow(req, res, mlflowTrackingFor(target.workspace, target.events)) });
  if (endpoint.uri === null) throw new Error('the endpoint did not start');
  cleanups.push(async () => {
    await endpoint.close();
    await core.close();
    await rm(root, { recursive: true, force: true });
  });
  const port = Number(new URL(endpoint.uri).port);
  const mlflow = (endpointPath: string, body: unknown, options: { token?: string; host?: string } = {}) =>
    sendRequest(port, {
      method: 'POST',
      path: `/api/2.0/mlflow/${endpointPath}`,
      headers: { authorization: `Bearer ${options.token ?? endpoint.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      ...(options.host === undefined ? {} : { host: options.host }),
    });
  return { core, endpoint, workspace, call, port, mlflow };
}

describe('the desktop app’s MLflow endpoint', () => {
  it('answers tracking:endpoint with a loopback URI, its token and the workspace runs land in', async () => {
    const d = await desktop();
    const result = await dispatch(d.endpoint.handlers, 'tracking:endpoint', {});
    expect(result.ok).toBe(true);
    const answer = TrackingEndpoint.parse(result.ok ? result.value : null);
    expect(answer).toEqual({ uri: d.endpoint.uri, token: d.endpoint.token, tokenScope: 'tracking', workspace: d.workspace, experimentHint: expect.stringContaining(d.workspace) });
    expect(answer.uri).toMatch(/^http:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
    expect(answer.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Kept for the app's life: asking again gives the same pair.
    expect(await dispatch(d.endpoint.handlers, 'tracking:endpoint', {})).toEqual(result);
  });

  it('logs a run from an outside MLflow client into the workspace, where the Experiments page lists it', async () => {
    const d = await desktop();
    const created = await d.mlflow('experiments/create', { name: 'notebook' });
    expect(created.status).toBe(200);
    const experimentId = (created.json as unknown as { experiment_id: string }).experiment_id;
    const run = await d.mlflow('runs/create', { experiment_id: experimentId, run_name: 'from-python', start_time: Date.now() });
    expect(run.status).toBe(200);
    const runId = (run.json as unknown as { run: { info: { run_id: string } } }).run.info.run_id;
    expect((await d.mlflow('runs/log-metric', { run_id: runId, key: 'loss', value: 0.25, timestamp: Date.now(), step: 1 })).status).toBe(200);

    const search = await d.mlflow('experiments/search', { max_results: 10 });
    expect(search.status).toBe(200);
    expect(JSON.stringify(search.json)).toContain('notebook');
    const found = await d.call('runs:search', { workspace: d.workspace, experimentIds: [experimentId] });
    expect(found.runs.map((one) => one.name)).toEqual(['from-python']);
  });

  it('refuses a wrong or missing token, a foreign Host, and anything but MLflow’s API', async () => {
    const d = await desktop();
    const wrong = await d.mlflow('experiments/search', {}, { token: `${d.endpoint.token.slice(0, -1)}x` });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.json)).not.toContain(d.endpoint.token);
    const missing = await sendRequest(d.port, { method: 'POST', path: '/api/2.0/mlflow/experiments/search', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(missing.status).toBe(401);
    // A DNS-rebinding page carries its own name in Host.
    expect((await d.mlflow('experiments/search', {}, { host: `evil.example:${d.port}` })).status).toBe(403);
    // The token opens tracking only: not the contract's calls that lathe serve answers.
    const call = await sendRequest(d.port, { method: 'POST', path: '/api/call/workspace:default', headers: { authorization: `Bearer ${d.endpoint.token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(call.status).toBe(404);
  });

  it('lets the app start when the endpoint cannot listen, and tracking:endpoint says why', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'lathe-desktop-tracking-'));
    const core = createLatheCore({ frontDoor: 'electron', version: 'test', stateDir: path.join(root, 'state'), defaultWorkspace: path.join(root, 'default') });
    cleanups.push(async () => {
      await core.close();
      await rm(root, { recursive: true, force: true });
    });
    const refused = Object.assign(new Error('listen EACCES: permission denied 127.0.0.1'), { code: 'EACCES' });
    const endpoint = await startDesktopTrackingEndpoint({ core, mlflowHandler: () => undefined, open: () => Promise.reject(refused) });
    expect(endpoint.uri).toBeNull();
    expect(await dispatch(endpoint.handlers, 'tracking:endpoint', {})).toEqual({
      ok: false,
      error: {
        code: 'UNAVAILABLE',
        message: 'Lathe could not open its MLflow endpoint on 127.0.0.1 when it started: listen EACCES: permission denied 127.0.0.1',
        hint: expect.stringContaining('Restart Lathe'),
      },
    });
    await endpoint.close();
  });

  it('stops listening when closed', async () => {
    const d = await desktop();
    expect((await d.mlflow('experiments/search', {})).status).toBe(200);
    await d.endpoint.close();
    await expect(d.mlflow('experiments/search', {})).rejects.toThrow();
  });
});
