import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { writeSyntheticCsv } from '../testing/generate-table.ts';
import { gitCli, gitFsck } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

const tempDir = useTempDirs();
const child = new URL('../testing/import-child.ts', import.meta.url).pathname;

/** Start an import in another process and SIGKILL it after `afterMs`. */
async function killedImport(workspace: string, path: string, afterMs: number): Promise<void> {
  const proc = spawn(process.execPath, [child, workspace, path, 'big'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  await sleep(afterMs);
  proc.kill('SIGKILL');
  await exited;
}

describe('an import killed at any moment', () => {
  it('leaves a workspace that opens, passes git fsck, and holds only whole versions', { timeout: 120_000 }, async () => {
    const root = await tempDir();
    const { call, workspace } = await coreOnNewWorkspace(root);
    const files = [join(root, 'a.csv'), join(root, 'b.csv')];
    await writeSyntheticCsv(files[0]!, 12e6, 1);
    await writeSyntheticCsv(files[1]!, 12e6, 2);

    const outcomes: string[] = [];
    for (const [i, afterMs] of [150, 300, 450, 600, 750, 900, 1100, 1400].entries()) {
      await killedImport(workspace, files[i % 2]!, afterMs);

      // A fresh core opens the workspace the way the app would after a crash.
      const { call: fresh } = await coreOnNewWorkspace(join(root, `after-${i}`));
      const list = await fresh('datasets:list', { workspace });
      gitFsck(workspace);
      expect(gitCli(workspace, 'status', '--porcelain')).toBe('');
      expect(await readdir(join(workspace, '.lathe/tmp')).catch(() => [])).toEqual([]);
      outcomes.push(list.length === 0 ? 'none' : 'some');
      if (list.length === 0) continue;
      const log = await fresh('datasets:log', { workspace, name: 'big' });
      expect(log.map((v) => v.version)).toEqual(log.map((_, k) => log.length - k));
      for (const version of log) {
        const hex = version.contentHash.slice(7);
        const bytes = await readFile(join(workspace, '.lathe/objects/sha256', hex.slice(0, 2), hex.slice(2)));
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(hex);
      }
    }
    // The kills landed both before and after a version was made.
    expect(new Set(outcomes)).toEqual(new Set(['none', 'some']));
    // And it still works afterwards.
    const outcome = await call('datasets:import-file', { workspace, path: files[0]!, name: 'after-crashes' });
    expect(outcome.status).toBe('created');
    gitFsck(workspace);
  });
});
