import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, type ClientOptions, type RawData } from 'ws';
import type { LatheEvent } from '../../shared/contract/calls.ts';
import { createFakeCore, type FakeCore } from './test-support/fake-core.ts';
import { startTestServer, type TestServer } from './test-support/test-server.ts';

let core: FakeCore;
let t: TestServer;
const open: WebSocket[] = [];

beforeEach(async () => {
  core = createFakeCore();
  t = await startTestServer(core);
});
afterEach(async () => {
  for (const socket of open.splice(0)) socket.terminate();
  await t.close();
});

const changed: LatheEvent = { name: 'datasets:changed', payload: { workspace: '/tmp/ws', name: 'iris' } };
const progress: LatheEvent = { name: 'datasets:import-progress', payload: { importId: 'imp_1', bytesRead: 10, totalBytes: 100, rows: 2 } };

function socketUrl(query = `?token=${t.token}`, path = '/api/events'): string {
  return `ws://127.0.0.1:${t.port}${path}${query}`;
}

/** Connect; resolves with the socket once open and a queue of the frames it receives. */
function connect(url = socketUrl(), options: ClientOptions = {}): Promise<{ socket: WebSocket; frames: { data: string; binary: boolean }[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    open.push(socket);
    const frames: { data: string; binary: boolean }[] = [];
    socket.on('message', (data: RawData, binary) => frames.push({ data: data.toString(), binary }));
    socket.once('open', () => resolve({ socket, frames }));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
}

/** Try to connect; resolves with the HTTP status of the refusal (or 101 when it opened). */
function upgradeStatus(url: string, options: ClientOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    open.push(socket);
    socket.once('open', () => resolve(101));
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', reject);
  });
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('GET /api/events (WebSocket)', () => {
  it('sends every core event to every client as a JSON text frame', async () => {
    const a = await connect();
    const b = await connect(socketUrl(), { origin: `http://127.0.0.1:${t.port}` });
    core.events.emit('datasets:changed', changed.payload);
    core.events.emit('datasets:import-progress', progress.payload);
    await until(() => a.frames.length === 2 && b.frames.length === 2, 'two frames on each socket');
    for (const { frames } of [a, b]) {
      expect(frames.map((frame) => frame.binary)).toEqual([false, false]);
      expect(frames.map((frame) => JSON.parse(frame.data) as unknown)).toEqual([changed, progress]);
    }
  });

  it('keeps sending to the others after one client leaves', async () => {
    const a = await connect();
    const b = await connect();
    await new Promise<void>((resolve) => {
      a.socket.once('close', () => resolve());
      a.socket.close();
    });
    expect(() => core.events.emit('datasets:changed', changed.payload)).not.toThrow();
    await until(() => b.frames.length === 1, 'the frame on the remaining socket');
  });

  it('ignores what clients send, and closes a socket that sends too much', async () => {
    const a = await connect();
    a.socket.send('{"name":"datasets:changed"}');
    core.events.emit('datasets:changed', changed.payload);
    await until(() => a.frames.length === 1, 'the event after the client spoke');
    expect(a.frames).toHaveLength(1);
    const closed = new Promise<number>((resolve) => a.socket.once('close', (code) => resolve(code)));
    a.socket.send('x'.repeat(64 * 1024));
    expect(await closed).toBe(1009);
  });

  it.each([
    ['no token', ''],
    ['a wrong token', '?token=wrong-token-wrong-token-wrong'],
    ['an empty token', '?token='],
  ])('refuses a socket with %s with 401', async (_what, query) => {
    expect(await upgradeStatus(socketUrl(query))).toBe(401);
  });

  it('refuses a socket from a foreign web page (Origin) with 403, even with the token', async () => {
    expect(await upgradeStatus(socketUrl(), { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(socketUrl(), { origin: `http://127.0.0.1:${t.port + 1}` })).toBe(403);
  });

  it('refuses a socket for a foreign Host with 403 (DNS rebinding), even with the token', async () => {
    expect(await upgradeStatus(socketUrl(), { headers: { host: `evil.example:${t.port}` } })).toBe(403);
  });

  it('has no socket anywhere else', async () => {
    expect(await upgradeStatus(socketUrl(`?token=${t.token}`, '/api/call/app:info'))).toBe(404);
    expect(await upgradeStatus(socketUrl(`?token=${t.token}`, '/'))).toBe(404);
  });

  it('answers a plain GET of the socket address with 426', async () => {
    const reply = await t.send({ path: '/api/events', headers: { authorization: `Bearer ${t.token}` } });
    expect(reply.status).toBe(426);
  });

  it('closes its sockets promptly when the server closes', async () => {
    const a = await connect();
    const closed = new Promise<number>((resolve) => a.socket.once('close', (code) => resolve(code)));
    const started = Date.now();
    await t.server.close();
    expect(await closed).toBe(1001);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
