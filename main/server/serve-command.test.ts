import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLoopback, runServe } from './serve-command.ts';
import type { RunningServer } from './start-server.ts';
import { createFakeCore, type FakeCore } from './test-support/fake-core.ts';
import { sendRequest } from './test-support/test-server.ts';

let uiDir: string;
let core: FakeCore;
let printed: string[];
let warned: string[];
let running: RunningServer | undefined;

beforeEach(async () => {
  uiDir = await mkdtemp(path.join(tmpdir(), 'lathe-serve-ui-'));
  await writeFile(path.join(uiDir, 'index.html'), '<!doctype html><title>ui</title>');
  core = createFakeCore();
  printed = [];
  warned = [];
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  await rm(uiDir, { recursive: true, force: true });
});

const deps = () => ({ createCore: () => core, uiDir, print: (line: string) => printed.push(line), warn: (line: string) => warned.push(line) });

describe('runServe', () => {
  it('prints one JSON line with the address, port, token and absolute workspace', async () => {
    running = await runServe({ workspace: 'relative/ws', port: 0, json: true }, deps());
    expect(printed).toHaveLength(1);
    const line = JSON.parse(printed[0] ?? '') as { url: string; port: number; token: string; workspace: string };
    expect(Object.keys(line).sort()).toEqual(['port', 'token', 'url', 'workspace']);
    const workspace = path.resolve('relative/ws');
    expect(line.workspace).toBe(workspace);
    expect(line.port).toBe(running.port);
    expect(line.token).toBe(running.token);
    const url = new URL(line.url);
    expect(url.origin).toBe(`http://127.0.0.1:${line.port}`);
    expect(url.searchParams.get('token')).toBe(line.token);
    expect(url.searchParams.get('workspace')).toBe(workspace);
    expect(line.url).toBe(running.url);
    expect((await sendRequest(line.port, { path: `${url.pathname}${url.search}` })).status).toBe(200);
    expect(warned).toEqual([]);
  });

  it('prints a sentence for people', async () => {
    running = await runServe({ workspace: '/srv/ws', port: 0, json: false }, deps());
    expect(printed).toEqual([
      `Lathe is serving /srv/ws at ${running.url}  (Ctrl+C to stop)`,
      `MLflow clients log to it with MLFLOW_TRACKING_URI=http://127.0.0.1:${running.port} MLFLOW_TRACKING_TOKEN=${running.token}`,
    ]);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}&workspace=%2Fsrv%2Fws$/);
  });

  it('leaves the workspace out of the address when none is given', async () => {
    running = await runServe({ port: 0, json: true }, deps());
    const line = JSON.parse(printed[0] ?? '') as { url: string; workspace: unknown };
    expect(line.workspace).toBeNull();
    expect(new URL(line.url).searchParams.has('workspace')).toBe(false);
  });

  it('warns loudly, off stdout, when bound beyond loopback', async () => {
    running = await runServe({ host: '0.0.0.0', port: 0, json: true }, deps());
    expect(printed).toHaveLength(1);
    expect(warned.join('\n')).toMatch(/^WARNING: .*0\.0\.0\.0.*other machines.*run commands on this machine/);
    expect(new URL(running.url).hostname).toBe('127.0.0.1');
  });

  it('closes the core with the server, and when the server cannot start', async () => {
    running = await runServe({ port: 0, json: true }, deps());
    const port = running.port;
    await running.close();
    running = undefined;
    expect(core.closed).toBe(true);

    const blocker = await runServe({ port: 0, json: true }, { ...deps(), createCore: () => createFakeCore() });
    running = blocker;
    const second = createFakeCore();
    await expect(runServe({ port: blocker.port, json: true }, { ...deps(), createCore: () => second })).rejects.toMatchObject({ error: { code: 'CONFLICT' } });
    expect(second.closed).toBe(true);
    expect(port).toBeGreaterThan(0);
  });

  it('applies --max-upload-mb to uploads', async () => {
    running = await runServe({ port: 0, json: true, maxUploadMb: 0.001 }, deps());
    const reply = await sendRequest(running.port, {
      method: 'POST',
      path: '/api/upload/datasets:import-upload?workspace=%2Fws&fileName=a.csv&name=a',
      headers: { authorization: `Bearer ${running.token}`, 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(2000),
    });
    expect(reply.status).toBe(413);
    await expect(runServe({ port: 0, json: true, maxUploadMb: -1 }, deps())).rejects.toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });

  it('answers to the extra host names it was given, and to no others', async () => {
    running = await runServe({ port: 0, json: true, allowedHosts: ['lathe.test'] }, deps());
    const get = (name: string) => sendRequest(running!.port, { method: 'GET', path: '/', host: `${name}:${running!.port}` });
    expect((await get('lathe.test')).status).toBe(200);
    expect((await get('other.test')).status).toBe(403);
  });

  it('opens the browser at the printed address when asked', async () => {
    const opened: string[] = [];
    running = await runServe({ port: 0, json: false, open: true }, { ...deps(), openBrowser: (url) => void opened.push(url) });
    expect(opened).toEqual([running.url]);
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['127.example.com', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});
