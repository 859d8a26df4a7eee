import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../../shared/contract/deployments.ts';
import type { Result } from '../../../shared/contract/result.ts';
import { startAgent, type RunningAgent } from '../../agent/start-agent.ts';
import { loadOrCreateSigningKey } from '../bundles/signing-keys.ts';
import { dispatch } from '../dispatch.ts';
import { recordGateReport } from '../gates/gate-results.ts';
import { failNthWrite } from '../testing/fs-faults.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { useTrainedWorkspace } from '../testing/trained-workspace.ts';

const trained = useTrainedWorkspace(1, 'lathe-deploy-disk-');
const tempDir = useTempDirs();
let agent: RunningAgent | undefined;
afterAll(() => agent?.close());

describe('a full disk while a deploy packages its bundle', () => {
  it('is a DISK_ERROR at every write step that says nothing was deployed, leaves no bundle behind, records the failure, and the next deploy works', { timeout: 240_000 }, async () => {
    const { call, core, workspace, runIds, writer } = trained();
    const stateDir = join(dirname(workspace), 'state');
    await call('models:register', { workspace, runId: runIds[0]!, name: 'penguins' });
    await recordGateReport(writer, { id: '20261130T070000.000Z-aaaaaa', model: 'penguins', version: 1, baseline: null, data: { name: 'penguins', version: 1, rows: 69, testSplit: true }, startedAt: new Date().toISOString(), durationMs: 1, outcome: 'pass', summary: 'every check passed.', checks: [] });
    const key = await loadOrCreateSigningKey(stateDir);
    agent = await startAgent({ dataDir: await tempDir(), trust: [key.publicKey], port: 0, workers: 1, latheVersion: 'test', warn: () => {} });
    await call('targets:add', { name: 'edge-1', url: agent.url, token: agent.newAdminToken! });
    const deploy = () => dispatch(core.handlers, 'deploy:start', { workspace, ref: 'penguins@1', target: 'edge-1' }) as Promise<Result<Deployment>>;
    const bundles = join(stateDir, 'deploy-bundles');

    const counting = await failNthWrite(bundles, Number.POSITIVE_INFINITY, 'ENOSPC');
    const first = await deploy();
    counting.restore();
    expect(first.ok).toBe(true);
    const steps = [...counting.log];
    expect(steps.length).toBeGreaterThan(2);
    for (let k = 1; k <= steps.length; k += 1) {
      const attempt = `step ${k} of ${steps.length}: ${steps[k - 1]}`;
      const faults = await failNthWrite(bundles, k, 'ENOSPC');
      let result: Result<Deployment>;
      try {
        result = await deploy();
      } finally {
        faults.restore();
      }
      expect(result.ok, attempt).toBe(false);
      if (result.ok) continue;
      expect(result.error, attempt).toMatchObject({ code: 'DISK_ERROR', message: expect.stringMatching(/^Could not deploy penguins@1 to edge-1: .*\(ENOSPC, .*\)\..* Nothing was deployed; what edge-1 served before serves on \(deployment dep-\S+ is recorded as failed\)\.$/) });
      expect(await readdir(bundles), attempt).toEqual([]);
      const [latest] = await call('deploy:history', { workspace, limit: 1 });
      expect(latest!.state, attempt).toBe('failed');
    }
    expect((await deploy()).ok).toBe(true);
  });
});
