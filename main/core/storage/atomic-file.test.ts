import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/temp-dir.ts';
import { sweepAbandonedTempFiles, tempPathBeside, writeFileAtomic } from './atomic-file.ts';

const tempDir = useTempDirs();

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temp file behind', async () => {
    const dir = await tempDir();
    const path = join(dir, 'dataset.json');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['dataset.json']);
  });

  it('sweeps temp files of writers that died, and keeps those of live ones and other files', async () => {
    const dir = await tempDir();
    const dead = join(dir, '.dataset.json.4242.0123456789ab.tmp');
    const live = tempPathBeside(join(dir, 'dataset.json'));
    await Promise.all([writeFile(dead, 'half'), writeFile(live, 'mine'), writeFile(join(dir, '.hidden.tmp'), 'user file')]);
    expect(await sweepAbandonedTempFiles([dir, join(dir, 'missing')], () => true)).toBe(0);
    expect(await sweepAbandonedTempFiles([dir], (pid) => pid === process.pid)).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(['.hidden.tmp', live.slice(dir.length + 1)].sort());
  });
});
