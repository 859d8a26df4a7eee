import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Prediction } from '../../core/serving/serving-messages.ts';
import { useTempDirs } from '../../core/testing/temp-dir.ts';
import type { AgentOptions } from '../start-agent.ts';
import { json, send, tensorsOf } from '../test-support/agent-client.ts';
import { predictions, rolloutAction, rolloutAgent, rolloutStatus, startRollout, withCandidate, type RolloutAgent } from '../test-support/rollout-harness.ts';
import { ADELIE, trainPenguinBundles, type TrainedBundles } from '../test-support/trained-bundles.ts';

/**
 * Shadow and A/B rollouts: a shadow candidate sees every request and answers none; an A/B test
 * assigns each user to one arm for good, joins the feedback on its answers to that arm, and
 * reports each arm's outcome with an interval, a test and the sample size still needed.
 */
const tempDir = useTempDirs();
let bundles: TrainedBundles;
let bundlesDir: string;
const running: RolloutAgent[] = [];

beforeAll(async () => {
  bundlesDir = await mkdtemp(join(tmpdir(), 'lathe-ab-bundles-'));
  bundles = await trainPenguinBundles(bundlesDir);
}, 120_000);
afterAll(() => rm(bundlesDir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(running.splice(0).map((agent) => agent.close()));
});

async function agentWithCandidate(options: Partial<AgentOptions> = {}): Promise<RolloutAgent> {
  const agent = await rolloutAgent(bundles, await tempDir(), options);
  running.push(agent);
  await withCandidate(agent, bundles, bundles.v2);
  return agent;
}

const flipped = (p: Prediction): Prediction => ({ ...p, predicted: String(p.predicted) === 'Adelie' ? 'Gentoo' : 'Adelie' } as Prediction);
const feedback = (url: string, body: unknown) => send(url, '/v2/models/penguins/feedback', json(body));

describe('shadow rollouts', () => {
  it('mirrors every request to the candidate, answers from stable only, and records how the candidate compares', async () => {
    const agent = await agentWithCandidate({ hooks: { afterPredict: (version, predicted) => (version === 2 ? predicted.map(flipped) : predicted) } });
    const started = await startRollout(agent, { strategy: 'shadow', model: 'penguins', intervalMs: 10_000 });
    expect(started.status, started.text).toBe(201);
    const { id } = started.json();
    const answers = await predictions(agent.url, 8);
    expect(answers.map((answer) => `${answer.json().model_version} ${answer.headers['x-lathe-arm']}`)).toEqual(Array(8).fill('1 stable'));
    await agent.clock.tick();
    const status = await rolloutStatus(agent, id);
    expect(status).toMatchObject({ phase: 'progressing', weight: 0 });
    expect(status.analyses[0]).toMatchObject({ verdict: 'observed', stable: { requests: 8, errors: 0 }, candidate: { version: '2', requests: 8, errors: 0, compared: 8, disagreement: 1 } });
    expect(status.analyses[0].reason).toMatch(/^candidate mirrored 8 requests, 0 failed, p99 \d+ ms, disagreement 1\.00 over 8 rows; no automatic decision \(shadow\): promote or abort when ready\.$/);
    const metrics = (await send(agent.url, '/metrics')).text;
    expect(metrics).toContain('lathe_agent_routed_requests_total{model="penguins",version="2",arm="shadow"} 8');
    expect(metrics).not.toContain('arm="candidate"');
    // A person decides: promote makes the shadow stable.
    expect((await rolloutAction(agent, id, 'promote')).json().phase).toBe('promoted');
    expect((await predictions(agent.url, 1))[0]!.json().model_version).toBe('2');
  });
});

describe('A/B rollouts', () => {
  it('keeps a user on one arm (by header), names the arm and request id in every reply, and splits users by weight', async () => {
    const agent = await agentWithCandidate();
    const started = await startRollout(agent, { strategy: 'ab', model: 'penguins', weight: 50, routing: { kind: 'header', name: 'X-User' } });
    expect(started.status, started.text).toBe(201);
    const answers = await predictions(agent.url, 12, (i) => ({ 'X-User': `user-${i}` }));
    for (const answer of answers) {
      expect(answer.headers['x-request-id']).toBe(answer.json().id);
      expect(answer.headers['x-lathe-arm']).toBe(answer.json().model_version === '2' ? 'candidate' : 'stable');
    }
    // The same user, again and again, on the same arm; and users on both arms.
    for (const [i, answer] of answers.entries()) {
      const again = await predictions(agent.url, 3, () => ({ 'X-User': `user-${i}` }));
      expect(again.map((a) => a.headers['x-lathe-arm']), `user-${i}`).toEqual(Array(3).fill(answer.headers['x-lathe-arm']));
    }
    expect(new Set(answers.map((answer) => answer.headers['x-lathe-arm']))).toEqual(new Set(['stable', 'candidate']));
    // parameters.request_key in the body wins over the header, and sticks as well.
    const byBody = async () => (await send(agent.url, '/v2/models/penguins/infer', { ...json({ inputs: tensorsOf([ADELIE]), parameters: { request_key: 'account-42' } }), headers: { 'Content-Type': 'application/json', 'X-User': `someone-${Math.random()}` } })).headers['x-lathe-arm'];
    const first = await byBody();
    expect([await byBody(), await byBody(), await byBody()]).toEqual([first, first, first]);
    const status = await rolloutStatus(agent, started.json().id);
    expect(status.experiment).toMatchObject({ metric: null, unkeyed: 0, test: null, power: null });
    expect(status.experiment.stable.routed + status.experiment.candidate.routed).toBe(12 + 36 + 4);
  });

  it('joins rewards to the arm that answered and reports Welch\'s test, intervals and power as SciPy does', async () => {
    const agent = await agentWithCandidate();
    const { id } = (await startRollout(agent, { strategy: 'ab', model: 'penguins', weight: 50 })).json();
    // Rewards chosen per arm; SciPy: stats.ttest_ind(candidate, stable, equal_var=False) → t 2.742840311951654, p 0.01700530819722529
    const rewards = { stable: [1.0, 2.5, 3.1, 0.4, 2.2, 1.9, 3.3, 2.8], candidate: [2.9, 3.5, 4.1, 2.2, 3.8, 3.0, 4.4] };
    const left = { stable: [...rewards.stable], candidate: [...rewards.candidate] };
    for (let i = 0; left.stable.length + left.candidate.length > 0; i++) {
      const request = await send(agent.url, '/v2/models/penguins/infer', json({ id: `order-${i}`, inputs: tensorsOf([ADELIE]), parameters: { request_key: `user-${i}` } }));
      const arm = request.headers['x-lathe-arm'] as 'stable' | 'candidate';
      const reward = left[arm].shift();
      if (reward === undefined) continue;
      const joined = await feedback(agent.url, { id: `order-${i}`, reward });
      expect(joined.status, joined.text).toBe(200);
      expect(joined.json()).toMatchObject({ id: `order-${i}`, arm, rollout: id, correct: null });
    }
    const { experiment } = await rolloutStatus(agent, id);
    expect(experiment).toMatchObject({ metric: 'reward', stable: { n: 8, successes: null }, candidate: { n: 7, successes: null } });
    expect(experiment.stable.mean).toBeCloseTo(2.15, 12);
    expect(experiment.test.kind).toBe('welch-t');
    expect(experiment.test.statistic).toBeCloseTo(2.742840311951654, 9);
    expect(experiment.test.pValue).toBeCloseTo(0.01700530819722529, 6);
    expect(experiment.stable.ci95[0]).toBeCloseTo(1.3009432388378002, 6); // mean ± stats.t.ppf(0.975, 7) · s/√n
    expect(experiment.power).toEqual({ neededPerArm: 8, remainingPerArm: 1 });
  });

  it('joins labels as right or wrong, and refuses unknown, repeated, mixed, malformed and huge feedback clearly', async () => {
    const agent = await agentWithCandidate();
    const { id } = (await startRollout(agent, { strategy: 'ab', model: 'penguins', weight: 50 })).json();
    const answer = (await predictions(agent.url, 1))[0]!;
    const requestId = answer.headers['x-request-id'] as string;
    const predicted = answer.json().outputs[0].data[0];
    const right = await feedback(agent.url, { id: requestId, label: predicted });
    expect(right.json()).toMatchObject({ id: requestId, rollout: id, correct: true });
    const again = await feedback(agent.url, { id: requestId, label: predicted });
    expect(again.status).toBe(409);
    // Every answered request is recorded (monitoring/), so the recorder is what refuses a second label.
    expect(again.json().error).toMatch(new RegExp(`^Request "${requestId}" of model penguins was already labelled at .+; a label is never overwritten\\.$`));
    const other = (await predictions(agent.url, 1))[0]!;
    const mixed = await feedback(agent.url, { id: other.headers['x-request-id'], reward: 1 });
    expect(mixed.status).toBe(400);
    expect(mixed.json().error).toBe(`Rollout ${id} measures accuracy from labels; send "label", not "reward", so the arms stay comparable.`);
    expect((await feedback(agent.url, { id: other.headers['x-request-id'], label: 'Chinstrap' })).json().correct).toBe(predicted === 'Chinstrap');
    const experiment = (await rolloutStatus(agent, id)).experiment;
    expect(experiment.stable.n + experiment.candidate.n).toBe(2);
    expect(experiment.metric).toBe('accuracy');

    const unknown = await feedback(agent.url, { id: 'never-sent', label: 'Adelie' });
    expect(unknown.status).toBe(404);
    expect(unknown.json().error).toBe('No prediction with request id "never-sent" was recorded for model penguins.');
    expect((await send(agent.url, '/v2/models/penguins/feedback', { headers: { 'Content-Type': 'application/json' }, body: '{"id": "x", "label":' })).json()).toMatchObject({ code: 'INVALID_INPUT', error: expect.stringMatching(/^The request body is not valid JSON/) });
    const neither = await feedback(agent.url, { id: requestId });
    expect(neither.status).toBe(400);
    expect(neither.json().hint).toBe('Send {"id": REQUEST_ID, "label": TRUE_LABEL}, {"id": REQUEST_ID, "labels": [ONE, PER, ROW]} or {"id": REQUEST_ID, "reward": NUMBER}.');
    expect((await feedback(agent.url, { id: requestId, label: 'Adelie', extra: 1 })).status).toBe(400);
    expect((await feedback(agent.url, { id: requestId, reward: 'lots' })).status).toBe(400);
    const huge = await feedback(agent.url, { id: requestId, label: 'x'.repeat(2_000_000) });
    expect(huge.status).toBe(413);
    expect(huge.json().code).toBe('TOO_LARGE');
    expect((await send(agent.url, '/v2/models/penguins/feedback', { headers: { 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await send(agent.url, '/v2/models/penguins/feedback')).status).toBe(405);
    expect((await send(agent.url, '/v2/models/%ZZ/feedback', json({ id: 'a', reward: 1 }))).status).toBe(400);
  });
});
