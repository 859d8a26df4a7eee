import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelVersion } from '../../../shared/contract/registry.ts';
import type { Result } from '../../../shared/contract/result.ts';
import { dispatch } from '../dispatch.ts';
import { startScript } from '../testing/child-process.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { failNthWrite } from '../testing/fs-faults.ts';
import { gitCli, gitFsck } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { trainedWorkspace } from '../testing/trained-workspace.ts';

/** What a registration leaves on disk when the disk fails, when two happen at once, and what store:gc keeps. */
const tempDir = useTempDirs();
const registerChild = new URL('./register-child.ts', import.meta.url);
const lockHolder = new URL('../testing/lock-holder.ts', import.meta.url);

async function tempFiles(workspace: string): Promise<string[]> {
  const all = await readdir(workspace, { recursive: true });
  return all.filter((path) => /(^|\/)ingest-\d+-|\.\d+\.[0-9a-f]{12}\.tmp$/.test(path));
}

describe('a full disk at any write step of a registration', () => {
  it('gives DISK_ERROR naming the file, leaves the registry as it was, and the next registration works', { timeout: 240_000 }, async () => {
    const root = await tempDir();
    const t = await trainedWorkspace(root, 1);
    const { core, workspace, runIds } = t;
    try {
      const register = async () => (await dispatch(core.handlers, 'models:register', { workspace, runId: runIds[0]!, name: 'full-disk' })) as Result<ModelVersion>;
      const counting = await failNthWrite(workspace, Number.POSITIVE_INFINITY, 'ENOSPC');
      expect((await register()).ok).toBe(true);
      counting.restore();
      const steps = [...counting.log];
      expect(steps.some((step) => step.includes('.git/objects'))).toBe(true);

      let versions = 1;
      for (let k = 1; k <= steps.length; k += 1) {
        const attempt = `step ${k} of ${steps.length}: ${steps[k - 1]}`;
        const head = gitCli(workspace, 'rev-parse', 'HEAD').trim();
        const faults = await failNthWrite(workspace, k, 'ENOSPC');
        let result: Result<ModelVersion>;
        try {
          result = await register();
        } finally {
          faults.restore();
        }
        if (result.ok) {
          // Past the commit point (the working copy, repaired later) or a step that decides nothing.
          versions += 1;
          expect(result.value.version, attempt).toBe(versions);
        } else {
          expect(result.error, attempt).toMatchObject({ code: 'DISK_ERROR', message: expect.stringMatching(/^Could not register run [0-9a-f]{32} as a version of full-disk: .*\(ENOSPC, .*\)\. Nothing was changed; the registry is as it was\.$/) });
          expect(result.error.location?.file, attempt).toBeTruthy();
          expect(gitCli(workspace, 'rev-parse', 'HEAD').trim(), attempt).toBe(head);
        }
        expect((await t.call('models:show', { workspace, name: 'full-disk' })).versions, attempt).toBe(versions);
        expect(await tempFiles(workspace), attempt).toEqual([]);
      }
      gitFsck(workspace);
      expect((await register()).ok).toBe(true);
      const { call: fresh } = await coreOnNewWorkspace(join(root, 'fresh'));
      expect((await fresh('models:show', { workspace, name: 'full-disk' })).versions).toBe(versions + 1);
      expect(gitCli(workspace, 'status', '--porcelain')).toBe('');
    } finally {
      await t.writer.close();
      await core.close();
    }
  });
});

describe('two registrations at once', () => {
  it('from two processes get distinct version numbers, both on HEAD', { timeout: 120_000 }, async () => {
    const root = await tempDir();
    const t = await trainedWorkspace(root, 2);
    const { workspace, runIds } = t;
    try {
      // Hold the write lock until both have checked their run and wait for it: then they race for it.
      const holder = startScript(lockHolder, [join(workspace, '.lathe/write.lock')]);
      await holder.line((line) => line === 'locked');
      const children = runIds.map((runId) => startScript(registerChild, [workspace, runId, 'raced']));
      await Promise.all(children.map((child) => child.line((line) => line === 'phase register:checked')));
      holder.child.stdin!.end();
      await holder.exited;

      const results = await Promise.all(children.map(async (child) => JSON.parse(await child.line((line) => line.startsWith('{'))) as { result: Result<ModelVersion> }));
      const versions = results.map(({ result }) => (result.ok ? result.value : null));
      expect(versions.every(Boolean)).toBe(true);
      expect(versions.map((v) => v!.version).sort()).toEqual([1, 2]);
      expect(new Set(versions.map((v) => v!.lineage.run.id))).toEqual(new Set(runIds));
      for (const child of children) expect(await child.exited).toBe(0);

      const shown = await t.call('models:show', { workspace, name: 'raced' });
      expect(shown.versionList.map((v) => v.version)).toEqual([2, 1]);
      expect(gitCli(workspace, 'log', '--format=%s', '--', 'models/raced').trim().split('\n')).toHaveLength(2);
      gitFsck(workspace);
    } finally {
      await t.writer.close();
      await t.core.close();
    }
  });
});

describe('store:gc', () => {
  it("keeps a registered version's artifacts after its run's records are gone, and verify names the version", { timeout: 120_000 }, async () => {
    const root = await tempDir();
    const t = await trainedWorkspace(root, 1);
    const { workspace, runIds, call } = t;
    try {
      const version = await call('models:register', { workspace, runId: runIds[0]!, name: 'kept' });
      // What purging the run would do: its artifact rows go, so nothing but the registry names the bytes.
      t.writer.db.use((sql) => sql.prepare('DELETE FROM artifacts WHERE run = (SELECT seq FROM runs WHERE id = ?)').run(runIds[0]!));
      expect((await call('runs:get', { workspace, runId: runIds[0]! })).artifacts).toEqual([]);

      const report = await call('store:gc', { workspace });
      expect(report.unreferenced).toEqual([]);
      for (const artifact of version.artifacts) expect(await t.writer.blobs.has(artifact.contentHash)).toBe(true);
      expect((await call('models:card', { workspace, ref: 'kept@1' })).markdown).toContain('| Accuracy |');

      // A damaged artifact is reported against the version that needs it.
      const weights = version.artifacts.find((artifact) => artifact.path === 'model/weights.bin')!;
      execFileSync('chmod', ['u+w', t.writer.blobs.pathOf(weights.contentHash)]);
      execFileSync('truncate', ['-s', '10', t.writer.blobs.pathOf(weights.contentHash)]);
      const verified = await call('store:verify', { workspace });
      expect(JSON.stringify(verified.problems)).toContain('kept@1: model/weights.bin');
    } finally {
      await t.writer.close();
      await t.core.close();
    }
  });
});
