import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../agent/rollouts/rollout-clock.ts';
import { startAgent, type RunningAgent } from '../../agent/start-agent.ts';
import { cyclingDraw, predictions } from '../../agent/test-support/rollout-harness.ts';
import { loadOrCreateSigningKey } from '../bundles/signing-keys.ts';
import { recordGateReport } from '../gates/gate-results.ts';
import { MetricsSampler } from './metrics-sampler.ts';
import { privateFileSecrets } from './secret-store.ts';
import { TargetRecords, tokensDir } from './target-records.ts';
import { refusal } from '../testing/refusal.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { useTrainedWorkspace } from '../testing/trained-workspace.ts';

/**
 * Canary deploys from the workbench through the agent's rollout API, with the agent's time moved
 * by the test (clock.tick() ends an interval) and its traffic split fixed (every other request to
 * the candidate at 50 %): a good version promotes by itself, a bad one rolls back by itself, a
 * person promotes or aborts — and each ending is recorded in the workspace with the agent's
 * decisions, so a rollback can be explained after the fact.
 */
const trained = useTrainedWorkspace(1, 'lathe-deploy-rollouts-');
const tempDir = useTempDirs();
const agents: RunningAgent[] = [];
/** Versions whose every prediction throws (after they loaded fine). */
const broken = new Set<number>();

beforeAll(async () => {
  const { call, workspace, runIds, writer } = trained();
  for (let version = 1; version <= 4; version += 1) {
    await call('models:register', { workspace, runId: runIds[0]!, name: 'penguins' });
    await recordGateReport(writer, { id: `20261130T07000${version}.000Z-aaaaaa`, model: 'penguins', version, baseline: null, data: { name: 'penguins', version: 1, rows: 69, testSplit: true }, startedAt: new Date().toISOString(), durationMs: 1, outcome: 'pass', summary: 'every check passed.', checks: [] });
  }
}, 60_000);
afterEach(async () => {
  broken.clear();
  const { call } = trained();
  for (const { target } of await call('targets:list', { probe: false })) await call('targets:remove', { name: target.name });
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

async function target(): Promise<{ url: string; clock: ManualClock }> {
  const { call, workspace } = trained();
  const key = await loadOrCreateSigningKey(join(dirname(workspace), 'state'));
  const clock = new ManualClock();
  const agent = await startAgent({ dataDir: await tempDir(), trust: [key.publicKey], port: 0, workers: 1, latheVersion: 'test', warn: () => {}, clock, random: cyclingDraw(), hooks: { beforePredict: (version) => (broken.has(version) ? Promise.reject(new Error('the model threw on this input')) : Promise.resolve()) } });
  agents.push(agent);
  await call('targets:add', { name: 'edge-1', url: agent.url, token: agent.newAdminToken! });
  await call('deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1' });
  return { url: agent.url, clock };
}

const canary = { target: 'edge-1', strategy: 'canary' as const, steps: [50, 100], intervalMs: 30_000, thresholds: { minRequests: 5, failureLimit: 2 } };

describe('canary deploys', () => {
  it('starts a canary on the agent, refuses a second deploy meanwhile, and records the promotion the agent made by itself', async () => {
    const { call, workspace } = trained();
    const agent = await target();
    const started = await call('deploy:start', { workspace, ref: 'penguins@2', ...canary });
    expect(started).toMatchObject({ state: 'rolling-out', strategy: 'canary', steps: [50, 100], intervalMs: 30_000, previousVersion: '1' });
    expect(started.rolloutId).toBeTruthy();

    const second = await refusal(call('deploy:start', { workspace, ref: 'penguins@3', target: 'edge-1' }));
    expect(second).toMatchObject({ code: 'CONFLICT' });
    expect(second.message).toContain(`deployment ${started.id}`);
    expect(second.hint).toMatch(/lathe deploy promote penguins --target edge-1/);

    const [status] = await call('deploy:status', { workspace, target: 'edge-1' });
    expect(status!.models[0]).toMatchObject({ name: 'penguins', stableVersion: '1', candidateVersion: '2', candidateWeight: 50, rollout: started.rolloutId, rolloutStatus: { phase: 'progressing', step: 0 } });

    await predictions(agent.url, 20);
    await agent.clock.tick();
    await predictions(agent.url, 6);
    await agent.clock.tick();

    const { deployment, rollout } = await call('deploy:rollout', { workspace, id: started.id });
    expect(rollout).toMatchObject({ phase: 'promoted', weight: 100 });
    expect(rollout!.analyses.map((a) => a.verdict)).toEqual(['passed', 'passed']);
    expect(deployment).toMatchObject({ state: 'succeeded', outcome: 'Promoted: penguins@2 serves all traffic on edge-1.' });
    expect(deployment.endedAt).not.toBeNull();
    const kinds = deployment.events.map((e) => e.kind);
    expect(kinds.slice(0, 6)).toEqual(['started', 'gates-checked', 'packaged', 'uploaded', 'monitoring', 'rollout-started']);
    expect(kinds.filter((k) => k === 'agent-decision')).toHaveLength(rollout!.decisions.length);
    expect(kinds.at(-1)).toBe('promoted');
    // Ended: the next deploy of the model is no longer refused.
    expect((await call('deploy:start', { workspace, ref: 'penguins@3', target: 'edge-1' })).state).toBe('succeeded');
  });

  it('records the rollback the agent made by itself when the new version fails, with the reason from its analysis', async () => {
    const { call, workspace } = trained();
    const agent = await target();
    const started = await call('deploy:start', { workspace, ref: 'penguins@3', ...canary });
    broken.add(3); // it loaded and answered its readiness check; now every request it gets throws
    for (let round = 0; round < 2; round += 1) {
      await predictions(agent.url, 20);
      await agent.clock.tick();
    }
    const [history] = await call('deploy:history', { workspace, limit: 1 });
    expect(history!.state).toBe('rolling-out'); // nobody has looked yet
    // The app's sampler looks at its next round, and tells the pages (deployments:changed) once.
    const stateDir = join(dirname(workspace), 'state');
    const settled: string[] = [];
    const sampler = new MetricsSampler({ targets: { targets: new TargetRecords(stateDir), secrets: privateFileSecrets(tokensDir(stateDir)) }, workspaces: async () => [trained().writer], intervalMs: 10_000, retentionDays: 1, settled: (_, deployment) => settled.push(`${deployment.id} ${deployment.state}`) });
    await sampler.tick();
    await sampler.tick();
    expect(settled).toEqual([`${started.id} rolled-back`]);
    const [status] = await call('deploy:status', { workspace, target: 'edge-1' });
    expect(status!.models[0]).toMatchObject({ stableVersion: '1', candidateVersion: null, candidateWeight: 0 });
    const { deployment } = await call('deploy:rollout', { workspace, id: started.id });
    expect(deployment.state).toBe('rolled-back');
    expect(deployment.outcome).toMatch(/^Rolled back: penguins@1 serves all traffic on edge-1 \(Rolled back automatically after 2 failed analyses .*error rate 1\.00 > 0\.01/);
    expect(deployment.events.filter((e) => e.kind === 'agent-decision').map((e) => e.message)).toContainEqual(expect.stringMatching(/^analysis-failed: Analysis 1 of 2 allowed failed .*: error rate 1\.00 > 0\.01 \(10 of 10 requests failed\)\.$/));
  });

  it("promotes or rolls back on a person's word, and says when there is nothing to act on", async () => {
    const { call, workspace } = trained();
    await target();
    const first = await call('deploy:start', { workspace, ref: 'penguins@2', ...canary });
    const promoted = await call('deploy:promote', { workspace, target: 'edge-1', model: 'penguins' });
    expect(promoted).toMatchObject({ id: first.id, state: 'succeeded' });
    expect((await call('deploy:history', { workspace, limit: 1 }))[0]!.events.some((e) => /promoted by .* from Lathe/.test(e.message))).toBe(true);

    const second = await call('deploy:start', { workspace, ref: 'penguins@4', ...canary });
    const aborted = await call('deploy:abort', { workspace, target: 'edge-1', model: 'penguins' });
    expect(aborted).toMatchObject({ id: second.id, state: 'rolled-back' });
    expect(aborted.outcome).toMatch(/^Aborted: penguins@2 serves all traffic on edge-1/);

    const nothing = await refusal(call('deploy:abort', { workspace, target: 'edge-1', model: 'penguins' }));
    expect(nothing).toMatchObject({ code: 'FAILED_PRECONDITION', message: 'No rollout of penguins is running on edge-1, so there is nothing to abort.' });
  });

  it('starts an A/B test with its weight and routing, and a shadow, on the agent; a person ends each', async () => {
    const { call, workspace } = trained();
    await target();
    const ab = await call('deploy:start', { workspace, ref: 'penguins@2', target: 'edge-1', strategy: 'ab', weight: 20, routing: { kind: 'header', name: 'X-User' } });
    expect(ab).toMatchObject({ strategy: 'ab', state: 'rolling-out', steps: null, intervalMs: 60_000 });
    const { rollout } = await call('deploy:rollout', { workspace, id: ab.id });
    expect(rollout).toMatchObject({ strategy: 'ab', phase: 'progressing', spec: { strategy: 'ab', weight: 20, routing: { kind: 'header', name: 'X-User' } } });
    expect(await call('deploy:abort', { workspace, target: 'edge-1', model: 'penguins' })).toMatchObject({ id: ab.id, state: 'rolled-back' });

    const shadow = await call('deploy:start', { workspace, ref: 'penguins@2', target: 'edge-1', strategy: 'shadow', intervalMs: 5000 });
    expect((await call('deploy:rollout', { workspace, id: shadow.id })).rollout).toMatchObject({ strategy: 'shadow', weight: 0, spec: { intervalMs: 5000 } });
    expect(await call('deploy:promote', { workspace, target: 'edge-1', model: 'penguins' })).toMatchObject({ id: shadow.id, state: 'succeeded', outcome: 'Promoted: penguins@2 serves all traffic on edge-1.' });
    expect((await refusal(call('deploy:start', { workspace, ref: 'penguins@3', target: 'edge-1', strategy: 'shadow', weight: 20 }))).message).toBe('--weight is for ab deploys; this one is shadow.');
  });
});
