import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failNthWrite, type WriteFaults } from '../../core/testing/fs-faults.ts';
import { useTempDirs } from '../../core/testing/temp-dir.ts';
import { send } from '../test-support/agent-client.ts';
import { adminHeaders, predictions, rolloutAgent, rolloutStatus, startRollout, withCandidate, type RolloutAgent } from '../test-support/rollout-harness.ts';
import { trainPenguinBundles, type TrainedBundles } from '../test-support/trained-bundles.ts';

/**
 * A full disk under a rollout: the controller's safety decisions (candidate out of traffic) hold
 * in the running agent even when the disk refuses to record them, the refusal is said, and
 * nothing half-written is left in the data folder.
 */
const tempDir = useTempDirs();
let bundles: TrainedBundles;
let bundlesDir: string;
const running: RolloutAgent[] = [];
let faults: WriteFaults | null = null;

beforeAll(async () => {
  bundlesDir = await mkdtemp(join(tmpdir(), 'lathe-rollout-disk-'));
  bundles = await trainPenguinBundles(bundlesDir);
}, 120_000);
afterAll(() => rm(bundlesDir, { recursive: true, force: true }));
afterEach(async () => {
  faults?.restore();
  faults = null;
  await Promise.all(running.splice(0).map((agent) => agent.close()));
});

/** Files in the data folder other than the agent's own (a temp file left by a failed write would show here). */
const leftovers = async (dir: string) => (await readdir(dir)).filter((file) => !['admin-token.json', 'agent.lock', 'agent.lock-journal', 'agent.lock.owner', 'bundles', 'uploads', 'models.json', 'rollouts.json', 'rollout-decisions.jsonl', 'monitoring'].includes(file));

describe('rollouts on a full disk', () => {
  it('rolls a failing candidate back even when models.json cannot be written, and says so', async () => {
    let broken = false;
    const warnings: string[] = [];
    const dataDir = await tempDir();
    const agent = await rolloutAgent(bundles, dataDir, { warn: (text) => warnings.push(text), hooks: { beforePredict: (version) => (version === 2 && broken ? Promise.reject(new Error('thrown')) : Promise.resolve()) } });
    running.push(agent);
    await withCandidate(agent, bundles, bundles.v2);
    const { id } = (await startRollout(agent, { strategy: 'canary', model: 'penguins', steps: [50, 100], analysis: { minRequests: 2, failureLimit: 1 } })).json();
    broken = true;
    await predictions(agent.url, 6);
    faults = await failNthWrite(dataDir, 1, 'ENOSPC');
    await agent.clock.tick();
    faults.restore();
    faults = null;
    const status = await rolloutStatus(agent, id);
    expect(status.phase).toBe('rolled-back');
    expect(status.decisions.at(-1).reason).toMatch(/All traffic back to stable version 1\. \(The candidate is out of traffic, but models\.json could not record it: .*disk is full.*\)$/);
    expect((await predictions(agent.url, 4)).map((answer) => answer.json().model_version)).toEqual(['1', '1', '1', '1']);
    expect(await leftovers(dataDir)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('answers 507 when a rollout cannot be recorded as it starts, and leaves the candidate loaded without traffic', async () => {
    const dataDir = await tempDir();
    const agent = await rolloutAgent(bundles, dataDir);
    running.push(agent);
    await withCandidate(agent, bundles, bundles.v2);
    faults = await failNthWrite(dataDir, 1, 'ENOSPC');
    const refused = await startRollout(agent, { strategy: 'canary', model: 'penguins', steps: [50, 100] });
    faults.restore();
    faults = null;
    expect(refused.status, refused.text).toBe(507);
    expect(refused.json()).toMatchObject({ code: 'DISK_ERROR', error: expect.stringMatching(/^Could not start the rollout of model penguins: the disk is full \(ENOSPC, .*\)\. The candidate gets no traffic; the stable version serves everything\.$/) });
    expect((await predictions(agent.url, 4)).map((answer) => answer.json().model_version)).toEqual(['1', '1', '1', '1']);
    const [failed] = (await send(agent.url, '/admin/rollouts', { headers: adminHeaders(agent.token) })).json().rollouts;
    expect(failed).toMatchObject({ phase: 'failed', weight: 0 });
    expect(failed.decisions.at(-1).reason).toMatch(/^The rollout could not start: Could not start the rollout of model penguins: the disk is full/);
    expect((await send(agent.url, '/admin/models/penguins', { headers: adminHeaders(agent.token) })).json()).toMatchObject({ candidate: { version: '2' }, candidateWeight: 0, rollout: null });
    // With the disk back, the same candidate can be rolled out.
    expect((await startRollout(agent, { strategy: 'canary', model: 'penguins', steps: [50, 100] })).status).toBe(201);
    expect(await leftovers(dataDir)).toEqual([]);
  });
});
