import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLatheCore, type LatheCore } from '../core/lathe-core.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { sendRequest } from './test-support/test-server.ts';

/**
 * A real full disk: a 30 MB tmpfs holding the workspace, and a 50 MB upload. Mounting needs
 * root (CAP_SYS_ADMIN); elsewhere this says so and skips. The fault-injection tests in
 * main/core cover every write step without a mount.
 */
let mountPoint = '';
let mounted = false;
let why = '';

beforeAll(async () => {
  mountPoint = await mkdtemp(join(tmpdir(), 'lathe-small-disk-'));
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=30m', 'tmpfs', mountPoint], { encoding: 'utf8' });
  mounted = mount.status === 0;
  why = mounted ? '' : `cannot mount a tmpfs here (${(mount.stderr || mount.error?.message || 'not root').trim()})`;
});

afterAll(async () => {
  // Lazy: a file some test still holds open must not leave the mount behind.
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  await rm(mountPoint, { recursive: true, force: true });
});

function csvOfBytes(bytes: number): Buffer {
  const row = 'a-fairly-long-identifier-for-this-row,3.14159,Adelie,true\n';
  return Buffer.from(`id,x,species,flag\n${row.repeat(Math.ceil(bytes / row.length))}`);
}

const freeBytes = async (dir: string) => {
  const info = await statfs(dir);
  return info.bavail * info.bsize;
};

describe('a full disk under lathe serve', () => {
  let server: RunningServer | undefined;
  let core: LatheCore | undefined;
  afterAll(async () => {
    await server?.close();
    await core?.close();
  });

  it('answers a too-large upload with DISK_ERROR and stays up, keeping nothing', async (context) => {
    if (!mounted) {
      console.warn(`Skipping the real full-disk test: ${why}.`);
      context.skip();
    }
    const workspace = join(mountPoint, 'ws');
    const state = join(tmpdir(), `lathe-full-disk-state-${process.pid}`);
    await mkdir(state, { recursive: true });
    core = createLatheCore({ frontDoor: 'browser', version: 'test', stateDir: state, defaultWorkspace: workspace });
    server = await startServer({ core, uiDir: join(mountPoint, 'no-ui'), port: 0 });
    const call = (name: string, input: unknown) =>
      sendRequest(server!.port, { method: 'POST', path: `/api/call/${name}`, headers: { authorization: `Bearer ${server!.token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    expect((await call('workspace:create', { path: workspace })).status).toBe(200);
    const before = await freeBytes(mountPoint);

    const upload = await sendRequest(server.port, {
      method: 'POST',
      path: `/api/upload/datasets:import-upload?${new URLSearchParams({ workspace, fileName: 'big.csv', name: 'big' })}`,
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/octet-stream' },
      body: csvOfBytes(50 * 1024 * 1024),
    });
    expect(upload.status).toBe(507);
    expect(upload.json.error).toMatchObject({ code: 'DISK_ERROR', message: expect.stringMatching(/^Could not import big\.csv: the disk is full \(ENOSPC, .*\)\. Nothing was kept/), hint: expect.stringContaining('Free some space') });

    // Still serving, nothing half-written left, the space given back.
    const list = await call('datasets:list', { workspace });
    expect(list.status).toBe(200);
    expect(list.json.value).toEqual([]);
    expect(await readdir(join(workspace, '.lathe/tmp'))).toEqual([]);
    expect(await freeBytes(mountPoint)).toBeGreaterThanOrEqual(before - 64 * 1024);

    // A file that fits still imports.
    const small = await sendRequest(server.port, {
      method: 'POST',
      path: `/api/upload/datasets:import-upload?${new URLSearchParams({ workspace, fileName: 'small.csv', name: 'small' })}`,
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/octet-stream' },
      body: csvOfBytes(1024 * 1024),
    });
    expect(small.json).toMatchObject({ ok: true, value: { status: 'created' } });
  });

  it('makes the CLI print its JSON error, not a stack trace, and exit 1', async (context) => {
    if (!mounted) {
      console.warn(`Skipping the real full-disk test: ${why}.`);
      context.skip();
    }
    const workspace = join(mountPoint, 'cli-ws');
    const file = join(tmpdir(), `lathe-full-disk-${process.pid}.csv`);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, csvOfBytes(50 * 1024 * 1024));
    const lathe = (...args: string[]) => spawnSync(process.execPath, [new URL('../cli/lathe.ts', import.meta.url).pathname, ...args], { encoding: 'utf8', env: { ...process.env, LATHE_CONFIG_DIR: join(tmpdir(), `lathe-cli-state-${process.pid}`) } });
    expect(lathe('init', workspace).status).toBe(0);
    const result = lathe('data', 'import', file, '--workspace', workspace, '--json');
    await rm(file, { force: true });
    expect(result.status).toBe(1);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'DISK_ERROR', message: expect.stringContaining('the disk is full (ENOSPC') } });
    expect(await readdir(join(workspace, '.lathe/tmp'))).toEqual([]);
  });
});
