import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refusal } from '../testing/refusal.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { commandLine, findProgram, runNameOf, scriptFolder } from './command-place.ts';

const tempDir = useTempDirs();

describe('where a script runs', () => {
  it('is the workspace, or a folder inside it, by its real path', async () => {
    const root = await tempDir();
    const workspace = join(root, 'ws');
    await mkdir(join(workspace, 'src', 'train'), { recursive: true });
    expect(await scriptFolder(workspace, undefined)).toBe(workspace);
    expect(await scriptFolder(workspace, 'src/train')).toBe(join(workspace, 'src', 'train'));
    expect(await scriptFolder(workspace, join(workspace, 'src'))).toBe(join(workspace, 'src'));
  });

  it('refuses a folder outside it, also through a symlink, and a file', async () => {
    const root = await tempDir();
    const workspace = join(root, 'ws');
    await mkdir(join(root, 'elsewhere'), { recursive: true });
    await mkdir(workspace);
    await symlink(join(root, 'elsewhere'), join(workspace, 'link-out'));
    await writeFile(join(workspace, 'train.py'), '');
    for (const cwd of ['..', '../elsewhere', 'link-out', root]) {
      expect((await refusal(scriptFolder(workspace, cwd))).message, cwd).toMatch(/is outside the workspace/);
    }
    expect((await refusal(scriptFolder(workspace, 'train.py'))).message).toMatch(/is a file, not a folder/);
  });
});

describe('the program', () => {
  it('is found on PATH, or by its path from the folder; missing, it is named with what was searched', async () => {
    const root = await tempDir();
    const bin = join(root, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'train'), '#!/bin/sh\n', { mode: 0o755 });
    expect(await findProgram('train', root, `/nowhere:${bin}`)).toBe(join(bin, 'train'));
    expect(await findProgram('./bin/train', root, '')).toBe(join(bin, 'train'));
    const missing = await refusal(findProgram('trian', root, `/nowhere:${bin}`));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'The program "trian" was not found on PATH; nothing was run and no run was recorded.' });
    expect(missing.hint).toContain(`PATH has 2 folders, starting /nowhere:${bin}.`);
    expect((await refusal(findProgram('train', root, ''))).hint).toContain('PATH is empty.');
  });
});

describe('how a command is named', () => {
  it('as one line, quoted where a shell would need it', () => {
    expect(commandLine(['python', 'train.py', '--lr', '0.01'])).toBe('python train.py --lr 0.01');
    expect(commandLine(['sh', '-c', "echo 'hi' | wc"])).toBe(`sh -c 'echo '"'"'hi'"'"' | wc'`);
    expect(commandLine(['run', ''])).toBe("run ''");
  });

  it("as a run: the script's file name, else the program's", () => {
    expect(runNameOf(['python3', 'src/train.py', '--lr', '0.01'])).toBe('train.py');
    expect(runNameOf(['python3', '-m', 'pkg.train'])).toBe('pkg.train');
    expect(runNameOf(['python3', '-c', 'import sys; sys.exit(4)'])).toBe('python3');
    expect(runNameOf(['/usr/bin/node'])).toBe('node');
  });
});
