import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coreOnNewWorkspace } from '../core/testing/core-fixture.ts';
import { failNthWrite } from '../core/testing/fs-faults.ts';
import { gitCli } from '../core/testing/git-cli.ts';
import { refusal } from '../core/testing/refusal.ts';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { createFakeCore } from './test-support/fake-core.ts';

/**
 * `lathe serve --remote-dir DIR` as a byte remote over HTTP: the same push and pull as a folder,
 * through the server's token, Host and content-type checks; the server hashes what it is sent
 * and places only bytes that match their name.
 */
const tempDir = useTempDirs();
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const TOKEN = 'remote-test-token-0123456789';

async function served(remoteDir?: string) {
  const server = await startServer({ core: createFakeCore(), uiDir: '/nonexistent', port: 0, token: TOKEN, ...(remoteDir === undefined ? {} : { remoteDir }) });
  servers.push(server);
  return `http://127.0.0.1:${server.port}`;
}

async function workspaceAndServer() {
  const root = await tempDir();
  const fixture = await coreOnNewWorkspace(root);
  const { call, workspace, file } = fixture;
  await call('datasets:import-file', { workspace, path: await file('weather.csv', 'city,temp\nOslo,3.5\nLima,19\n'), name: 'weather' });
  await call('datasets:import-file', { workspace, path: await file('birds.csv', 'bird,wings\nowl,2\n'), name: 'birds' });
  const dir = join(root, 'server-bytes');
  await mkdir(dir);
  const url = await served(dir);
  const hashOf = async (name: string) => (await call('datasets:show', { workspace, name })).version.contentHash;
  return { ...fixture, root, dir, url, hashOf };
}

describe('an HTTP remote (lathe serve --remote-dir)', () => {
  it('takes a push and serves a pull into a clone, every blob verified; a second push sends nothing', async () => {
    const t = await workspaceAndServer();
    await t.call('remote:add', { workspace: t.workspace, name: 'server', url: t.url });
    expect(await t.call('remote:list', { workspace: t.workspace })).toMatchObject({ remotes: [{ name: 'server', kind: 'http' }] });
    expect(await t.call('data:push', { workspace: t.workspace, token: TOKEN })).toMatchObject({ needed: 2, copied: 2, problems: [] });
    const weather = await t.hashOf('weather');
    expect(await readFile(join(t.dir, 'sha256', weather.slice(7, 9), weather.slice(9)), 'utf8')).toBe('city,temp\nOslo,3.5\nLima,19\n');
    expect(await t.call('data:push', { workspace: t.workspace, token: TOKEN })).toMatchObject({ alreadyThere: 2, copied: 0 });

    const clone = join(t.root, 'clone');
    gitCli(t.root, 'clone', '--quiet', t.workspace, clone);
    expect(await t.call('data:status', { workspace: clone, token: TOKEN })).toMatchObject({ remoteOnly: 2 });
    expect(await t.call('data:pull', { workspace: clone, token: TOKEN })).toMatchObject({ copied: 2, problems: [] });
    expect(await t.call('store:verify', { workspace: clone })).toMatchObject({ checked: 2, problems: [] });
  });

  it('refuses a tampered blob the server holds, by name, and stores the rest', async () => {
    const t = await workspaceAndServer();
    await t.call('data:push', { workspace: t.workspace, url: t.url, token: TOKEN });
    const birds = await t.hashOf('birds');
    const onServer = join(t.dir, 'sha256', birds.slice(7, 9), birds.slice(9));
    await chmod(onServer, 0o644);
    await writeFile(onServer, 'bird,wings\nemu,2\n');
    const clone = join(t.root, 'clone');
    gitCli(t.root, 'clone', '--quiet', t.workspace, clone);
    const report = await t.call('data:pull', { workspace: clone, url: t.url, token: TOKEN });
    expect(report).toMatchObject({ copied: 1, problems: [{ problem: 'damaged-on-remote', usedBy: ['birds@1'], detail: expect.stringContaining(`${t.url}/api/remote/blobs/sha256/${birds.slice(7)}`) }] });
  });

  it('says what is wrong: no token, a wrong one, a server that keeps no remote, a server that is down', async () => {
    const t = await workspaceAndServer();
    expect(await refusal(t.call('data:push', { workspace: t.workspace, url: t.url }))).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('refused the token (none was given)'), hint: expect.stringContaining('LATHE_REMOTE_TOKEN') });
    expect(await refusal(t.call('data:push', { workspace: t.workspace, url: t.url, token: 'wrong-token-0123456789' }))).toMatchObject({ code: 'UNAUTHORIZED' });
    const plain = await served();
    expect(await refusal(t.call('data:push', { workspace: t.workspace, url: plain, token: TOKEN }))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('keeps no byte remote'), hint: expect.stringContaining('--remote-dir') });
    await servers.pop()!.close();
    expect(await refusal(t.call('data:push', { workspace: t.workspace, url: plain, token: TOKEN }))).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining(`Cannot reach the remote ${plain}`) });
    for (const url of [`http://user:secret@127.0.0.1:1`, `${t.url}/some/path`]) {
      expect(await refusal(t.call('remote:add', { workspace: t.workspace, name: 'bad', url }))).toMatchObject({ code: 'INVALID_INPUT' });
    }
  });

  it('refuses to send damaged local bytes: the upload is cut off, nothing is placed, the rest go', async () => {
    const t = await workspaceAndServer();
    const weather = await t.hashOf('weather');
    const local = join(t.workspace, '.lathe/objects/sha256', weather.slice(7, 9), weather.slice(9));
    await chmod(local, 0o644);
    await writeFile(local, 'city,temp\nOslo,3.5\nLama,19\n');
    const report = await t.call('data:push', { workspace: t.workspace, url: t.url, token: TOKEN });
    expect(report).toMatchObject({ copied: 1, problems: [{ problem: 'damaged-here', usedBy: ['weather@1'] }] });
    // The server places only bytes it has hashed whole; an upload cut off midway never is.
    expect(await stat(join(t.dir, 'sha256', weather.slice(7, 9), weather.slice(9))).catch(() => null)).toBeNull();
  });

  it('answers a full disk with 507 DISK_ERROR, keeps nothing half-written, and takes the push again once there is room', async () => {
    const t = await workspaceAndServer();
    // The server's write steps per blob: mkdir tmp, open, write — the 3rd fails.
    const faults = await failNthWrite(t.dir, 3, 'ENOSPC');
    let error;
    try {
      error = await refusal(t.call('data:push', { workspace: t.workspace, url: t.url, token: TOKEN }));
    } finally {
      faults.restore();
    }
    expect(error).toMatchObject({ code: 'DISK_ERROR', message: expect.stringMatching(/^The remote http:\/\/127\.0\.0\.1:\d+ refused: .*disk is full/) });
    expect(await readdir(join(t.dir, 'tmp'))).toEqual([]);
    const again = await t.call('data:push', { workspace: t.workspace, url: t.url, token: TOKEN });
    expect(again).toMatchObject({ needed: 2, problems: [] });
    expect(again.alreadyThere + again.copied).toBe(2);
  });

  it('never places bytes under a name they do not match, and leaves no temp file', async () => {
    const t = await workspaceAndServer();
    const lie = `sha256:${createHash('sha256').update('the truth').digest('hex')}`;
    const put = (body: string, hash: string, type = 'application/octet-stream') =>
      fetch(`${t.url}/api/remote/blobs/sha256/${hash.slice(7)}`, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': type }, body });
    const refused = await put('a lie', lie);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'DATA_DAMAGED' } });
    expect(await stat(join(t.dir, 'sha256', lie.slice(7, 9), lie.slice(9))).catch(() => null)).toBeNull();
    expect(await readdir(join(t.dir, 'tmp'))).toEqual([]);
    expect((await put('the truth', lie, 'text/plain')).status).toBe(415);
    expect((await put('the truth', lie)).status).toBe(200);
    expect(await readFile(join(t.dir, 'sha256', lie.slice(7, 9), lie.slice(9)), 'utf8')).toBe('the truth');
  });
});
