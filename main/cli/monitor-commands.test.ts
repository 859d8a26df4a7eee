import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeploymentLog } from '../core/deploy/deployment-log.ts';
import { privateFileSecrets } from '../core/deploy/secret-store.ts';
import { TargetRecords, tokensDir } from '../core/deploy/target-records.ts';
import { coreOnNewWorkspace } from '../core/testing/core-fixture.ts';
import { fakeMonitoringAgent, windowSummary, type FakeMonitoringAgent } from '../core/testing/fake-monitoring-agent.ts';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { Workspace } from '../core/workspace/workspace.ts';
import { runCli } from './cli-app.ts';
import { latheFiles } from './lathe-files.ts';

/**
 * `lathe monitor report|history|configure TARGET/MODEL` against an agent speaking the monitoring
 * contract (a fake HTTP server): what a person reads, the JSON, the exit codes, and the refusals.
 */
const tempDir = useTempDirs();
const files = latheFiles(new URL('./lathe.ts', import.meta.url));
let workspace: string;
let stateDir: string;
let agent: FakeMonitoringAgent;
let fixture: Awaited<ReturnType<typeof coreOnNewWorkspace>>;

const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`;

beforeEach(async () => {
  const root = await tempDir();
  fixture = await coreOnNewWorkspace(root);
  workspace = fixture.workspace;
  stateDir = join(root, 'cli-state');
  agent = await fakeMonitoringAgent('penguins');
  await new TargetRecords(stateDir).add({ name: 'edge-1', url: agent.url, addedAt: at(0), tokenStorage: 'private-file', secretId: 'edge-1-cli' }, false);
  await privateFileSecrets(tokensDir(stateDir)).put('edge-1-cli', agent.token);
  const writer = await Workspace.open(workspace);
  const log = new DeploymentLog(writer.db);
  const deployment = log.begin({ model: 'penguins', version: 1, ref: 'penguins@1', target: 'edge-1', targetUrl: agent.url, strategy: 'replace', steps: null, intervalMs: null, thresholds: null, gate: { outcome: 'pass', reportId: null, summary: 'passed' }, overrideReason: null, previousVersion: null });
  log.update(deployment.id, { state: 'succeeded', outcome: 'penguins@1 serves all traffic on edge-1.' });
  writer.close();
  agent.state.windows = [
    windowSummary('penguins', 0, { startedAt: at(0), endedAt: at(2), labelled: 400, accuracy: 0.93 }),
    windowSummary('penguins', 1, { startedAt: at(2), endedAt: null, rows: 12, drifted: ['bill_length_mm'], unjudged: ['flipper_length_mm'] }),
  ];
  agent.state.recorder = { ...agent.state.recorder, recorded: 512, dropped: 7, droppedBy: { 'store-full': 7, 'disk-error': 0, 'queue-full': 0 }, problem: 'The prediction store is full (1 GiB).' };
});

afterEach(async () => {
  await agent.close();
  await fixture.core.close();
});

async function lathe(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  process.env.LATHE_CONFIG_DIR = stateDir;
  const code = await runCli([...argv, '-w', workspace], { out: (t) => out.push(t), err: (t) => err.push(t), cwd: workspace, version: '9.9.9', files });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lathe monitor report', () => {
  it('prints per feature the method, score, threshold and verdict, says "not enough data" as such, marks the estimate, and shouts about dropped records', async () => {
    const report = await lathe('monitor', 'report', 'edge-1/penguins');
    expect(report.code, report.err).toBe(0);
    const lines = report.out.split('\n');
    expect(lines[0]).toBe(`edge-1/penguins — penguins version 1, window 1 (12 predictions, 2026-11-30 10:02:00–now, open)`);
    expect(report.out).toMatch(/bill_length_mm\s+wasserstein\s+0\.31\s+≥ 0\.1\s+DRIFT/);
    expect(report.out).toMatch(/flipper_length_mm\s+wasserstein\s+·\s+≥ 0\.1\s+not enough data \(12 values; 30 needed\)/);
    expect(report.out).toContain('Dataset drift: 1 of 2 judged features drifted (50 %) — DRIFT.');
    expect(report.out).toContain("Estimated accuracy (an ESTIMATE from the model's calibrated confidence, CBPE; not measured): 0.9 (0.85–0.95).");
    expect(report.out).toContain('!! 7 PREDICTIONS DROPPED, not recorded (store-full 7). Serving went on; monitoring did not see them.');
    // The default alert rules (main/core/alerts) ran on the windows the report fetched: dropped records raise one.
    expect(report.out).toMatch(/\nOpen alerts \(1\):\n {2}\w+ {2}.*dropped 7 .*\(raised .*; id \S+\)$/);

    const first = await lathe('monitor', 'report', 'edge-1/penguins', '--window', '0');
    expect(first.out).toContain('Accuracy: 0.93 (0.88–0.98) (400 of 500 labelled).');

    const json = await lathe('monitor', 'report', 'edge-1/penguins', '--json');
    expect(JSON.parse(json.out)).toMatchObject({ deployment: 'edge-1/penguins', stale: false, windows: [{ index: 0 }, { index: 1 }] });
  });

  it('shows what the workspace kept, marked stale and saying why, with exit code 3, when the agent cannot be reached', async () => {
    expect((await lathe('monitor', 'report', 'edge-1/penguins')).code).toBe(0);
    await agent.close();
    const stale = await lathe('monitor', 'report', 'edge-1/penguins');
    expect(stale.code).toBe(3);
    expect(stale.out).toMatch(/^STALE: the agent could not be asked; this is what the workspace kept at 2026-\d\d-\d\d \d\d:\d\d:\d\d\.\n {2}Could not reach target edge-1 at http:\/\/127\.0\.0\.1:\d+: nothing is listening there/m);
    expect(JSON.parse((await lathe('monitor', 'report', 'edge-1/penguins', '--json')).out)).toMatchObject({ stale: true });
  });

  it('refuses a name without its target, an unknown target, and a window that does not exist, saying how to name things', async () => {
    const bare = await lathe('monitor', 'report', 'penguins');
    expect(bare.code).toBe(2);
    expect(bare.err).toContain('"penguins" is not a deployment name: name a deployment TARGET/MODEL, like edge-1/penguins');
    const target = await lathe('monitor', 'report', 'edge-9/penguins');
    expect(target.code).toBe(1);
    expect(target.err).toContain('edge-9/penguins: no target named edge-9; targets: edge-1.');
    const window = await lathe('monitor', 'report', 'edge-1/penguins', '--window', '9');
    expect(window.code).toBe(1);
    expect(window.err, window.err).toContain('edge-1/penguins has no window 9; the windows kept are 0–1.');
    expect((await lathe('monitor', 'report', 'edge-1/penguins', '--window', 'last')).code).toBe(2);
  });
});

describe('lathe monitor history and configure', () => {
  it('lists the kept windows one per line', async () => {
    expect((await lathe('monitor', 'history', 'edge-1/penguins')).out).toMatch(/^No windows of edge-1\/penguins are kept yet/);
    await lathe('monitor', 'report', 'edge-1/penguins');
    const history = await lathe('monitor', 'history', 'edge-1/penguins');
    expect(history.out).toMatch(/\n\s*0\s+2026-11-30 10:00:00\s+2026-11-30 10:02:00\s+500\s+no drift\s+—\s+0\.93/);
    expect(history.out).toMatch(/\n\s*1\s+2026-11-30 10:02:00\s+open\s+12\s+DRIFT\s+bill_length_mm\s+~0\.9 \(est\.\)/);
  });

  it("changes the agent's settings and prints them in full; refuses values out of range before asking", async () => {
    const set = await lathe('monitor', 'configure', 'edge-1/penguins', '--sample-rate', '0.25', '--window', '60s', '--max-store-bytes', '512MiB');
    expect(set.code, set.err).toBe(0);
    expect(set.out).toBe('edge-1/penguins now records 25 % of predictions, closes a window every 60 s,\njudges a column on at least 30 values, keeps records 30 days and at most 536870912 bytes.');
    expect(agent.state.settings).toMatchObject({ sampleRate: 0.25, window: { kind: 'time', seconds: 60 }, maxStoreBytes: 536_870_912 });
    for (const [flag, value, said] of [
      ['--sample-rate', '0', /--sample-rate takes a number above 0 up to 1/],
      ['--sample-rate', '1.5', /--sample-rate takes a number/],
      ['--window', '5', /--window takes a number of predictions from 10/],
      ['--window', '10d', /--window takes/],
      ['--max-store-bytes', '1KiB', /--max-store-bytes takes a size from 1MiB to 1TiB/],
    ] as const) {
      const refused = await lathe('monitor', 'configure', 'edge-1/penguins', flag, value);
      expect(refused.code, `${flag} ${value}`).toBe(2);
      expect(refused.err).toMatch(said);
    }
    expect((await lathe('monitor', 'configure', 'edge-1/penguins')).err).toMatch(/Say what to change/);
  });
});
