import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startScript } from '../testing/child-process.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { writeSyntheticCsv } from '../testing/generate-table.ts';
import { gitCli, gitFsck } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

const tempDir = useTempDirs();
const child = new URL('../testing/import-child.ts', import.meta.url);

/** Every phase an import of `file` reaches, in order, as "name#n" (the n-th time it is reached). */
async function phasesOf(workspace: string, file: string): Promise<string[]> {
  const run = startScriptWithPause(workspace, file, 'none#0');
  await run.exited;
  return run.phases;
}

function startScriptWithPause(workspace: string, file: string, pauseAt: string) {
  process.env.LATHE_PAUSE_AT = pauseAt;
  const started = startScript(child, [workspace, file, 'big']);
  delete process.env.LATHE_PAUSE_AT;
  const phases: string[] = [];
  void started.line((line) => {
    const [kind, name, n] = line.split(' ');
    if (kind === 'phase') phases.push(`${name}#${n}`);
    return false;
  }).catch(() => undefined);
  return { ...started, phases };
}

/** Run an import in another process and SIGKILL it when it reaches `pauseAt`. */
async function importKilledAt(workspace: string, file: string, pauseAt: string): Promise<void> {
  const run = startScriptWithPause(workspace, file, pauseAt);
  await run.line((line) => line.startsWith('paused '));
  run.child.kill('SIGKILL');
  await run.exited;
}

async function expectWholeWorkspace(root: string, workspace: string, attempt: string): Promise<'none' | 'some'> {
  // A fresh core opens the workspace the way the app would after a crash.
  const { call } = await coreOnNewWorkspace(join(root, `after-${attempt}`));
  const list = await call('datasets:list', { workspace });
  gitFsck(workspace);
  expect(gitCli(workspace, 'status', '--porcelain'), attempt).toBe('');
  expect(await readdir(join(workspace, '.lathe/tmp')).catch(() => []), attempt).toEqual([]);
  if (list.length === 0) return 'none';
  const log = await call('datasets:log', { workspace, name: 'big' });
  expect(log.map((v) => v.version), attempt).toEqual(log.map((_, k) => log.length - k));
  for (const version of log) {
    const hex = version.contentHash.slice(7);
    const bytes = await readFile(join(workspace, '.lathe/objects/sha256', hex.slice(0, 2), hex.slice(2)));
    expect(createHash('sha256').update(bytes).digest('hex'), attempt).toBe(hex);
  }
  await call('datasets:show', { workspace, name: 'big' });
  return 'some';
}

describe('an import killed at any moment', () => {
  it('leaves a workspace that opens, passes git fsck, and holds only whole versions — killed at every phase of the write', { timeout: 600_000 }, async () => {
    const root = await tempDir();
    const { call, workspace } = await coreOnNewWorkspace(root);
    const fileFor = async (seed: number, bytes = 3e5) => {
      const path = join(root, `import-${seed}.csv`);
      await writeSyntheticCsv(path, bytes, seed);
      return path;
    };

    // Learn the phases from one import that runs to the end in a throwaway workspace. Every
    // attempt below imports new bytes into the same dataset, so it passes the same phases.
    const { workspace: probe } = await coreOnNewWorkspace(join(root, 'probe'));
    const phases = await phasesOf(probe, await fileFor(1000));
    expect(phases).toContain('git:branch-moved#1');

    const outcomes: string[] = [];
    for (const [i, killPoint] of phases.entries()) {
      await importKilledAt(workspace, await fileFor(i), killPoint);
      outcomes.push(`${killPoint}:${await expectWholeWorkspace(root, workspace, `${i}-${killPoint}`)}`);
    }
    // Until the branch moves there is no version; from that moment on, it stands.
    const firstVersion = outcomes.findIndex((outcome) => outcome.endsWith(':some'));
    expect(firstVersion).toBeGreaterThan(outcomes.findIndex((outcome) => outcome.startsWith('git:commit-written#1')));
    expect(firstVersion).toBeLessThanOrEqual(outcomes.findIndex((outcome) => outcome.startsWith('git:branch-moved#1')));
    expect(outcomes.slice(0, firstVersion).every((outcome) => outcome.endsWith(':none'))).toBe(true);
    // And it still works afterwards.
    const outcome = await call('datasets:import-file', { workspace, path: await fileFor(2000), name: 'after-crashes' });
    expect(outcome.status).toBe('created');
    gitFsck(workspace);
  });

  it('leaves nothing behind when killed while a large file streams through the scan worker', { timeout: 120_000 }, async () => {
    const root = await tempDir();
    const { workspace } = await coreOnNewWorkspace(root);
    const file = join(root, 'large.csv');
    await writeSyntheticCsv(file, 9e6, 7); // above the 8 MiB worker threshold
    for (const killPoint of ['import:chunk#1', 'import:chunk#5', 'import:scanned#1']) {
      await importKilledAt(workspace, file, killPoint);
      expect(await expectWholeWorkspace(root, workspace, killPoint)).toBe('none');
    }
  });
});
