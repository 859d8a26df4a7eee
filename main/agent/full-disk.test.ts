import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent } from './start-agent.ts';
import { json, send, tensorsOf } from './test-support/agent-client.ts';
import { ADELIE, trainPenguinBundles, type TrainedBundles } from './test-support/trained-bundles.ts';

/**
 * The agent's data folder on a real, nearly full disk (a small tmpfs): an upload that does not fit
 * gets 507 DISK_ERROR, leaves nothing behind, and the model that was serving goes on serving.
 * Mounting needs root (CAP_SYS_ADMIN); elsewhere this says so and skips.
 */
let root = '';
let mountPoint = '';
let mounted = false;
let why = '';
let diskBytes = 0;
let bundles: TrainedBundles;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lathe-agent-disk-'));
  bundles = await trainPenguinBundles(join(root, 'train'));
  mountPoint = await mkdtemp(join(tmpdir(), 'lathe-agent-small-disk-'));
  // Room for three bundles, and for the monitoring store (its database, WAL and shared-memory files).
  diskBytes = Math.ceil(((await stat(bundles.v1)).size * 3 + 256 * 1024) / 4096) * 4096;
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${diskBytes}`, 'tmpfs', mountPoint], { encoding: 'utf8' });
  mounted = mount.status === 0;
  why = mounted ? '' : `cannot mount a tmpfs here (${(mount.stderr || mount.error?.message || 'not root').trim()})`;
}, 120_000);

afterAll(async () => {
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  await rm(mountPoint, { recursive: true, force: true });
  await rm(root, { recursive: true, force: true });
});

describe('lathe agent on a full disk', () => {
  it('answers 507 to an upload that does not fit, keeps nothing of it, and goes on serving', async (context) => {
    if (!mounted) {
      console.warn(`skipped: ${why}`);
      context.skip();
    }
    const agent = await startAgent({ dataDir: mountPoint, trust: [bundles.key.publicKey], port: 0, workers: 1, latheVersion: 'test', warn: () => {} });
    try {
      const token = agent.newAdminToken!;
      const put = (body: Uint8Array) => send(agent.url, '/admin/models/penguins', { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' }, body });
      expect((await put(await readFile(bundles.v1))).status).toBe(200);
      const tooBig = await put(new Uint8Array(diskBytes).fill(7));
      expect(tooBig.status, tooBig.text).toBe(507);
      expect(tooBig.json()).toMatchObject({ code: 'DISK_ERROR', error: expect.stringContaining('the disk is full (ENOSPC') });
      expect(await readdir(join(mountPoint, 'uploads'))).toEqual([]);
      const answer = await send(agent.url, '/v2/models/penguins/infer', json({ inputs: tensorsOf([ADELIE]) }));
      expect(answer.status).toBe(200);
      expect(answer.json().model_version).toBe('1');
    } finally {
      await agent.close();
    }
  });
});
