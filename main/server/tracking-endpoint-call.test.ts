import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TrackingEndpoint } from '../../shared/contract/tracking-endpoint.ts';
import { coreOnNewWorkspace } from '../core/testing/core-fixture.ts';
import { startServer } from './start-server.ts';
import { trackingOrigin } from './tracking-endpoint-call.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real `lathe serve` on a fresh workspace; `tracking:endpoint` asked the way the UI asks it. */
async function serve(options: { namedWorkspace: boolean }) {
  const root = await mkdtemp(path.join(tmpdir(), 'lathe-tracking-endpoint-'));
  const { core, workspace, call } = await coreOnNewWorkspace(root);
  const server = await startServer({ core, uiDir: path.join(root, 'no-ui'), port: 0, ...(options.namedWorkspace ? { workspace } : {}) });
  cleanups.push(async () => {
    await server.close();
    await core.close();
    await rm(root, { recursive: true, force: true });
  });
  const origin = `http://127.0.0.1:${server.port}`;
  const endpoint = async () => {
    const reply = await fetch(`${origin}/api/call/tracking:endpoint`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const body = (await reply.json()) as { ok: boolean; value: unknown };
    expect(body.ok).toBe(true);
    return TrackingEndpoint.parse(body.value);
  };
  return { server, origin, workspace, endpoint, call };
}

describe('tracking:endpoint under lathe serve', () => {
  it('answers the server origin and its session token, which an MLflow client can use as they are', async () => {
    const t = await serve({ namedWorkspace: true });
    const answer = await t.endpoint();
    expect(answer).toEqual({ uri: t.origin, token: t.server.token, tokenScope: 'session', workspace: t.workspace, experimentHint: expect.stringContaining(t.workspace) });

    // What Python's mlflow does with MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN.
    const search = await fetch(`${answer.uri}/api/2.0/mlflow/experiments/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${answer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ max_results: 10 }),
    });
    expect(search.status).toBe(200);
    expect(await search.json()).toMatchObject({ experiments: expect.any(Array) });

    const created = await fetch(`${answer.uri}/api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${answer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'from-my-notebook' }),
    });
    expect(created.status).toBe(200);
    const listed = await t.call('experiments:list', { workspace: t.workspace });
    expect(listed.map((experiment) => experiment.name)).toContain('from-my-notebook');
  });

  it('names the workspace MLflow logs to when lathe serve was started without one (the one opened first)', async () => {
    const t = await serve({ namedWorkspace: false });
    const answer = await t.endpoint();
    expect(answer.uri).toBe(t.origin);
    expect(answer.workspace).toEqual(expect.any(String));
    expect(answer.experimentHint).toContain(answer.workspace!);
  });

  it('is refused without the session token', async () => {
    const t = await serve({ namedWorkspace: true });
    const reply = await fetch(`${t.origin}/api/call/tracking:endpoint`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(reply.status).toBe(401);
    expect(JSON.stringify(await reply.json())).not.toContain(t.server.token);
  });
});

describe('trackingOrigin', () => {
  it('points a client on this machine at loopback when the server listens on every address', () => {
    expect(trackingOrigin('0.0.0.0', 7272)).toBe('http://127.0.0.1:7272');
    expect(trackingOrigin('::', 7272)).toBe('http://127.0.0.1:7272');
    expect(trackingOrigin('127.0.0.1', 7272)).toBe('http://127.0.0.1:7272');
    expect(trackingOrigin('::1', 8080)).toBe('http://[::1]:8080');
    expect(trackingOrigin('lab-box.local', 8080)).toBe('http://lab-box.local:8080');
  });
});
