import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listenToPhases } from '../base/phases.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { writeSyntheticCsv } from '../testing/generate-table.ts';
import { gitCli } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

const tempDir = useTempDirs();
afterEach(() => listenToPhases(null));

describe('an import is a job', () => {
  it('is listed while it runs, and cancelling it keeps nothing', async () => {
    const root = await tempDir();
    const { call, workspace } = await coreOnNewWorkspace(root);
    const file = join(root, 'big.csv');
    await writeSyntheticCsv(file, 3e6, 5);

    // At the first chunk, cancel the running import through the contract, as a window would.
    let cancelled: Promise<unknown> | null = null;
    listenToPhases(async (phase) => {
      if (phase !== 'import:chunk' || cancelled) return;
      const [job] = await call('jobs:list', { workspace });
      expect(job).toMatchObject({ kind: 'import', title: 'Import big.csv into big', ref: 'imp-1', status: 'running' });
      cancelled = call('jobs:cancel', { workspace, jobId: job!.id });
    });
    await expect(call('datasets:import-file', { workspace, path: file, name: 'big', importId: 'imp-1' })).rejects.toMatchObject({
      error: { code: 'CANCELLED', message: 'Cancelled: Import big.csv into big. Nothing half-done was kept.' },
    });
    await cancelled;
    expect((await call('jobs:list', { workspace }))[0]).toMatchObject({ status: 'cancelled' });
    expect(await call('datasets:list', { workspace })).toEqual([]);
    expect(gitCli(workspace, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(await readdir(join(workspace, '.lathe/tmp'))).toEqual([]);
    expect(await readdir(join(workspace, '.lathe/objects')).catch(() => [])).toEqual([]);

    // The next import of the same file runs to the end.
    listenToPhases(null);
    expect((await call('datasets:import-file', { workspace, path: file, name: 'big' })).status).toBe('created');
  });
});
