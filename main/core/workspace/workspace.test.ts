import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitCli, gitFsck } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { Workspace } from './workspace.ts';

const tempDir = useTempDirs();

describe('Workspace', () => {
  it('makes a folder a git repository with lathe.json committed and .lathe/ ignored', async () => {
    const dir = join(await tempDir(), 'my project');
    const workspace = await Workspace.create(dir);
    expect(workspace.settings.name).toBe('my project');
    expect(gitCli(dir, 'log', '--format=%s')).toContain('Create Lathe workspace');
    expect(gitCli(dir, 'ls-files').split('\n')).toEqual(expect.arrayContaining(['lathe.json', '.gitignore']));
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toContain('/.lathe/');
    expect(gitCli(dir, 'status', '--porcelain')).toBe('');
    gitFsck(dir);
  });

  it('is idempotent: creating an existing workspace opens it without a new commit', async () => {
    const dir = await tempDir();
    await Workspace.create(dir);
    await Workspace.create(dir);
    expect(gitCli(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
  });

  it('joins an existing git repository only when asked, keeping its .gitignore lines and history', async () => {
    const dir = await tempDir();
    gitCli(dir, 'init', '-q', '-b', 'trunk');
    await writeFile(join(dir, '.gitignore'), 'node_modules/');
    await writeFile(join(dir, 'train.py'), 'print(1)\n');
    gitCli(dir, 'add', '.');
    gitCli(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'first');
    await expect(Workspace.create(dir)).rejects.toMatchObject({
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('already a git repository with its own history'), issues: [{ path: 'useExistingGitRepository' }] },
    });
    expect(gitCli(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    await Workspace.create(dir, { useExistingGitRepository: true });
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n# Lathe\'s local state: content-addressed data, runs database, locks\n/.lathe/\n');
    expect(gitCli(dir, 'log', '--format=%s', 'trunk').trim().split('\n')).toEqual([expect.stringContaining('Create Lathe workspace'), 'first']);
    expect(gitCli(dir, 'ls-files')).toContain('train.py');
    gitFsck(dir);
  });

  it('refuses to open a folder that is not a workspace, saying how to make it one', async () => {
    const dir = await tempDir();
    await expect(Workspace.open(dir)).rejects.toMatchObject({ error: { code: 'NOT_A_WORKSPACE', hint: expect.stringContaining('lathe init') } });
  });

  it('refuses a relative path and a missing folder', async () => {
    await expect(Workspace.open('relative/dir')).rejects.toMatchObject({ error: { code: 'INVALID_INPUT' } });
    await expect(Workspace.open(join(await tempDir(), 'nope'))).rejects.toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('refuses a corrupt lathe.json with the file named', async () => {
    const dir = await tempDir();
    gitCli(dir, 'init', '-q');
    await mkdir(join(dir, 'x'));
    await writeFile(join(dir, 'lathe.json'), '{ nope');
    gitCli(dir, 'add', 'lathe.json');
    gitCli(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'broken');
    await expect(Workspace.open(dir)).rejects.toMatchObject({ error: { code: 'PARSE_ERROR', location: { file: join(dir, 'lathe.json') } } });
  });

  it('on open, removes temp files that a killed writer left in the working tree and in .git', async () => {
    const dir = await tempDir();
    await (await Workspace.create(dir)).close();
    const leftovers = [join(dir, '.lathe.json.999999999.0123456789ab.tmp'), join(dir, '.git', '.index.999999999.0123456789ab.tmp')];
    await Promise.all(leftovers.map((path) => writeFile(path, 'half-written')));
    // The killed process never closed the workspace: its mark is still there.
    await writeFile(join(dir, '.lathe/users/999999999-00c0ffee'), '');
    expect(gitCli(dir, 'status', '--porcelain')).not.toBe('');
    const workspace = await Workspace.open(dir);
    expect(gitCli(dir, 'status', '--porcelain')).toBe('');
    expect(await readdir(join(dir, '.lathe/users'))).toHaveLength(1); // only this process now
    gitFsck(dir);
    await workspace.close();
    expect(await readdir(join(dir, '.lathe/users'))).toEqual([]);
  });

  it('opens without the crash sweep when every earlier user closed it', async () => {
    const dir = await tempDir();
    await (await Workspace.create(dir)).close();
    // A file shaped like a dead writer's leftover, but no user died: nothing looks for it.
    const lookalike = join(dir, '.notes.999999999.0123456789ab.tmp');
    await writeFile(lookalike, 'not Lathe’s');
    await (await Workspace.open(dir)).close();
    expect(await readFile(lookalike, 'utf8')).toBe('not Lathe’s');
  });
});
