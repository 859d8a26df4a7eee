import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/result.ts';
import type { ImportOutcome } from '../../../shared/contract/datasets.ts';
import { dispatch } from '../dispatch.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { failNthWrite, type FaultCode } from '../testing/fs-faults.ts';
import { gitCli, gitFsck } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

const tempDir = useTempDirs();

/** Temp files anywhere in the workspace: the store's ingest files and atomic writes' `.x.<pid>.<hex>.tmp`. */
async function tempFiles(workspace: string): Promise<string[]> {
  const all = await readdir(workspace, { recursive: true });
  return all.filter((path) => /(^|\/)ingest-\d+-|\.\d+\.[0-9a-f]{12}\.tmp$/.test(path));
}

describe('a disk that refuses a write, at every write step of an import', () => {
  // Every step for a full disk; every third step for the others (their handling is the same path).
  it.each<[FaultCode, number]>([
    ['ENOSPC', 1],
    ['EIO', 3],
    ['EROFS', 3],
  ])('%s: a clear error naming the file, nothing half-written, and the next import works', { timeout: 240_000 }, async (code, stride) => {
    const root = await tempDir();
    const { core, file, workspace, call } = await coreOnNewWorkspace(root);
    const importCsv = (n: number) => async () =>
      (await dispatch(core.handlers, 'datasets:import-file', { workspace, path: await file(`v${n}.csv`, `id,n\n${n},${'x'.repeat(n)}\n`), name: 'data' })) as Result<ImportOutcome>;

    // Count the write steps of one import.
    const counting = await failNthWrite(workspace, Number.POSITIVE_INFINITY, code);
    expect((await importCsv(0)()).ok).toBe(true);
    counting.restore();
    const steps = [...counting.log];
    expect(steps.length).toBeGreaterThan(20);

    for (let k = 1; k <= steps.length; k += stride) {
      const attempt = `step ${k} of ${steps.length}: ${steps[k - 1]}`;
      const head = gitCli(workspace, 'rev-parse', 'HEAD').trim();
      const faults = await failNthWrite(workspace, k, code);
      let result: Result<ImportOutcome>;
      try {
        result = await importCsv(k)();
      } finally {
        faults.restore();
      }
      if (result.ok) {
        // Only a step that does not decide the outcome may fail silently (the lock's owner note),
        // or one after the commit point (the working copy, repaired on the next open or commit).
        expect(gitCli(workspace, 'merge-base', '--is-ancestor', result.value.version.commit, 'HEAD'), attempt).toBe('');
      } else {
        expect(result.error, attempt).toMatchObject({ code: 'DISK_ERROR', message: expect.stringMatching(new RegExp(`^Could not import v${k}\\.csv: .*\\(${code}, .*\\)\\. Nothing was kept`)), hint: expect.any(String) });
        expect(result.error.location?.file, attempt).toBeTruthy();
        expect(gitCli(workspace, 'rev-parse', 'HEAD').trim(), attempt).toBe(head);
      }
      expect(await tempFiles(workspace), attempt).toEqual([]);
    }
    // No failed attempt left bytes in the store that no commit names, or a damaged git object.
    expect((await call('store:gc', { workspace, dryRun: true })).unreferenced).toEqual([]);
    gitFsck(workspace);
    // The disk works again: so does Lathe, and a fresh open leaves a clean working tree.
    expect((await importCsv(10_000)()).ok).toBe(true);
    const { call: fresh } = await coreOnNewWorkspace(join(root, 'fresh'));
    await fresh('datasets:list', { workspace });
    expect(gitCli(workspace, 'status', '--porcelain')).toBe('');
    expect((await call('store:verify', { workspace })).problems).toEqual([]);
  });
});
