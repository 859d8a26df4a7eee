import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/result.ts';
import { dispatch } from '../dispatch.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { failNthWrite } from '../testing/fs-faults.ts';
import { gitCli } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { defaultPolicy } from './policy-file.ts';

/** A disk that refuses a write while a retraining policy is saved. */
const tempDir = useTempDirs();

async function tempFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter((path) => /\.tmp$/.test(path));
}

describe('a full disk', () => {
  it('at any write step of saving a policy gives DISK_ERROR and leaves retraining/<model>.json as committed, or saved whole', { timeout: 120_000 }, async () => {
    const { core, workspace } = await coreOnNewWorkspace(await tempDir());
    try {
      const save = async (maxRunsPerDay: number) =>
        (await dispatch(core.handlers, 'retrain:save-policy', { workspace, policy: { ...defaultPolicy('churn'), caps: { maxRunsPerDay, cooldownMinutes: 0 } } })) as Result<{ status: string }>;
      expect((await save(1)).ok).toBe(true);
      const counting = await failNthWrite(workspace, Number.POSITIVE_INFINITY, 'ENOSPC');
      expect((await save(2)).ok).toBe(true);
      counting.restore();
      const steps = counting.log.length;
      expect(steps).toBeGreaterThan(3);

      for (let k = 1; k <= steps; k += 1) {
        const head = gitCli(workspace, 'rev-parse', 'HEAD').trim();
        const faults = await failNthWrite(workspace, k, 'ENOSPC');
        let result: Result<{ status: string }>;
        try {
          result = await save(k + 2);
        } finally {
          faults.restore();
        }
        const committed = JSON.parse(gitCli(workspace, 'show', 'HEAD:retraining/churn.json')) as { caps: { maxRunsPerDay: number } };
        if (result.ok) {
          expect(committed.caps.maxRunsPerDay, `step ${k}`).toBe(k + 2);
        } else {
          expect(result.error, `step ${k}`).toMatchObject({ code: 'DISK_ERROR', message: expect.stringMatching(/^Could not save retraining\/churn\.json: .*ENOSPC.* The file was left as it was\.$/) });
          expect(gitCli(workspace, 'rev-parse', 'HEAD').trim(), `step ${k}`).toBe(head);
        }
        expect(await tempFiles(workspace), `step ${k}`).toEqual([]);
      }
      expect((await save(40)).ok).toBe(true);
      expect(JSON.parse(await readFile(join(workspace, 'retraining', 'churn.json'), 'utf8'))).toMatchObject({ caps: { maxRunsPerDay: 40 } });
    } finally {
      await core.close();
    }
  });
});
