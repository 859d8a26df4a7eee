import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitCli } from '../core/testing/git-cli.ts';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { runCli } from './cli-app.ts';
import { latheFiles } from './lathe-files.ts';

const tempDir = useTempDirs();
const files = latheFiles(new URL('./lathe.ts', import.meta.url));

async function lathe(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  process.env.LATHE_CONFIG_DIR = join(cwd, '.state');
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), cwd, version: '9.9.9', files });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function workspaceWithOneVersion() {
  const root = await tempDir();
  await lathe(root, 'init', 'ws');
  await writeFile(join(root, 'weather.csv'), 'city,temp\nOslo,3.5\nLima,19\n');
  const imported = JSON.parse((await lathe(root, 'data', 'import', 'weather.csv', '-w', 'ws', '--json')).out) as { version: { contentHash: string } };
  const hash = imported.version.contentHash;
  return { root, ws: join(root, 'ws'), blob: join(root, 'ws/.lathe/objects/sha256', hash.slice(7, 9), hash.slice(9)), hash };
}

describe('lathe data verify', () => {
  it('exits 0 when every blob matches, and 1 with the damaged ones listed — as text and as JSON', async () => {
    const { root, blob, hash } = await workspaceWithOneVersion();
    expect(await lathe(root, 'data', 'verify', '-w', 'ws')).toMatchObject({ code: 0, out: 'Checked 1 blob (27 bytes intact): all match their hashes.' });

    await chmod(blob, 0o644);
    await writeFile(blob, (await readFile(blob, 'utf8')).replace('Oslo', 'Olso'));
    const human = await lathe(root, 'data', 'verify', '-w', 'ws');
    expect(human.code).toBe(1);
    expect(human.out).toMatch(/1 damaged or missing/);
    expect(human.out).toMatch(/altered\s+weather@1/);
    const json = await lathe(root, 'data', 'verify', '-w', 'ws', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ checked: 1, intact: 0, problems: [{ contentHash: hash, problem: 'altered', usedBy: ['weather@1'] }] });

    // Importing the original file again repairs it, and says so.
    await writeFile(join(root, 'weather.csv'), 'city,temp\nOslo,3.5\nLima,19\n');
    const again = await lathe(root, 'data', 'import', 'weather.csv', '-w', 'ws');
    expect(again.out).toContain('this import repaired it');
    expect((await lathe(root, 'data', 'verify', '-w', 'ws')).code).toBe(0);
  });
});

describe('lathe data gc', () => {
  it('lists with --dry-run, removes without, and keeps every blob a version needs', async () => {
    const { root, ws } = await workspaceWithOneVersion();
    await mkdir(join(ws, '.lathe/objects/sha256/ff'), { recursive: true });
    await writeFile(join(ws, '.lathe/objects/sha256/ff', 'e'.repeat(62)), 'orphan');
    const dry = await lathe(root, 'data', 'gc', '--dry-run', '-w', 'ws');
    expect(dry).toMatchObject({ code: 0, out: expect.stringContaining('Would remove 1 unused blob (6 bytes)') });
    expect(await readdir(join(ws, '.lathe/objects/sha256/ff'))).toHaveLength(1);
    const done = JSON.parse((await lathe(root, 'data', 'gc', '-w', 'ws', '--json')).out);
    expect(done).toMatchObject({ dryRun: false, unreferencedBytes: 6, kept: 1 });
    expect(await readdir(join(ws, '.lathe/objects/sha256/ff'))).toEqual([]);
    expect((await lathe(root, 'data', 'gc', '-w', 'ws')).out).toContain('Nothing to remove');
  });
});

describe('lathe init in a git repository with history', () => {
  it('refuses without --use-git-repo (exit 2, saying how), and joins it with', async () => {
    const root = await tempDir();
    gitCli(root, 'init', '-q', '-b', 'main');
    await writeFile(join(root, 'train.py'), 'print(1)\n');
    gitCli(root, 'add', '.');
    gitCli(root, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'first');
    const refused = await lathe(root, 'init', '.');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--use-git-repo');
    expect(await lathe(root, 'init', '.', '--use-git-repo')).toMatchObject({ code: 0 });
    expect(gitCli(root, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
  });
});
