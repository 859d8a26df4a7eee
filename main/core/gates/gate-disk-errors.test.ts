import { describe, expect, it } from 'vitest';
import type { GateReport } from '../../../shared/contract/gates.ts';
import type { Result } from '../../../shared/contract/result.ts';
import { dispatch } from '../dispatch.ts';
import { failNthWrite } from '../testing/fs-faults.ts';
import { gitCli, gitFsck } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { gatedWorkspace } from './gates-fixture.ts';

const tempDir = useTempDirs();

describe('a full disk while a gate report is recorded', () => {
  it('is a DISK_ERROR that says the report was not kept, at every write step; the registry is as it was, and the next run records', { timeout: 240_000 }, async () => {
    const fixture = await gatedWorkspace(await tempDir());
    const { core, workspace } = fixture;
    try {
      await fixture.saveSpec({ integration: { enabled: false } });
      const run = () => dispatch(core.handlers, 'gates:run', { workspace, ref: 'penguins-species@2' }) as Promise<Result<GateReport>>;
      const counting = await failNthWrite(workspace, Number.POSITIVE_INFINITY, 'ENOSPC');
      expect((await run()).ok).toBe(true);
      counting.restore();
      const steps = [...counting.log];
      expect(steps.length).toBeGreaterThan(2);
      for (let k = 1; k <= steps.length; k += 1) {
        const attempt = `step ${k} of ${steps.length}: ${steps[k - 1]}`;
        const head = gitCli(workspace, 'rev-parse', 'HEAD').trim();
        const faults = await failNthWrite(workspace, k, 'ENOSPC');
        let result: Result<GateReport>;
        try {
          result = await run();
        } finally {
          faults.restore();
        }
        if (result.ok) {
          // A step after the commit point (the working copy, caught up on the next commit) may fail unseen.
          expect(gitCli(workspace, 'log', '-1', '--format=%s'), attempt).toMatch(/^Gates fail for penguins-species@2/);
        } else {
          expect(result.error, attempt).toMatchObject({ code: 'DISK_ERROR', message: expect.stringMatching(/^Could not record the gate report of penguins-species@2: .*\(ENOSPC, .*\)\. The report was not kept; the registry is as it was\.$/) });
          expect(gitCli(workspace, 'rev-parse', 'HEAD').trim(), attempt).toBe(head);
        }
      }
      gitFsck(workspace);
      const after = await run();
      expect(after.ok).toBe(true);
      expect(gitCli(workspace, 'status', '--porcelain')).toBe('');
    } finally {
      await core.close();
    }
  });
});
