import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf, OutputOf } from '../../../shared/contract/calls.ts';
import { startAgent, type RunningAgent } from '../../agent/start-agent.ts';
import { send } from '../../agent/test-support/agent-client.ts';
import { trainPenguinBundles } from '../../agent/test-support/trained-bundles.ts';
import { dispatch } from '../dispatch.ts';
import { findVersion } from '../datasets/dataset-history.ts';
import { JobRegistry } from '../jobs/job-registry.ts';
import { LatheFailure } from '../errors.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { steppedClock } from './pace-clock.ts';
import { simulateCalls } from './simulate-calls.ts';

/**
 * lathe simulate traffic against a real agent serving a penguins classifier: the requests it
 * answered and the labels it joined are counted on the agent's side, pacing runs on a stepped
 * clock (no wall-time waits), and every bad request is refused before anything is sent.
 */
const tempDir = useTempDirs();
let root = '';
let agent: RunningAgent;
let token = '';
let fixture: Awaited<ReturnType<typeof coreOnNewWorkspace>>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lathe-simulate-'));
  const bundles = await trainPenguinBundles(join(root, 'train'));
  agent = await startAgent({ dataDir: join(root, 'agent'), trust: [bundles.key.publicKey], port: 0, workers: 1, latheVersion: 'test', warn: () => {} });
  token = agent.newAdminToken!;
  const put = await send(agent.url, '/admin/models/penguins', { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' }, body: await readFile(bundles.v1) });
  if (put.status !== 200) throw new Error(put.text);
  fixture = await coreOnNewWorkspace(join(root, 'app'));
  await fixture.call('datasets:import-sample', { workspace: fixture.workspace });
  await fixture.call('targets:add', { name: 'edge-1', url: agent.url, token });
}, 120_000);

afterAll(async () => {
  await agent?.close();
  await fixture?.core.close();
  await rm(root, { recursive: true, force: true });
});

function simulator() {
  const clock = steppedClock();
  const jobs = new JobRegistry();
  const handlers = simulateCalls({ workspaces: new OpenWorkspaces(), jobs, stateDir: join(root, 'app', 'state'), clock });
  const simulate = async (input: Partial<InputOf<'simulate:traffic'>>): Promise<OutputOf<'simulate:traffic'>> => {
    const result = await dispatch(handlers, 'simulate:traffic', { workspace: fixture.workspace, deployment: 'edge-1/penguins', dataset: 'penguins', version: 1, ...input });
    if (!result.ok) throw new LatheFailure(result.error);
    return result.value as OutputOf<'simulate:traffic'>;
  };
  return { clock, jobs, simulate };
}

async function refused(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work;
  } catch (error) {
    if (error instanceof LatheFailure) return { code: error.error.code, message: error.error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

const agentRequests = async () => {
  const text = (await send(agent.url, '/metrics')).text;
  return [...text.matchAll(/^lathe_agent_requests_total\{[^}]*model="penguins"[^}]*\} (\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
};

/** What the agent's monitoring recorded and joined for penguins. */
const recorder = async (): Promise<{ recorded: number; labelled: number }> => (await send(agent.url, '/admin/monitoring/penguins', { headers: { Authorization: `Bearer ${token}` } })).json().recorder;

describe('lathe simulate traffic', () => {
  it('sends rate × duration requests the agent answers, then each true label, joined to its recorded prediction', { timeout: 60_000 }, async () => {
    const { clock, simulate } = simulator();
    const before = await agentRequests();
    const recordedBefore = await recorder();
    const result = await simulate({ rate: 40, duration: 3, labelsAfter: 60, seed: 7, wait: true });
    expect(result).toMatchObject({ status: 'finished', planned: 120, sent: 120, ok: 120, failed: {}, labelsSent: 120, labelsAccepted: 120, labelsRefused: {}, labelColumn: 'Species', dataset: 'penguins@1' });
    expect(await agentRequests()).toBe(before + 120);
    expect(await recorder()).toMatchObject({ recorded: recordedBefore.recorded + 120, labelled: recordedBefore.labelled + 120 });
    // Paced on the stepped clock: 3 s of requests, and the last label 60 s after its request.
    expect(clock.slept).toBeGreaterThanOrEqual(62_900);
    expect(clock.slept).toBeLessThan(63_100);
  });

  it('injects drift into the columns named, counting the values it changed', { timeout: 60_000 }, async () => {
    const { simulate } = simulator();
    const result = await simulate({ rate: 50, duration: 1, drift: [{ column: 'Beak Length (mm)', kind: 'shift', by: 25 }, { column: 'Island', kind: 'categories', from: 'Torgersen', to: 'Dream' }], wait: true });
    expect(result.ok).toBe(50);
    expect(result.drift.map((entry) => entry.description)).toEqual(['Beak Length (mm) +25', 'Island: Torgersen → Dream']);
    expect(result.drift[0]!.changed).toBeGreaterThan(45); // every row but those missing the value
    expect(result.drift[1]!.changed).toBeGreaterThan(0);
    expect(result.drift[1]!.changed).toBeLessThan(50);
    expect(result.labelColumn).toBeNull();
  });

  it('runs as a job that cancels from any window, ending cancelled', { timeout: 60_000 }, async () => {
    const { jobs, simulate } = simulator();
    const started = await simulate({ rate: 1, duration: 3600 });
    expect(started.status).toBe('running');
    const cancelled = jobs.cancel(fixture.workspace, started.jobId);
    expect(cancelled.kind).toBe('simulate');
    await expect.poll(() => jobs.list(fixture.workspace).find((job) => job.id === started.jobId)?.status).toBe('cancelled');
  });

  it('refuses, before sending anything, what it cannot simulate', { timeout: 60_000 }, async () => {
    const { simulate } = simulator();
    const before = await agentRequests();
    expect(await refused(simulate({ deployment: 'edge-9/penguins' }))).toMatchObject({ code: 'NOT_FOUND', message: 'There is no deploy target named edge-9.' });
    expect(await refused(simulate({ deployment: 'edge-1/churn' }))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`Target edge-1 (${agent.url}) serves no model churn`) });
    expect(await refused(simulate({ deployment: 'no slash' as never }))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('name a deployment TARGET/MODEL') });
    expect(await refused(simulate({ version: 9 }))).toMatchObject({ code: 'NOT_FOUND', message: 'Dataset "penguins" has no version 9; its versions are 1 to 1.' });
    expect(await refused(simulate({ dataset: 'churn' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refused(simulate({ drift: [{ column: 'Wing Span', kind: 'shift', by: 1 }] }))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('"Wing Span" is not an input of model penguins; its inputs are Island, ') });
    expect(await refused(simulate({ drift: [{ column: 'Species', kind: 'shift', by: 1 }] }))).toMatchObject({ message: expect.stringContaining('"Species" is not an input of model penguins') });
    expect(await refused(simulate({ drift: [{ column: 'Island', kind: 'scale', by: 2 }] }))).toMatchObject({ code: 'INVALID_INPUT', message: '--drift Island:scale=2: Island is a text column; scale= takes a number column.' });
    expect(await refused(simulate({ drift: [{ column: 'Island', kind: 'categories', from: 'Atlantis', to: 'Dream' }] }))).toMatchObject({ message: '--drift Island:categories=Atlantis>Dream: "Atlantis" does not occur in Island of penguins@1; its categories are "Torgersen", "Biscoe", "Dream".' });
    expect(await refused(simulate({ rate: 0 }))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('the rate is requests per second, more than 0') });
    expect(await refused(simulate({ rate: 1e6 }))).toMatchObject({ message: expect.stringContaining('the rate is at most 2000 requests per second') });
    expect(await refused(simulate({ duration: 7200 }))).toMatchObject({ message: expect.stringContaining('a simulation sends for at most 3600 s (an hour)') });
    expect(await refused(simulate({ labelNoise: 1.5 }))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await agentRequests(), 'nothing was sent').toBe(before);
  });

  it('refuses a dataset version whose bytes are missing from the store, naming it', { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    const other = await coreOnNewWorkspace(dir);
    try {
      await other.call('datasets:import-sample', { workspace: other.workspace });
      const workspace = await new OpenWorkspaces().at(other.workspace);
      const { manifest } = await findVersion(workspace, 'penguins', 1);
      await rm(workspace.blobs.pathOf(manifest.contentHash));
      const handlers = simulateCalls({ workspaces: new OpenWorkspaces(), jobs: new JobRegistry(), stateDir: join(root, 'app', 'state'), clock: steppedClock() });
      const result = await dispatch(handlers, 'simulate:traffic', { workspace: other.workspace, deployment: 'edge-1/penguins', dataset: 'penguins', version: 1, wait: true });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('DATA_DAMAGED');
        expect(result.error.message).toMatch(/^The rows of penguins@1 could not be read: /);
      }
      await workspace.close();
    } finally {
      await other.core.close();
    }
  });
});
