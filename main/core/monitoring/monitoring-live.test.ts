import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../../agent/start-agent.ts';
import { json, send, tensorsOf } from '../../agent/test-support/agent-client.ts';
import { loadOrCreateSigningKey } from '../bundles/signing-keys.ts';
import { EventHub } from '../events.ts';
import { recordGateReport } from '../gates/gate-results.ts';
import { deployCalls } from '../deploy/deploy-calls.ts';
import { sourceResourcesDir } from '../paths.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { useTrainedWorkspace } from '../testing/trained-workspace.ts';
import { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { monitoringCalls } from './monitoring-calls.ts';

/**
 * End to end with a real agent: deploy sends the training reference, traffic is recorded in
 * windows, the sampler keeps them in the workspace and tells the listeners, and the report
 * judges each feature with Evidently's default method for a small reference (KS for numbers,
 * chi-square for categories).
 */
const trained = useTrainedWorkspace(1, 'lathe-monitoring-live-');
const tempDir = useTempDirs();
let agent: RunningAgent;

beforeAll(async () => {
  const { call, workspace, runIds, writer } = trained();
  await call('models:register', { workspace, runId: runIds[0]!, name: 'penguins' });
  await recordGateReport(writer, { id: '20261130T080000.000Z-live01', model: 'penguins', version: 1, baseline: null, data: { name: 'penguins', version: 1, rows: 69, testSplit: true }, startedAt: new Date().toISOString(), durationMs: 1, outcome: 'pass', summary: 'every check passed.', checks: [] });
}, 60_000);

afterAll(async () => {
  await agent?.close();
});

/** Penguins from the sample, each with every value present, as one-row requests. */
async function penguins(): Promise<Record<string, string | number>[]> {
  const [header, ...lines] = (await readFile(join(sourceResourcesDir(), 'samples', 'penguins.csv'), 'utf8')).trim().split('\n');
  const names = header!.split(',');
  return lines
    .map((line) => line.split(','))
    .filter((cells) => cells.every((cell) => cell !== 'NA' && cell !== ''))
    .map((cells) => Object.fromEntries(names.slice(1).map((name, i) => [name, /^-?\d/.test(cells[i + 1]!) ? Number(cells[i + 1]) : cells[i + 1]!])));
}

describe('monitoring a deployed model', () => {
  it('keeps the windows its agent judges against the training reference, and tells the listeners of each', async () => {
    const { workspace } = trained();
    const stateDir = join(dirname(workspace), 'state');
    const key = await loadOrCreateSigningKey(stateDir);
    agent = await startAgent({ dataDir: await tempDir(), trust: [key.publicKey], port: 0, workers: 1, latheVersion: 'test-agent', warn: () => {} });
    const workspaces = new OpenWorkspaces();
    const events = new EventHub();
    const deploy = deployCalls({ workspaces, events, stateDir, latheVersion: 'test', sampling: { intervalMs: 3_600_000 } });
    const monitoring = monitoringCalls({ events, deploy, warn: (text) => warnings.push(text) });
    const warnings: string[] = [];
    const told: number[][] = [];
    monitoring.onWindows((_workspace, deployment, report) => void told.push([deployment === 'edge-1/penguins' ? 1 : 0, ...report.windows.map((w) => w.index)]));
    try {
      await deploy.handlers['targets:add']!({ name: 'edge-1', url: agent.url, token: agent.newAdminToken!, allowPlainTextToken: false, replace: false }, {});
      const deployed = await deploy.handlers['deploy:start']!({ workspace, ref: 'penguins@1', target: 'edge-1', strategy: 'replace' }, {});
      expect(deployed.name).toBe('edge-1/penguins');
      const history = await deploy.handlers['deploy:history']!({ workspace, limit: 1 }, {});
      expect(history[0]!.events.find((e) => e.kind === 'monitoring')!.message).toMatch(/^Sent the training reference penguins@1 \(344 rows/);

      await monitoring.handlers['monitoring:configure']!({ workspace, deployment: 'edge-1/penguins', settings: { window: { kind: 'count', rows: 20 }, minRows: 10 } }, {});
      const rows = (await penguins()).slice(0, 45);
      for (const row of rows) expect((await send(agent.url, '/v2/models/penguins/infer', json({ inputs: tensorsOf([row]) }))).status).toBe(200);
      await deploy.sampleNow();

      expect(told).toEqual([[1, 0, 1, 2]]);
      expect(warnings).toEqual([]);
      const report = await monitoring.handlers['monitoring:report']!({ workspace, deployment: 'edge-1/penguins', window: 1, windows: 50 }, {});
      expect(report).toMatchObject({ stale: false, version: '1', reference: { dataset: 'penguins@1', datasetRows: 344 }, referenceProblem: null });
      const window = report.windows.at(-1)!;
      expect(window).toMatchObject({ index: 1, rows: 20, reference: { dataset: 'penguins@1' } });
      const methods = Object.fromEntries(window.features.map((f) => [f.name, f.drift.method]));
      // Sex has three values in the sample (MALE, FEMALE and one "."), so chi-square, not the two-category Z-test.
      expect(methods).toMatchObject({ 'Beak Length (mm)': 'ks', 'Body Mass (g)': 'ks', Island: 'chisquare', Sex: 'chisquare' });
      expect(window.features.every((f) => f.drift.verdict !== 'not-enough-data')).toBe(true);
    } finally {
      await deploy.close();
      await workspaces.closeAll();
    }
  });
});
