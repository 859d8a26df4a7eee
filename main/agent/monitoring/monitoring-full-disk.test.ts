import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitoringState } from '../../../shared/contract/monitoring.ts';
import { startAgent } from '../start-agent.ts';
import { json, send, tensorsOf } from '../test-support/agent-client.ts';
import { ADELIE, trainPenguinBundles, type TrainedBundles } from '../test-support/trained-bundles.ts';

/**
 * Recording on a real disk that fills up (a small tmpfs): every request is still answered, the
 * predictions that could not be kept are counted by reason and said in the recorder's problem and
 * on /metrics, and recording picks up again once the disk has room. Mounting needs root
 * (CAP_SYS_ADMIN); elsewhere this says so and skips.
 */
let root = '';
let mountPoint = '';
let mounted = false;
let why = '';
let bundles: TrainedBundles;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lathe-monitoring-disk-'));
  bundles = await trainPenguinBundles(join(root, 'train'));
  mountPoint = await mkdtemp(join(tmpdir(), 'lathe-monitoring-small-disk-'));
  const size = Math.ceil(((await stat(bundles.v1)).size * 3 + 2 * 1024 * 1024) / 4096) * 4096;
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], { encoding: 'utf8' });
  mounted = mount.status === 0;
  why = mounted ? '' : `cannot mount a tmpfs here (${(mount.stderr || mount.error?.message || 'not root').trim()})`;
}, 120_000);

afterAll(async () => {
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  await rm(mountPoint, { recursive: true, force: true });
  await rm(root, { recursive: true, force: true });
});

/** Writes a file until the disk says ENOSPC; returns its path. */
function fillDisk(dir: string): string {
  const file = join(dir, 'filler.bin');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(16 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return file;
}

describe('recording on a full disk', () => {
  it('answers every request, counts what it could not keep, and records again once there is room', async (context) => {
    if (!mounted) {
      console.warn(`skipped: ${why}`);
      context.skip();
    }
    const agent = await startAgent({ dataDir: mountPoint, trust: [bundles.key.publicKey], port: 0, workers: 1, latheVersion: 'test', warn: () => {} });
    try {
      const headers = { Authorization: `Bearer ${agent.newAdminToken!}` };
      expect((await send(agent.url, '/admin/models/penguins', { method: 'PUT', headers: { ...headers, 'Content-Type': 'application/octet-stream' }, body: await readFile(bundles.v1) })).status).toBe(200);
      const state = async () => MonitoringState.parse((await send(agent.url, '/admin/monitoring/penguins', { headers })).json());
      const infer = async (rows: number) => (await send(agent.url, '/v2/models/penguins/infer', json({ inputs: tensorsOf(Array.from({ length: rows }, () => ADELIE)) }))).status;

      expect(await infer(1)).toBe(200);
      expect((await state()).recorder).toMatchObject({ recorded: 1, dropped: 0 });

      const filler = fillDisk(mountPoint);
      const answered: number[] = [];
      for (let i = 0; i < 20; i++) answered.push(await infer(200));
      expect(answered.every((status) => status === 200)).toBe(true);
      const full = (await state()).recorder;
      expect(full.dropped).toBeGreaterThan(0);
      expect(full.recorded + full.dropped).toBe(1 + 20 * 200);
      expect(full.problem).not.toBeNull();
      const metrics = (await send(agent.url, '/metrics')).text;
      const dropped = DROPPED.exec(metrics);
      expect(dropped, metrics).not.toBeNull();

      await rm(filler);
      expect(await infer(1)).toBe(200);
      const recovered = (await state()).recorder;
      expect(recovered.recorded).toBe(full.recorded + 1);
      expect(recovered.dropped).toBe(full.dropped);
    } finally {
      await agent.close();
    }
  });
});

const DROPPED = /^lathe_predictions_dropped_total\{model="penguins",reason="(disk-error|store-full)"\} [1-9]\d*$/m;
