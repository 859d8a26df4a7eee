import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Handlers } from '../core/dispatch.ts';
import { startServer } from './start-server.ts';
import { createFakeCore, type FakeCore } from './test-support/fake-core.ts';
import { INDEX_HTML, startTestServer, type TestServer } from './test-support/test-server.ts';

const appInfo = { version: '0.1.0', frontDoor: 'browser', platform: 'linux', nativeDialogs: false } as const;

let core: FakeCore;
let calls: number;
let t: TestServer;

beforeEach(async () => {
  calls = 0;
  const handlers: Handlers = {
    'app:info': async () => {
      calls += 1;
      return appInfo;
    },
  };
  core = createFakeCore(handlers);
  t = await startTestServer(core, { allowedHosts: ['lathe.example'] });
});
afterEach(async () => {
  await t.close();
});

const authorized = () => ({ authorization: `Bearer ${t.token}`, 'content-type': 'application/json' });

describe('Host header (DNS rebinding)', () => {
  it.each(['127.0.0.1', 'localhost', '[::1]', 'LOCALHOST', 'lathe.example'])('serves the UI to Host %s with the right port', async (name) => {
    const reply = await t.send({ path: '/', host: `${name}:${t.port}` });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(INDEX_HTML);
  });

  it.each(['evil.example', 'rebind.attacker.test', '127.0.0.1.nip.io', 'localhost.'])('refuses Host %s even for the UI page', async (name) => {
    const reply = await t.send({ path: '/', host: `${name}:${t.port}` });
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(reply.text).not.toContain('Lathe test UI');
  });

  it('refuses an allowed name on another port, and a name without the port', async () => {
    expect((await t.send({ path: '/', host: `localhost:${t.port + 1}` })).status).toBe(403);
    expect((await t.send({ path: '/', host: 'localhost' })).status).toBe(403);
  });

  it('refuses a foreign Host before the token is looked at and before the call runs', async () => {
    const reply = await t.send({ method: 'POST', path: '/api/call/app:info', host: `evil.example:${t.port}`, headers: authorized(), body: '{}' });
    expect(reply.status).toBe(403);
    expect(reply.json.error?.code).toBe('FORBIDDEN');
    expect(calls).toBe(0);
  });

  it('does not serve a request without a Host header', async () => {
    const reply = await t.send({ path: '/', host: null });
    expect([400, 403]).toContain(reply.status);
    expect(reply.text).not.toContain('Lathe test UI');
  });

  it('refuses to start with a wildcard or a port among the allowed hosts', async () => {
    for (const bad of ['*', 'example.com:80', 'http://example.com']) {
      await expect(startServer({ core, uiDir: t.uiDir, port: 0, allowedHosts: [bad] })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT' } });
    }
  });
});

describe('Origin header', () => {
  it.each(['http://127.0.0.1', 'http://localhost'])('accepts a call from the server’s own origin %s', async (origin) => {
    const reply = await t.send({ method: 'POST', path: '/api/call/app:info', headers: { ...authorized(), origin: `${origin}:${t.port}` }, body: '{}' });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ ok: true, value: appInfo });
  });

  it.each(['http://evil.example', 'null', 'https://127.0.0.1:PORT', 'http://127.0.0.1:1', 'http://127.0.0.1:PORT.evil.example'])(
    'refuses a call from origin %s even with the token',
    async (origin) => {
      const reply = await t.send({
        method: 'POST',
        path: '/api/call/app:info',
        headers: { ...authorized(), origin: origin.replace('PORT', String(t.port)) },
        body: '{}',
      });
      expect(reply.status).toBe(403);
      expect(reply.json.error?.code).toBe('FORBIDDEN');
      expect(calls).toBe(0);
    },
  );

  it('refuses a cross-origin request for the UI page too', async () => {
    const reply = await t.send({ path: '/', headers: { origin: 'http://evil.example' } });
    expect(reply.status).toBe(403);
  });
});

describe('session token', () => {
  it('refuses a call without a token', async () => {
    const reply = await t.send({ method: 'POST', path: '/api/call/app:info', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(reply.status).toBe(401);
    expect(reply.json).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(calls).toBe(0);
  });

  it.each([
    ['a wrong token', (token: string) => `Bearer ${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`],
    ['a prefix of the token', (token: string) => `Bearer ${token.slice(0, 10)}`],
    ['the token with something added', (token: string) => `Bearer ${token}x`],
    ['the token without "Bearer"', (token: string) => token],
    ['Basic auth', (token: string) => `Basic ${Buffer.from(`x:${token}`).toString('base64')}`],
  ])('refuses %s', async (_what, header) => {
    const reply = await t.send({ method: 'POST', path: '/api/call/app:info', headers: { ...authorized(), authorization: header(t.token) }, body: '{}' });
    expect(reply.status).toBe(401);
    expect(reply.json.error?.code).toBe('UNAUTHORIZED');
    expect(calls).toBe(0);
  });

  it('does not take the token from the query string for calls', async () => {
    const reply = await t.send({ method: 'POST', path: `/api/call/app:info?token=${t.token}`, headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(reply.status).toBe(401);
  });

  it('asks for the token on any /api address, known or not', async () => {
    expect((await t.send({ path: '/api/whatever' })).status).toBe(401);
    expect((await t.send({ path: '/api' })).status).toBe(401);
    const known = await t.send({ path: '/api/whatever', headers: { authorization: `Bearer ${t.token}` } });
    expect(known.status).toBe(404);
    expect(known.json.error?.code).toBe('NOT_FOUND');
  });
});

describe('CORS', () => {
  it('answers no preflight positively and never sends Access-Control headers', async () => {
    const preflight = await t.send({
      method: 'OPTIONS',
      path: '/api/call/app:info',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(403);
    const sameOrigin = await t.send({
      method: 'OPTIONS',
      path: '/api/call/app:info',
      headers: { authorization: `Bearer ${t.token}`, origin: `http://127.0.0.1:${t.port}`, 'access-control-request-method': 'POST' },
    });
    expect(sameOrigin.status).toBe(405);
    const replies = [preflight, sameOrigin, await t.call('app:info', {}), await t.send({ path: '/' })];
    for (const reply of replies) {
      expect(Object.keys(reply.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });
});
