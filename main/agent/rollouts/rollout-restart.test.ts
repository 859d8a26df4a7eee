import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listenToPhases } from '../../core/base/phases.ts';
import { startScript } from '../../core/testing/child-process.ts';
import { useTempDirs } from '../../core/testing/temp-dir.ts';
import { send } from '../test-support/agent-client.ts';
import { adminHeaders, predictions, rolloutAgent, rolloutStatus, startRollout, withCandidate, type RolloutAgent } from '../test-support/rollout-harness.ts';
import { trainPenguinBundles, type TrainedBundles } from '../test-support/trained-bundles.ts';

/**
 * A rollout outlives the agent's process: killed mid-rollout (SIGKILL, no goodbye), the agent
 * resumes from the step it had written; killed between making the candidate stable and writing
 * that down, it finds the promotion done; a candidate that no longer loads is rolled back, never
 * given traffic; an upload cut off midway loads nothing.
 */
const tempDir = useTempDirs();
const child = new URL('../test-support/agent-child.ts', import.meta.url);
let bundles: TrainedBundles;
let bundlesDir: string;
const running: RolloutAgent[] = [];

beforeAll(async () => {
  bundlesDir = await mkdtemp(join(tmpdir(), 'lathe-restart-bundles-'));
  bundles = await trainPenguinBundles(bundlesDir);
}, 120_000);
afterAll(() => rm(bundlesDir, { recursive: true, force: true }));
afterEach(async () => {
  listenToPhases(null);
  await Promise.all(running.splice(0).map((agent) => agent.close()));
});

async function restarted(dataDir: string, token: string): Promise<RolloutAgent> {
  const agent = await rolloutAgent(bundles, dataDir);
  running.push(agent);
  return Object.assign(agent, { token });
}

/** An agent in a child process, serving v1 with v2 as the candidate, under a canary that has begun. */
async function childMidCanary(dataDir: string, steps: number[], env: Record<string, string> = {}) {
  const previous = { ...process.env };
  Object.assign(process.env, env);
  const process_ = startScript(child, [dataDir, bundles.key.publicKey.text]);
  process.env = previous;
  const [, url, token] = (await process_.line((line) => line.startsWith('ready '))).split(' ');
  const agent = { url: url!, token: token! };
  await withCandidate(agent, bundles, bundles.v2);
  const started = await startRollout(agent, { strategy: 'canary', model: 'penguins', steps, intervalMs: 60_000, analysis: { minRequests: 2, failureLimit: 2 } });
  expect(started.status, started.text).toBe(201);
  return { ...process_, agent, id: started.json().id as string, tick: () => process_.child.stdin!.write('tick\n') };
}

describe('a rollout across restarts', () => {
  it('resumes at the step it had reached when the agent is killed mid-rollout, and goes on to promote', { timeout: 120_000 }, async () => {
    const dataDir = await tempDir();
    const first = await childMidCanary(dataDir, [50, 100]);
    await predictions(first.agent.url, 4);
    first.tick();
    await first.line((line) => line === 'ticked');
    expect((await rolloutStatus(first.agent, first.id))).toMatchObject({ step: 1, weight: 100 });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);

    const agent = await restarted(dataDir, first.agent.token);
    const status = await rolloutStatus(agent, first.id);
    expect(status).toMatchObject({ phase: 'progressing', step: 1, weight: 100, stable: { version: '1' }, candidate: { version: '2' } });
    expect(status.decisions.at(-1)).toMatchObject({ action: 'restarted', reason: 'The agent restarted; the rollout resumes at step 1 (weight 100 %).' });
    expect((await predictions(agent.url, 3)).map((answer) => answer.json().model_version)).toEqual(['2', '2', '2']);
    await agent.clock.tick();
    expect((await rolloutStatus(agent, first.id)).phase).toBe('promoted');
  });

  it('finds the promotion done when killed after the candidate became stable but before the rollout recorded it', { timeout: 120_000 }, async () => {
    const dataDir = await tempDir();
    const first = await childMidCanary(dataDir, [100], { LATHE_PAUSE_AT: 'agent:promoted#1' });
    await predictions(first.agent.url, 3);
    first.tick();
    await first.line((line) => line === 'paused agent:promoted 1');
    first.child.kill('SIGKILL');
    await first.exited;
    const onDisk = JSON.parse(await readFile(join(dataDir, 'rollouts.json'), 'utf8'));
    expect(onDisk.rollouts[0].phase).toBe('progressing');

    const agent = await restarted(dataDir, first.agent.token);
    const status = await rolloutStatus(agent, first.id);
    expect(status).toMatchObject({ phase: 'promoted' });
    expect(status.decisions.at(-1).reason).toBe('Version 2 was made stable just before the agent stopped; the rollout is complete.');
    expect((await send(agent.url, '/v2/models/penguins')).json().versions).toEqual(['2']);
  });

  it('rolls back, and gives the candidate no traffic, when the candidate no longer loads at restart', { timeout: 120_000 }, async () => {
    const dataDir = await tempDir();
    const first = await rolloutAgent(bundles, dataDir);
    await withCandidate(first, bundles, bundles.v2);
    const { id } = (await startRollout(first, { strategy: 'canary', model: 'penguins', steps: [50, 100] })).json();
    const candidateBundle = JSON.parse(await readFile(join(dataDir, 'models.json'), 'utf8')).models[0].candidate.bundle as string;
    await first.close();
    const damaged = new Uint8Array(await readFile(join(dataDir, 'bundles', candidateBundle)));
    damaged[Buffer.from(damaged).indexOf(Buffer.from('model/weights.bin\u0000')) + 512 + 17]! ^= 0x40;
    await writeFile(join(dataDir, 'bundles', candidateBundle), damaged);

    const agent = await restarted(dataDir, first.token);
    const status = await rolloutStatus(agent, id);
    expect(status).toMatchObject({ phase: 'rolled-back', weight: 0 });
    expect(status.decisions.at(-1).reason).toMatch(/^Rolled back: candidate version 2 failed to load at restart \(.*did not verify: part model\/weights\.bin: SHA-256 is .*\); all traffic goes to stable version 1\.$/);
    expect((await predictions(agent.url, 6)).map((answer) => answer.json().model_version)).toEqual(Array(6).fill('1'));
    expect((await send(agent.url, '/admin/models/penguins', { headers: adminHeaders(agent.token) })).json()).toMatchObject({ candidate: null, candidateWeight: 0 });
    expect(JSON.parse(await readFile(join(dataDir, 'models.json'), 'utf8')).models[0].candidate).toBeNull();
    expect(await readdir(join(dataDir, 'bundles'))).toHaveLength(1);
  });

  it('keeps nothing of a candidate upload cut off midway: no candidate, stable serving, no rollout can start', { timeout: 120_000 }, async () => {
    const agent = await rolloutAgent(bundles, await tempDir());
    running.push(agent);
    expect((await send(agent.url, '/admin/models/penguins', { method: 'PUT', headers: adminHeaders(agent.token, 'application/octet-stream'), body: await readFile(bundles.v1) })).status).toBe(200);
    const body = await readFile(bundles.v2);
    const discarded = new Promise<void>((resolve) => {
      listenToPhases((phase) => {
        if (phase === 'agent:upload-receiving') client.destroy();
        if (phase === 'agent:upload-discarded') resolve();
      });
    });
    const client = request(new URL('/admin/models/penguins/candidate', agent.url), { method: 'PUT', headers: { ...adminHeaders(agent.token, 'application/octet-stream'), 'Content-Length': String(body.byteLength) } });
    client.on('error', () => {});
    client.write(body.subarray(0, body.byteLength >> 1));
    await discarded;
    expect(await readdir(join(agent.dataDir, 'uploads'))).toEqual([]);
    expect((await send(agent.url, '/admin/models/penguins', { headers: adminHeaders(agent.token) })).json()).toMatchObject({ stable: { version: '1' }, candidate: null });
    const refused = await startRollout(agent, { strategy: 'canary', model: 'penguins', steps: [10] });
    expect(refused.status).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'Model penguins has no candidate loaded to roll out.', hint: 'Send the new version first: PUT /admin/models/penguins/candidate with the bundle as the body.' });
    expect((await predictions(agent.url, 2)).map((answer) => answer.status)).toEqual([200, 200]);
    // A candidate that is not the version the caller meant is refused whole, too.
    const wrongVersion = await send(agent.url, '/admin/models/penguins/candidate?version=9', { method: 'PUT', headers: adminHeaders(agent.token, 'application/octet-stream'), body });
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.json().error).toBe('The bundle holds version 2 of the model, not version 9 as ?version= said.');
    expect(await readdir(join(agent.dataDir, 'bundles'))).toHaveLength(1);
  });
});
