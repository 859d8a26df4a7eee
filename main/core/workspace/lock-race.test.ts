import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startScript } from '../testing/child-process.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { gitCli, gitFsck } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

const tempDir = useTempDirs();
const importChild = new URL('../testing/import-child.ts', import.meta.url);
const lockHolder = new URL('../testing/lock-holder.ts', import.meta.url);

const IMPORTERS = 6;
const ROUNDS = 2;

function isAncestorOfHead(workspace: string, commit: string): boolean {
  try {
    execFileSync('git', ['-C', workspace, 'merge-base', '--is-ancestor', commit, 'HEAD'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('concurrent imports from many processes', () => {
  it('never acknowledge a version that is not on HEAD — with a stale lock left behind, and a lock holder killed mid-round', { timeout: 300_000 }, async () => {
    const root = await tempDir();
    const { workspace } = await coreOnNewWorkspace(root);
    const acknowledged: { commit: string; version: number }[] = [];

    for (let round = 0; round < ROUNDS; round += 1) {
      // What a process killed during a commit left behind in Lathe 0.1 (the repro).
      await writeFile(join(workspace, '.lathe/lock'), JSON.stringify({ pid: 999_999, host: hostname() }));
      // In odd rounds another process holds the real lock while the importers start, and dies.
      const holder = round % 2 === 1 ? startScript(lockHolder, [join(workspace, '.lathe/write.lock')]) : null;
      if (holder) await holder.line((line) => line === 'locked');

      process.env.LATHE_PAUSE_AT = 'none#0'; // print the phases, pause nowhere
      const importers = await Promise.all(
        Array.from({ length: IMPORTERS }, async (_, i) => {
          const file = join(root, `round-${round}-${i}.csv`);
          await writeFile(file, `id,round,importer\n${i},${round},${i}\n`);
          return startScript(importChild, [workspace, file, 'shared']);
        }),
      );
      delete process.env.LATHE_PAUSE_AT;

      if (holder) {
        // Every importer has parsed its file and is waiting for the lock: kill its holder.
        await Promise.all(importers.map((importer) => importer.line((line) => line === 'phase import:scanned 1')));
        holder.child.kill('SIGKILL');
        await holder.exited;
      }
      for (const importer of importers) {
        const result = JSON.parse(await importer.line((line) => line.startsWith('{'))) as { result: { ok: boolean; value: { status: string; version: { commit: string; version: number } } } };
        expect(result.result.ok).toBe(true);
        expect(result.result.value.status).toBe('created');
        acknowledged.push({ commit: result.result.value.version.commit, version: result.result.value.version.version });
        expect(await importer.exited).toBe(0);
      }
    }

    // Every acknowledged version is on HEAD, each number was given once, and none is missing.
    for (const { commit } of acknowledged) expect(isAncestorOfHead(workspace, commit), commit).toBe(true);
    expect(acknowledged.map((a) => a.version).sort((a, b) => a - b)).toEqual(Array.from({ length: IMPORTERS * ROUNDS }, (_, i) => i + 1));
    expect(gitCli(workspace, 'rev-list', '--count', 'HEAD').trim()).toBe(String(IMPORTERS * ROUNDS + 1));
    gitFsck(workspace);
  });
});
