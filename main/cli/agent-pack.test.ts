import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, send, tensorsOf } from '../agent/test-support/agent-client.ts';
import { ADELIE, trainPenguinBundles, type TrainedBundles } from '../agent/test-support/trained-bundles.ts';
import { agentBundleOptions, copyWasmBinaries, servingWorkerBundleOptions } from '../scripts/build.ts';
import { packAgent, PACKED_FILES } from './agent-pack.ts';

/**
 * The packed agent, built as `npm run build` builds it and packed as `lathe agent pack` packs it,
 * run from a folder with no node_modules anywhere above it: it must serve a bundle on its own.
 */
let root: string;
let dist: string;
let bundles: TrainedBundles;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lathe-agent-pack-'));
  dist = join(root, 'dist');
  await mkdir(dist);
  const [trained] = await Promise.all([
    trainPenguinBundles(join(root, 'train')),
    build({ ...agentBundleOptions(join(dist, 'lathe-agent.mjs')), logLevel: 'silent' }),
    servingWorkerBundleOptions(join(dist, 'serving-worker.cjs')).then((options) => build({ ...options, logLevel: 'silent' })),
    copyWasmBinaries(dist),
  ]);
  bundles = trained;
}, 180_000);

afterAll(() => rm(root, { recursive: true, force: true }));

describe('lathe agent pack', () => {
  it('writes a folder whose lathe-agent.mjs serves a signed bundle with nothing else installed', async () => {
    const out = join(root, 'packed');
    const packed = await packAgent(dist, out, '1.2.3');
    expect(packed.files.map((file) => file.name)).toEqual(['README.md', ...PACKED_FILES, 'package.json'].sort());
    expect(JSON.parse(await readFile(join(out, 'package.json'), 'utf8'))).toMatchObject({ type: 'module', engines: { node: '>=22.13' } });

    const agent = spawn(process.execPath, [join(out, 'lathe-agent.mjs'), '--port', '0', '--data-dir', join(root, 'data'), '--trust', bundles.key.publicKey.text, '--json'], { cwd: out, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    agent.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => agent.once('exit', resolve));
    const line = await createInterface({ input: agent.stdout })[Symbol.asyncIterator]().next();
    expect(line.done, stderr).toBe(false);
    const started = JSON.parse(line.value as string) as { url: string; adminToken: string };
    const loaded = await send(started.url, '/admin/models/penguins', { method: 'PUT', headers: { Authorization: `Bearer ${started.adminToken}`, 'Content-Type': 'application/octet-stream' }, body: await readFile(bundles.v1) });
    expect(loaded.status, loaded.text).toBe(200);
    const answer = await send(started.url, '/v2/models/penguins/infer', json({ inputs: tensorsOf([ADELIE]) }));
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json().outputs[1]).toMatchObject({ name: 'probabilities', shape: [1, 3] });
    agent.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a folder that is not empty, and a build that is missing, writing nothing', async () => {
    const full = join(root, 'full');
    await mkdir(full);
    await writeFile(join(full, 'keep.txt'), 'mine');
    await expect(packAgent(dist, full, '1')).rejects.toMatchObject({ error: { code: 'CONFLICT', message: `${full} is not empty.` } });
    expect(await readdir(full)).toEqual(['keep.txt']);
    await expect(packAgent(join(root, 'nowhere'), join(root, 'fresh'), '1')).rejects.toMatchObject({ error: { code: 'FAILED_PRECONDITION', hint: 'Run `npm run build` in the Lathe project first.' } });
    await expect(readdir(join(root, 'fresh'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
