import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Prediction } from '../../core/serving/serving-messages.ts';
import { useTempDirs } from '../../core/testing/temp-dir.ts';
import type { AgentOptions } from '../start-agent.ts';
import { ManualClock } from './rollout-clock.ts';
import { send } from '../test-support/agent-client.ts';
import { adminHeaders, predictions, putBundle, rolloutAction, rolloutAgent, rolloutStatus, startRollout, withCandidate, type RolloutAgent } from '../test-support/rollout-harness.ts';
import { ADELIE, trainPenguinBundles, type TrainedBundles } from '../test-support/trained-bundles.ts';

/**
 * Canary rollouts run by the agent itself, with time moved by the test (clock.tick() ends an
 * interval) and a fixed traffic split: a good version promotes step by step; a bad one — failing,
 * slow, disagreeing with stable, or unmeasured — rolls back by itself after `failureLimit` failed
 * analyses, within interval × limit.
 */
const tempDir = useTempDirs();
let bundles: TrainedBundles;
let bundlesDir: string;
const running: RolloutAgent[] = [];

beforeAll(async () => {
  bundlesDir = await mkdtemp(join(tmpdir(), 'lathe-canary-bundles-'));
  bundles = await trainPenguinBundles(bundlesDir);
}, 120_000);
afterAll(() => rm(bundlesDir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(running.splice(0).map((agent) => agent.close()));
});

async function agentWithCandidate(options: Partial<AgentOptions> = {}, candidate = bundles.v2): Promise<RolloutAgent> {
  const agent = await rolloutAgent(bundles, await tempDir(), options);
  running.push(agent);
  await withCandidate(agent, bundles, candidate);
  return agent;
}

const canary = (analysis: Record<string, number> = {}) => ({ strategy: 'canary' as const, model: 'penguins', steps: [50, 100], intervalMs: 30_000, analysis: { minRequests: 5, failureLimit: 2, ...analysis } });

async function started(agent: RolloutAgent, spec: ReturnType<typeof canary>): Promise<string> {
  const answer = await startRollout(agent, spec);
  expect(answer.status, answer.text).toBe(201);
  return answer.json().id;
}

/** A classifier's other answer: the next class of three. */
const otherLabel = (p: Prediction): Prediction => ({ ...p, predicted: { Adelie: 'Chinstrap', Chinstrap: 'Gentoo', Gentoo: 'Adelie' }[String(p.predicted)] ?? 'Adelie' } as Prediction);

describe('canary rollouts', () => {
  it('moves a good version through its steps, then promotes it: it becomes stable on disk and in traffic', async () => {
    const agent = await agentWithCandidate();
    const id = await started(agent, canary());
    let status = await rolloutStatus(agent, id);
    expect(status).toMatchObject({ model: 'penguins', strategy: 'canary', phase: 'progressing', step: 0, weight: 50, stable: { version: '1' }, candidate: { version: '2' } });

    const first = await predictions(agent.url, 20);
    expect(first.every((answer) => answer.status === 200)).toBe(true);
    expect(first.filter((answer) => answer.json().model_version === '2')).toHaveLength(10);
    expect(first[0]!.headers['x-lathe-arm']).toMatch(/^(stable|candidate)$/);
    expect(first[0]!.headers['x-request-id']).toBe(first[0]!.json().id);
    await agent.clock.tick();
    status = await rolloutStatus(agent, id);
    expect(status).toMatchObject({ phase: 'progressing', step: 1, weight: 100, failedAnalyses: 0 });
    expect(status.analyses[0]).toMatchObject({ step: 0, weight: 50, verdict: 'passed', stable: { version: '1', requests: 10, errors: 0 }, candidate: { version: '2', requests: 10, errors: 0, errorRate: 0, compared: 10, disagreement: 0 } });

    expect((await predictions(agent.url, 6)).map((answer) => answer.json().model_version)).toEqual(Array(6).fill('2'));
    await agent.clock.tick();
    status = await rolloutStatus(agent, id);
    expect(status).toMatchObject({ phase: 'promoted', weight: 100, nextAnalysisAt: null });
    expect(status.decisions.map((decision: { action: string }) => decision.action)).toEqual(['started', 'step', 'analysis-passed', 'step', 'analysis-passed', 'promoted']);
    expect(agent.clock.pending()).toBe(0);

    expect((await send(agent.url, '/v2/models/penguins')).json().versions).toEqual(['2']);
    const models = JSON.parse(await readFile(join(agent.dataDir, 'models.json'), 'utf8'));
    expect(models.models).toEqual([expect.objectContaining({ name: 'penguins', stable: expect.objectContaining({ version: '2' }), candidate: null, candidateWeight: 0 })]);
    const metrics = (await send(agent.url, '/metrics')).text;
    expect(metrics).toContain('lathe_agent_routed_requests_total{model="penguins",version="1",arm="stable"} 10');
    expect(metrics).toContain('lathe_agent_routed_requests_total{model="penguins",version="2",arm="candidate"} 16');
    // The decisions, with the traffic routed between them, are in the log for later.
    const log = (await readFile(join(agent.dataDir, 'rollout-decisions.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(log.map((line) => line.action)).toEqual(['started', 'step', 'analysis-passed', 'step', 'analysis-passed', 'promoted']);
    expect(log[2]).toMatchObject({ rollout: id, routed: { stable: 10, candidate: 10 } });
  });

  it('rolls back by itself when the candidate fails on some inputs, within interval × failureLimit, and stable answers everything again', async () => {
    // Version 2 throws on penguins from Biscoe (and answers the rest, and its readiness check).
    const agent = await agentWithCandidate({ hooks: { beforePredict: (version, rows) => (version === 2 && rows.some((row) => row.Island === 'Biscoe') ? Promise.reject(new Error('the model threw on this input')) : Promise.resolve()) } });
    const startedAt = agent.clock.now().getTime();
    const id = await started(agent, canary());
    const fromBiscoe = (i: number) => (i % 4 < 2 ? ADELIE : { ...ADELIE, Island: 'Biscoe' });
    const answers = await predictions(agent.url, 20, () => ({}), fromBiscoe);
    // Every other request goes to v2; half of those come from Biscoe.
    expect(answers.map((answer) => `${answer.json().model_version ?? 'error'} ${answer.status}`).filter((line) => !line.startsWith('1 '))).toEqual(Array(10).fill(null).map((_, i) => (i % 2 === 0 ? '2 200' : 'error 500')));
    expect(answers.find((answer) => answer.status === 500)!.json().error).toBe('Model penguins version 2 could not predict: Unexpected error: the model threw on this input');
    await agent.clock.tick();
    let status = await rolloutStatus(agent, id);
    expect(status).toMatchObject({ phase: 'progressing', step: 0, weight: 50, failedAnalyses: 1 });
    expect(status.analyses[0]).toMatchObject({ verdict: 'failed', candidate: { requests: 10, errors: 5, errorRate: 0.5, compared: 5, disagreement: 0 } });
    expect(status.analyses[0].reason).toBe('error rate 0.50 > 0.01 (5 of 10 requests failed)');

    await predictions(agent.url, 20, () => ({}), fromBiscoe);
    await agent.clock.tick();
    status = await rolloutStatus(agent, id);
    expect(status).toMatchObject({ phase: 'rolled-back', weight: 0, failedAnalyses: 2 });
    expect(status.decisions.at(-1).reason).toMatch(/^Rolled back automatically after 2 failed analyses \(the limit is 2\); last: error rate 0\.50 > 0\.01 .*All traffic back to stable version 1\.$/);
    expect(Date.parse(status.decisions.at(-1).at) - startedAt).toBe(2 * 30_000);
    expect((await predictions(agent.url, 10, () => ({}), fromBiscoe)).map((answer) => `${answer.status} ${answer.json().model_version}`)).toEqual(Array(10).fill('200 1'));
    const model = (await send(agent.url, '/admin/models/penguins', { headers: adminHeaders(agent.token) })).json();
    expect(model).toMatchObject({ stable: { version: '1' }, candidate: null, candidateWeight: 0, rollout: null });
    // The log explains the rollback: the traffic each arm had in the interval that decided it.
    const log = (await readFile(join(agent.dataDir, 'rollout-decisions.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(log.at(-1)).toMatchObject({ rollout: id, action: 'rolled-back', routed: { stable: 10, candidate: 10 } });
  });

  it('rolls back on p99 latency over its threshold', async () => {
    // A slow candidate, as the controller's clock sees it: 800 ms pass while version 2 predicts.
    const clock = new ManualClock();
    const agent = await agentWithCandidate({ clock, hooks: { beforePredict: async (version) => void (version === 2 && clock.advance(800)) } });
    const id = await started(agent, canary({ maxP99Ms: 500, failureLimit: 1 }));
    await predictions(agent.url, 20);
    await agent.clock.tick();
    const status = await rolloutStatus(agent, id);
    expect(status.phase).toBe('rolled-back');
    expect(status.analyses[0].candidate.p99Ms).toBeGreaterThanOrEqual(800);
    expect(status.analyses[0].stable.p99Ms).toBeLessThan(500);
    expect(status.analyses[0].reason).toMatch(/^p99 latency \d+ ms > 500 ms$/);
  });

  it('rolls back when the candidate disagrees with stable, comparing off the reply path', async () => {
    const agent = await agentWithCandidate({ hooks: { afterPredict: (version, predicted) => (version === 2 ? predicted.map(otherLabel) : predicted) } });
    const id = await started(agent, canary({ maxDisagreement: 0.2, failureLimit: 1 }));
    const answers = await predictions(agent.url, 20);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    await agent.clock.tick();
    const status = await rolloutStatus(agent, id);
    expect(status.phase).toBe('rolled-back');
    expect(status.analyses[0].candidate).toMatchObject({ requests: 10, errors: 0, compared: 10, disagreement: 1 });
    expect(status.analyses[0].reason).toBe('disagreement with stable 1.00 > 0.20 (10 of 10 rows differ)');
  });

  it('counts an interval with too few requests as a failed analysis, never a pass', async () => {
    const agent = await agentWithCandidate();
    const id = await started(agent, canary({ minRequests: 5, failureLimit: 2 }));
    await predictions(agent.url, 4); // two reach the candidate
    await agent.clock.tick();
    await agent.clock.tick();
    const status = await rolloutStatus(agent, id);
    expect(status.phase).toBe('rolled-back');
    expect(status.analyses.map((analysis: { verdict: string; reason: string }) => `${analysis.verdict}: ${analysis.reason}`)).toEqual([
      'failed: too few requests to judge: the candidate answered 2 this interval, the analysis needs at least 5',
      'failed: too few requests to judge: the candidate answered 0 this interval, the analysis needs at least 5',
    ]);
  });

  it('refuses a second rollout of the same model with 409 naming the first, and changes of the model under a rollout', async () => {
    const agent = await agentWithCandidate();
    const id = await started(agent, canary());
    const second = await startRollout(agent, { strategy: 'shadow', model: 'penguins' });
    expect(second.status).toBe(409);
    expect(second.json()).toMatchObject({ code: 'CONFLICT', error: `Model penguins already has rollout ${id} (canary of version 2, progressing); one rollout per model at a time.` });
    for (const [method, path] of [['PUT', '/admin/models/penguins'], ['PUT', '/admin/models/penguins/candidate'], ['DELETE', '/admin/models/penguins/candidate'], ['DELETE', '/admin/models/penguins']] as const) {
      const refused = method === 'PUT' ? await putBundle(agent, path, bundles.v3) : await send(agent.url, path, { method, headers: adminHeaders(agent.token) });
      expect(refused.status, `${method} ${path}`).toBe(409);
      expect(refused.json().error).toContain(`has rollout ${id} running`);
    }
    expect((await send(agent.url, '/admin/rollouts?model=penguins', { headers: adminHeaders(agent.token) })).json().rollouts.map((r: { id: string }) => r.id)).toEqual([id]);
  });

  it('pauses (no analysis, the weight kept), resumes, and aborts on an operator\'s word', async () => {
    const agent = await agentWithCandidate();
    const id = await started(agent, canary());
    expect((await rolloutAction(agent, id, 'pause', { reason: 'weekend' })).json()).toMatchObject({ phase: 'paused', weight: 50, nextAnalysisAt: null });
    expect(await agent.clock.tick()).toBe(false);
    expect((await rolloutAction(agent, id, 'resume')).json().phase).toBe('progressing');
    const aborted = await rolloutAction(agent, id, 'abort', { reason: 'wrong build' });
    expect(aborted.json()).toMatchObject({ phase: 'aborted', weight: 0 });
    expect(aborted.json().decisions.map((d: { reason: string }) => d.reason)).toContain('Aborted by an operator (wrong build): all traffic back to stable version 1.');
    const again = await rolloutAction(agent, id, 'promote');
    expect(again.status).toBe(409);
    expect(again.json().error).toBe(`Rollout ${id} is already aborted; it cannot be promoted.`);
    expect((await send(agent.url, '/v2/models/penguins')).json().versions).toEqual(['1']);
  });

  it('rolls a deliberately bad v2 back by itself, then promotes a good v3 on the same agent', async () => {
    const agent = await agentWithCandidate({ hooks: { afterPredict: (version, predicted) => (version === 2 ? predicted.map(otherLabel) : predicted) } });
    const bad = await started(agent, canary({ failureLimit: 1 }));
    await predictions(agent.url, 10);
    await agent.clock.tick();
    expect((await rolloutStatus(agent, bad)).phase).toBe('rolled-back');
    expect((await putBundle(agent, '/admin/models/penguins/candidate?version=3', bundles.v3)).status).toBe(200);
    const good = await started(agent, canary());
    for (let step = 0; step < 2; step++) {
      await predictions(agent.url, 10);
      await agent.clock.tick();
    }
    expect((await rolloutStatus(agent, good)).phase).toBe('promoted');
    expect((await send(agent.url, '/v2/models/penguins')).json().versions).toEqual(['3']);
    const history = (await send(agent.url, '/admin/rollouts?model=penguins', { headers: adminHeaders(agent.token) })).json().rollouts;
    expect(history.map((r: { id: string; phase: string }) => `${r.id === good ? 'v3' : 'v2'} ${r.phase}`)).toEqual(['v3 promoted', 'v2 rolled-back']);
  });

  it('replaces at once through a rollout with strategy replace', async () => {
    const agent = await agentWithCandidate();
    const replaced = await startRollout(agent, { strategy: 'replace', model: 'penguins', candidateVersion: '2' });
    expect(replaced.status, replaced.text).toBe(201);
    expect(replaced.json()).toMatchObject({ phase: 'promoted', weight: 100, nextAnalysisAt: null });
    expect(agent.clock.pending()).toBe(0);
    expect((await predictions(agent.url, 2)).map((answer) => answer.json().model_version)).toEqual(['2', '2']);
  });

  it('refuses bad specs and actions with a sentence naming the field', async () => {
    const agent = await agentWithCandidate();
    const falling = await startRollout(agent, { strategy: 'canary', model: 'penguins', steps: [50, 10] });
    expect(falling.status).toBe(400);
    expect(falling.json().error).toBe('The rollout spec is not valid: steps: steps must rise: each weight larger than the one before');
    const unknown = await send(agent.url, '/admin/rollouts', { method: 'POST', headers: adminHeaders(agent.token), body: JSON.stringify({ strategy: 'blue-green', model: 'penguins' }) });
    expect(unknown.status).toBe(400);
    expect((await send(agent.url, '/admin/rollouts', { method: 'POST', headers: adminHeaders(agent.token), body: '{"strategy":' })).json().error).toMatch(/^The request body is not valid JSON/);
    const wrongVersion = await startRollout(agent, { strategy: 'canary', model: 'penguins', steps: [10], candidateVersion: '7' });
    expect(wrongVersion.status).toBe(409);
    expect(wrongVersion.json().error).toBe('The candidate loaded for model penguins is version 2, not 7.');
    expect((await startRollout(agent, { strategy: 'canary', model: 'walrus', steps: [10] })).status).toBe(404);
    expect((await rolloutAction(agent, 'rollout-nope', 'promote')).status).toBe(404);
    expect((await rolloutAction(agent, 'rollout-nope', 'explode')).status).toBe(404);
    expect((await send(agent.url, '/admin/rollouts', { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    const tooFast = await startRollout(agent, { strategy: 'canary', model: 'penguins', steps: [10], intervalMs: 5 });
    expect(tooFast.json().error).toBe('The rollout spec is not valid: intervalMs: Too small: expected number to be >=100');
    const huge = await send(agent.url, '/admin/rollouts', { method: 'POST', headers: adminHeaders(agent.token), body: JSON.stringify({ strategy: 'canary', model: 'penguins', steps: [10], pad: 'x'.repeat(100_000) }) });
    expect(huge.status).toBe(413);
    expect((await send(agent.url, '/admin/rollouts', { method: 'POST', headers: adminHeaders(agent.token, 'text/plain'), body: '{}' })).status).toBe(415);
    expect((await send(agent.url, '/admin/rollouts?model=../etc', { headers: adminHeaders(agent.token) })).status).toBe(400);
    expect((await send(agent.url, '/admin/rollouts', { method: 'DELETE', headers: adminHeaders(agent.token) })).status).toBe(405);
  });
});
