import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Handlers } from '../core/dispatch.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { createFakeCore } from './test-support/fake-core.ts';
import { sendRequest, startTestServer, type TestServer } from './test-support/test-server.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handlers: Handlers = {}): Promise<TestServer> {
  const t = await startTestServer(createFakeCore(handlers));
  cleanups.push(() => t.close());
  return t;
}

describe('startServer', () => {
  it('makes a fresh 32-byte token per server and prints the loopback address carrying it', async () => {
    const a = await serve();
    const b = await serve();
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.server.url).toBe(`http://127.0.0.1:${a.port}/?token=${a.token}`);
    expect(a.port).toBeGreaterThan(0);
    expect((await sendRequest(a.port, { path: new URL(a.server.url).pathname })).status).toBe(200);
  });

  it('uses a token it is given', async () => {
    const core = createFakeCore();
    const server = await startServer({ core, uiDir: '/nonexistent', port: 0, token: 'given-token-0123456789' });
    cleanups.push(() => server.close());
    expect(server.token).toBe('given-token-0123456789');
    expect(server.url).toContain('?token=given-token-0123456789');
  });

  it.each([
    ['a port out of range', { port: 70000 }],
    ['a short token', { token: 'short' }],
    ['a token with spaces', { token: 'a token with spaces in it' }],
    ['a zero upload limit', { maxUploadBytes: 0 }],
  ])('refuses %s before listening', async (_what, options) => {
    await expect(startServer({ core: createFakeCore(), uiDir: '/nonexistent', port: 0, ...options })).rejects.toMatchObject({
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('says when the port is taken', async () => {
    const first = await serve();
    await expect(startServer({ core: createFakeCore(), uiDir: first.uiDir, port: first.port })).rejects.toMatchObject({
      error: { code: 'CONFLICT', message: expect.stringContaining(`127.0.0.1:${first.port}`) },
    });
  });

  it('closes promptly with a call in flight and an idle keep-alive connection, then refuses connections', async () => {
    let release!: () => void;
    const t = await startTestServer(
      createFakeCore({
        'app:info': () =>
          new Promise((resolve) => {
            release = () => resolve({ version: '0', frontDoor: 'browser', platform: 'linux', nativeDialogs: false });
          }),
      }),
    );
    cleanups.push(async () => {
      release?.();
      await t.close();
    });
    const server: RunningServer = t.server;
    const inFlight = new Promise<string>((resolve) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: t.port,
          method: 'POST',
          path: '/api/call/app:info',
          headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
        },
        () => resolve('answered'),
      );
      req.on('error', () => resolve('cut off'));
      req.end('{}');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await inFlight).toBe('cut off');
    await expect(sendRequest(t.port, { path: '/' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await server.close(); // twice is fine
  });
});

describe('connections that never finish their headers', () => {
  function closed(socket: Socket): Promise<void> {
    return new Promise((resolve) => socket.once('close', () => resolve()));
  }

  it('are closed, whether they send nothing or a header line now and then (Slowloris)', async () => {
    const { connect } = await import('node:net');
    const t = await startTestServer(createFakeCore(), { headersTimeoutMs: 300 });
    cleanups.push(() => t.close());
    const silent = connect(t.port, '127.0.0.1');
    silent.on('error', () => {});
    silent.resume(); // read, so the server's FIN is seen (a paused socket never ends)
    const slow = connect(t.port, '127.0.0.1', () => slow.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
    slow.on('error', () => {});
    // A header line each time the server has read the last one: never a finished head.
    slow.on('data', () => {});
    const drip = setInterval(() => slow.writable && slow.write('X-Drip: 1\r\n'), 50);
    await Promise.all([closed(silent), closed(slow)]);
    clearInterval(drip);
    // Meanwhile, and afterwards, ordinary requests are answered.
    expect((await sendRequest(t.port, { path: '/' })).status).toBe(200);
  });
});
