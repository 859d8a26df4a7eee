import { describe, expect, it } from 'vitest';
import { startScript } from '../testing/child-process.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { gitCli, gitFsck } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { trainedWorkspace } from '../testing/trained-workspace.ts';

/** A registration killed at each point of its commit: the registry is as before or as after, never between. */
const tempDir = useTempDirs();
const registerChild = new URL('./register-child.ts', import.meta.url);

describe('a registration killed mid-commit', () => {
  it.each([
    ['register:locked', 'no version', false],
    ['git:commit-written', 'no version', false],
    ['git:branch-moved', 'version 1', true],
  ] as const)('at %s leaves %s, a clean working tree after the next open, and numbers the next version right', { timeout: 120_000 }, async (phase, _what, made) => {
    const root = await tempDir();
    const t = await trainedWorkspace(root, 1);
    const { workspace, runIds } = t;
    await t.writer.close();
    await t.core.close();

    process.env.LATHE_PAUSE_AT = phase;
    const child = startScript(registerChild, [workspace, runIds[0]!, 'crashed']);
    delete process.env.LATHE_PAUSE_AT;
    await child.line((line) => line === `paused ${phase}`);
    child.child.kill('SIGKILL');
    await child.exited;

    // The next process to open the workspace finds the registry whole, and its files in place.
    const { core, call } = await coreOnNewWorkspace(root);
    try {
      const models = await call('models:list', { workspace });
      expect(models.map((model) => [model.name, model.versions])).toEqual(made ? [['crashed', 1]] : []);
      expect(gitCli(workspace, 'status', '--porcelain')).toBe('');
      gitFsck(workspace);
      const next = await call('models:register', { workspace, runId: runIds[0]!, name: 'crashed' });
      expect(next.version).toBe(made ? 2 : 1);
    } finally {
      await core.close();
    }
  });
});
