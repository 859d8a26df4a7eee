import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, send, tensorsOf } from '../agent/test-support/agent-client.ts';
import { ADELIE, trainPenguinBundles, type TrainedBundles } from '../agent/test-support/trained-bundles.ts';

/**
 * `lathe agent` as a person runs it: a process that prints its address and admin token, serves
 * what it is sent, and on SIGTERM finishes and exits 0. Driven by what it prints, never by timers.
 */
const lathe = new URL('./lathe.ts', import.meta.url).pathname;
let root: string;
let bundles: TrainedBundles;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lathe-agent-cli-'));
  bundles = await trainPenguinBundles(root);
}, 120_000);

afterAll(() => rm(root, { recursive: true, force: true }));

describe('lathe agent', () => {
  it('prints its address and admin token once, serves an uploaded bundle, and exits 0 on SIGTERM', async () => {
    const dataDir = join(root, 'agent');
    const agent = spawn(process.execPath, [lathe, 'agent', '--port', '0', '--data-dir', dataDir, '--trust', bundles.key.publicKey.text, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    agent.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => agent.once('exit', (code) => resolve(code)));
    const [first] = await createInterface({ input: agent.stdout })[Symbol.asyncIterator]().next().then((line) => [line.value as string]);
    const started = JSON.parse(first!) as { url: string; adminToken: string; adminTokenFile: string };
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.adminToken).toMatch(/^lathe_agent_/);
    expect(await readFile(started.adminTokenFile, 'utf8')).not.toContain(started.adminToken);

    const loaded = await send(started.url, '/admin/models/penguins', { method: 'PUT', headers: { Authorization: `Bearer ${started.adminToken}`, 'Content-Type': 'application/octet-stream' }, body: await readFile(bundles.v1) });
    expect(loaded.status, loaded.text).toBe(200);
    const answer = await send(started.url, '/v2/models/penguins/infer', json({ inputs: tensorsOf([ADELIE]) }));
    expect(answer.json().outputs[0].data).toHaveLength(1);

    agent.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('Stopping: finishing the requests in hand');
  });

  it('comes back after a kill -9 serving what it served, with the same token and its folder free again', async () => {
    const dataDir = join(root, 'killed');
    const start = async () => {
      const agent = spawn(process.execPath, [lathe, 'agent', '--port', '0', '--data-dir', dataDir, '--trust', bundles.key.publicKey.text, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => agent.once('exit', (_, signal) => resolve(signal)));
      const line = await createInterface({ input: agent.stdout })[Symbol.asyncIterator]().next();
      return { agent, exited, started: JSON.parse(line.value as string) as { url: string; adminToken: string | null; models: { name: string; stable: { version: string } }[] } };
    };
    const first = await start();
    const token = first.started.adminToken!;
    expect((await send(first.started.url, '/admin/models/penguins', { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' }, body: await readFile(bundles.v2) })).status).toBe(200);
    first.agent.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = await start();
    expect(second.started.adminToken).toBeNull();
    expect(second.started.models.map((model) => `${model.name}@${model.stable.version}`)).toEqual(['penguins@2']);
    expect((await send(second.started.url, '/v2/models/penguins/infer', json({ inputs: tensorsOf([ADELIE]) }))).json().model_version).toBe('2');
    expect((await send(second.started.url, '/admin/models', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    second.agent.kill('SIGTERM');
    expect(await second.exited).toBeNull();
  });

  it('refuses bad flags before starting, saying which', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [lathe, 'agent', '--data-dir', join(root, 'refused'), ...args], { encoding: 'utf8' });
    const workers = run('--workers', '0', '--trust', bundles.key.publicKey.text);
    expect(workers.status).not.toBe(0);
    expect(workers.stderr).toContain('--workers takes a whole number from 1 to 64; got "0".');
    const trust = run('--trust', 'ed25519:not-a-key');
    expect(trust.status).not.toBe(0);
    expect(trust.stderr).toContain('is not an Ed25519 public key');
  });
});
