import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RetrainPolicy } from '../../../shared/contract/retraining.ts';
import { defaultPolicy } from '../../core/retraining/policy-file.ts';
import { useTempDirs } from '../../core/testing/temp-dir.ts';
import { runCli } from '../cli-app.ts';
import { latheFiles } from '../lathe-files.ts';
import { applySetFlags } from './retrain-policy-flags.ts';

const tempDir = useTempDirs();
const files = latheFiles(new URL('../lathe.ts', import.meta.url));

async function lathe(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  process.env.LATHE_CONFIG_DIR = join(cwd, '.state');
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), cwd, version: '9.9.9', files });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lathe retrain set: flags change only what they name', () => {
  const base: RetrainPolicy = defaultPolicy('churn');

  it('reads the example from the help into a policy', () => {
    const policy = applySetFlags(base, { onAlert: 'drift,accuracy', onNewData: true, every: '24h', target: 'edge-1', strategy: 'canary', approve: 'deploy', maxPerDay: '3', cooldown: '60m' });
    expect(policy).toEqual({
      ...base,
      enabled: true,
      triggers: { alerts: ['feature-drift', 'dataset-drift', 'accuracy-below'], newData: true, everyHours: 24 },
      deploy: { target: 'edge-1', strategy: 'canary' },
      approval: { train: 'auto', register: 'auto', deploy: 'ask' },
      caps: { maxRunsPerDay: 3, cooldownMinutes: 60 },
    });
    // A later `set` keeps what it does not name.
    const later = applySetFlags(policy, { steps: '10,50,100', every: 'none' });
    expect(later).toMatchObject({ triggers: { alerts: policy.triggers.alerts, everyHours: null }, deploy: { target: 'edge-1', strategy: 'canary', steps: [10, 50, 100] }, caps: policy.caps });
    expect(applySetFlags(later, { off: true }).enabled).toBe(false);
    expect(applySetFlags(later, { noDeploy: true }).deploy).toBeNull();
  });

  it.each([
    [{ onAlert: 'drfit' }, /--on-alert: "drfit" is not an alert kind\. Use drift, feature-drift/],
    [{ every: '90m' }, /--every is a whole number of hours/],
    [{ every: 'daily' }, /--every takes a duration like 30s, 60m, 24h or 2d; got "daily"/],
    [{ strategy: 'canary' }, /Say where the challenger goes: --target NAME/],
    [{ target: 'edge-1', strategy: 'blue-green' }, /--strategy is one of canary, shadow; got "blue-green"/],
    [{ target: 'edge-1', steps: '50,25' }, /--steps must rise, like 10,25,50,100/],
    [{ approve: 'deploy,promote' }, /--approve is one of train, register, deploy; got "promote"/],
    [{ maxPerDay: '0' }, /--max-per-day takes a whole number from 1 to 100; got "0"/],
    [{ noDeploy: true, target: 'edge-1' }, /--no-deploy .* cannot go with --target/],
  ])('refuses %j, saying what to type', (flags, message) => {
    expect(() => applySetFlags(base, flags)).toThrow(message);
  });
});

describe('lathe retrain', () => {
  it('sets a policy, runs a retrain that waits for approval, rejects it and shows the timeline', { timeout: 120_000 }, async () => {
    const root = await tempDir();
    await lathe(root, 'init', 'ws');
    const ws = join(root, 'ws');
    expect((await lathe(ws, 'data', 'import', new URL('../../../resources/samples/penguins.csv', import.meta.url).pathname, '--name', 'penguins')).code).toBe(0);
    const trained = JSON.parse((await lathe(ws, 'train', '--dataset', 'penguins', '--target', 'Species', '--model', 'linear', '--epochs', '2', '--json')).out) as { runId: string };
    expect((await lathe(ws, 'models', 'register', trained.runId, '--name', 'penguins')).code).toBe(0);
    expect((await lathe(ws, 'models', 'alias', 'penguins@1', 'champion')).code).toBe(0);

    const none = await lathe(ws, 'retrain', 'policy', 'penguins');
    expect(none.out).toContain('Retraining of penguins: OFF (no retraining/penguins.json yet: the default)');

    const set = await lathe(ws, 'retrain', 'set', 'penguins', '--on-alert', 'drift', '--no-deploy', '--approve', 'register', '--max-per-day', '2', '--cooldown', '0');
    expect(set.code).toBe(0);
    expect(set.out).toContain('Committed retraining/penguins.json.');
    expect(set.out).toContain('a person approves register');

    const run = await lathe(ws, 'retrain', 'run', 'penguins', '--json');
    expect(run.code).toBe(0);
    const started = JSON.parse(run.out) as { run: { id: string; state: string } };
    expect(started.run.state).toBe('waiting-approval');

    const noReason = await lathe(ws, 'retrain', 'reject', started.run.id);
    expect(noReason.code).toBe(2);
    expect(noReason.err).toContain('Name why, with --reason');
    const rejected = await lathe(ws, 'retrain', 'reject', started.run.id, '--reason', 'not this week');
    expect(rejected.out).toMatch(/STOPPED/);
    expect(rejected.out).toMatch(/why: the register step was rejected by .+: not this week/);

    const runs = await lathe(ws, 'retrain', 'runs', 'penguins');
    expect(runs.out).toContain(started.run.id);
    const timeline = await lathe(ws, 'retrain', 'timeline', 'penguins');
    expect(timeline.out.split('\n').map((line) => line.slice(21, 35).trim())).toEqual(['version', 'trigger', 'run', 'run', 'approval-asked', 'rejected', 'outcome']);

    const unknown = await lathe(ws, 'retrain', 'approve', 'rt-20260101T120000Z-a1b2c3');
    expect(unknown.err).toContain('There is no retrain run rt-20260101T120000Z-a1b2c3 in this workspace.');
  });
});
