import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../agent/start-agent.ts';
import { loadOrCreateSigningKey } from '../core/bundles/signing-keys.ts';
import { recordGateReport } from '../core/gates/gate-results.ts';
import { useTrainedWorkspace } from '../core/testing/trained-workspace.ts';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { runCli } from './cli-app.ts';
import { durationOption, stepsOption } from './commands/deploy-commands.ts';
import { latheFiles } from './lathe-files.ts';

const trained = useTrainedWorkspace(1, 'lathe-deploy-cli-');
const tempDir = useTempDirs();
const files = latheFiles(new URL('./lathe.ts', import.meta.url));
const agents: RunningAgent[] = [];

beforeAll(async () => {
  const { call, workspace, runIds, writer } = trained();
  await call('models:register', { workspace, runId: runIds[0]!, name: 'penguins' });
  await recordGateReport(writer, { id: '20261130T070000.000Z-aaaaaa', model: 'penguins', version: 1, baseline: null, data: { name: 'penguins', version: 1, rows: 69, testSplit: true }, startedAt: new Date().toISOString(), durationMs: 1, outcome: 'pass', summary: 'every check passed.', checks: [] });
}, 60_000);
afterEach(async () => Promise.all(agents.splice(0).map((agent) => agent.close())));

async function lathe(...argv: string[]) {
  const { workspace } = trained();
  const out: string[] = [];
  const err: string[] = [];
  process.env.LATHE_CONFIG_DIR = join(dirname(workspace), 'state');
  const code = await runCli([...argv, '-w', workspace], { out: (t) => out.push(t), err: (t) => err.push(t), cwd: dirname(workspace), version: '9.9.9', files });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lathe targets, lathe deploy', () => {
  it('adds a target from a token file, deploys a gated version, and shows status and history, as text and JSON', async () => {
    const { workspace } = trained();
    const key = await loadOrCreateSigningKey(join(dirname(workspace), 'state'));
    const agent = await startAgent({ dataDir: await tempDir(), trust: [key.publicKey], port: 0, workers: 1, latheVersion: 'test-agent', warn: () => {} });
    agents.push(agent);
    const tokenFile = join(await tempDir(), 'edge.token');
    await writeFile(tokenFile, `${agent.newAdminToken}\n`);

    expect(await lathe('targets', 'add', 'edge-1', agent.url, '--token', agent.newAdminToken!)).toMatchObject({ code: 2 });
    expect((await lathe('targets', 'add', 'edge-1', agent.url)).err).toMatch(/--token-file FILE/);
    const added = await lathe('targets', 'add', 'edge-1', agent.url, '--token-file', tokenFile);
    expect(added.code, added.out).toBe(0);
    expect(added.out).toContain(`Added target edge-1 (${agent.url}): agent test-agent, ready, token accepted; serving none yet.`);
    expect(added.out).not.toContain(agent.newAdminToken);

    const listed = await lathe('targets', 'list', '--json');
    expect(JSON.parse(listed.out)[0]).toMatchObject({ target: { name: 'edge-1' }, health: { reachable: true, authorized: true } });

    const deployed = await lathe('deploy', 'penguins@1', '--target', 'edge-1');
    expect(deployed.code, deployed.out).toBe(0);
    expect(deployed.err.split('\n')).toEqual([
      'Deploying penguins@1 to edge-1 (replace)…',
      '  Packaging and signing penguins@1…',
      expect.stringMatching(/^ {2}Uploading \d+ bytes to edge-1 \(http:\/\/127\.0\.0\.1:\d+\)…$/),
      '  edge-1 verified and loaded penguins@1.',
      '  Sending the training reference of penguins@1…',
      // How the agent judges drift is not this test's: that it was said, one way or the other, is.
      expect.stringMatching(/^ {2}(Sent the training reference penguins@1 \(344 rows, .*\) to edge-1: drift is judged against it\.|Drift will not be judged for penguins@1 on edge-1: .+)$/),
    ]);
    expect(deployed.out).toMatch(/^Deployment dep-\S+ \(edge-1\/penguins\): penguins@1 to edge-1 \(replace\) — succeeded\. penguins@1 serves all traffic on edge-1\.\nWatch it: lathe monitor report edge-1\/penguins$/);

    const status = await lathe('deploy', 'status');
    expect(status.out).toMatch(/edge-1\/penguins\s+1\s+—\s+—/);
    const history = await lathe('deploy', 'history', '--events');
    expect(history.out).toMatch(/penguins@1\s+edge-1\/penguins\s+replace\s+succeeded/);
    expect(history.out).toMatch(/switched\s+penguins@1 serves all traffic on edge-1\./);
    const json = JSON.parse((await lathe('deploy', 'history', '--json')).out);
    expect(json[0]).toMatchObject({ name: 'edge-1/penguins', model: 'penguins', version: 1, state: 'succeeded' });

    expect(await lathe('deploy', 'rollback', 'penguins', '--target', 'edge-1')).toMatchObject({ code: 1 });
    expect((await lathe('targets', 'remove', 'edge-1')).out).toBe('Removed target edge-1 and its token. What it serves goes on serving.');
  });

  it('checks its flags before asking anything: strategies, steps, durations, a target', async () => {
    expect((await lathe('deploy', 'penguins@1')).err).toMatch(/Name the target with --target T/);
    const strategy = await lathe('deploy', 'penguins@1', '--target', 'x', '--strategy', 'blue-green');
    expect(strategy).toMatchObject({ code: 2 });
    expect(strategy.err).toMatch(/--strategy is one of replace, canary, ab, shadow; got "blue-green"/);
    expect((await lathe('deploy', 'penguins@1', '--target', 'x', '--strategy', 'canary', '--interval', '30')).err).toMatch(/--interval takes a duration like 500ms, 30s, 2m or 1h/);
    expect((await lathe('deploy', 'penguins@1', '--target', 'x', '--strategy', 'canary', '--steps', '50,10')).err).toMatch(/--steps takes rising percents/);
  });
});

describe('durations and steps on the command line', () => {
  it('reads 500ms, 30s, 2m and 1h, and nothing looser', () => {
    expect([durationOption('500ms', '--interval', 1, 1e9), durationOption('30s', '--interval', 1, 1e9), durationOption('2m', '--interval', 1, 1e9), durationOption('1h', '--interval', 1, 1e9)]).toEqual([500, 30_000, 120_000, 3_600_000]);
    expect(durationOption(undefined, '--interval', 1, 1e9)).toBeUndefined();
    for (const bad of ['30', '1.5s', ' 30s', '30 s', '30S', '-5s', '1e3ms', '30s5', '', 'PT30S']) expect(() => durationOption(bad, '--interval', 1, 1e9), bad).toThrow(/--interval takes a duration/);
    expect(() => durationOption('500ms', '--interval', 1000, 1e9)).toThrow(/from 1s to/);
  });

  it('reads rising whole percents', () => {
    expect(stepsOption('10,25,50,100')).toEqual([10, 25, 50, 100]);
    for (const bad of ['', '0,50', '10,10', '50,10', '10,101', '10,,50', '1.5', 'ten']) expect(() => stepsOption(bad), bad).toThrow(/--steps takes rising percents/);
  });
});
