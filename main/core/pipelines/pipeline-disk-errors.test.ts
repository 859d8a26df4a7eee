import { copyFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/result.ts';
import { dispatch } from '../dispatch.ts';
import { sourceResourcesDir } from '../paths.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { failNthWrite } from '../testing/fs-faults.ts';
import { gitCli } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

/** A disk that refuses a write while a pipeline is saved or run. */
const tempDir = useTempDirs();

const pipeline = (name: string) => `${JSON.stringify({ schemaVersion: 1, name, steps: [{ id: 'data', kind: 'import', file: 'penguins.csv', dataset: 'penguins' }] }, null, 2)}\n`;

async function tempFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter((path) => /\.\d+\.[0-9a-f]{12}\.tmp$/.test(path));
}

describe('a full disk', () => {
  it('at any write step of a save gives DISK_ERROR and leaves the pipeline as it was committed, or saved whole', { timeout: 120_000 }, async () => {
    const { core, workspace } = await coreOnNewWorkspace(await tempDir());
    try {
      const save = async (text: string) => (await dispatch(core.handlers, 'pipelines:save', { workspace, text })) as Result<{ status: string }>;
      expect((await save(pipeline('first'))).ok).toBe(true);
      const counting = await failNthWrite(workspace, Number.POSITIVE_INFINITY, 'ENOSPC');
      expect((await save(pipeline('counting'))).ok).toBe(true);
      counting.restore();
      const steps = counting.log.length;
      expect(steps).toBeGreaterThan(3);

      for (let k = 1; k <= steps; k += 1) {
        const text = pipeline(`attempt ${k}`);
        const head = gitCli(workspace, 'rev-parse', 'HEAD').trim();
        const faults = await failNthWrite(workspace, k, 'ENOSPC');
        let result: Result<{ status: string }>;
        try {
          result = await save(text);
        } finally {
          faults.restore();
        }
        const committed = gitCli(workspace, 'show', 'HEAD:lathe.pipeline.json');
        if (result.ok) {
          expect(committed, `step ${k}`).toBe(text);
        } else {
          expect(result.error, `step ${k}`).toMatchObject({ code: 'DISK_ERROR', message: expect.stringMatching(/^Could not save lathe\.pipeline\.json: .*ENOSPC.* The file was left as it was\.$/) });
          expect(gitCli(workspace, 'rev-parse', 'HEAD').trim(), `step ${k}`).toBe(head);
        }
        expect(await tempFiles(workspace), `step ${k}`).toEqual([]);
      }
      // Whatever failed, the next save works and the file on disk is the commit.
      expect((await save(pipeline('after'))).ok).toBe(true);
      expect(await readFile(join(workspace, 'lathe.pipeline.json'), 'utf8')).toBe(pipeline('after'));
    } finally {
      await core.close();
    }
  });

  it('under the run records fails the run with DISK_ERROR, and leaves nothing marked running', { timeout: 120_000 }, async () => {
    const { core, workspace, call } = await coreOnNewWorkspace(await tempDir());
    try {
      await copyFile(join(sourceResourcesDir(), 'samples/penguins.csv'), join(workspace, 'penguins.csv'));
      await call('pipelines:save', { workspace, text: pipeline('records') });
      await call('pipelines:run', { workspace, wait: true }); // makes .lathe/pipeline-runs
      const records = join(workspace, '.lathe', 'pipeline-runs');
      const counting = await failNthWrite(records, Number.POSITIVE_INFINITY, 'ENOSPC');
      expect((await call('pipelines:run', { workspace, wait: true })).status).toBe('passed');
      counting.restore();
      const steps = counting.log.length;
      for (let k = 1; k <= steps; k += 1) {
        const faults = await failNthWrite(records, k, 'ENOSPC');
        let result: Result<unknown>;
        try {
          result = await dispatch(core.handlers, 'pipelines:run', { workspace, wait: true });
        } finally {
          faults.restore();
        }
        // The first writes make the run's record (it never starts); later ones fail it while it runs.
        expect(result, `write ${k} of ${steps}: ${counting.log[k - 1]}`).toMatchObject({ ok: false, error: { code: 'DISK_ERROR' } });
        const runs = await call('pipelines:runs', { workspace });
        expect(runs.filter((run) => run.status === 'running'), `write ${k}`).toEqual([]);
        expect(await tempFiles(records), `write ${k}`).toEqual([]);
      }
      expect((await call('pipelines:run', { workspace, wait: true })).status).toBe('passed');
    } finally {
      await core.close();
    }
  });
});
