import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startScript } from '../testing/child-process.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

const tempDir = useTempDirs();
const child = new URL('./push-child.ts', import.meta.url);

it('a push killed after writing a blob but before renaming it leaves nothing under a blob name; the next push sends everything whole', async () => {
  const root = await tempDir();
  const { core, call, workspace, file } = await coreOnNewWorkspace(root);
  await call('datasets:import-file', { workspace, path: await file('a.csv', 'x,y\n1,2\n3,4\n'), name: 'a' });
  await call('datasets:import-file', { workspace, path: await file('b.csv', 'p,q\nup,down\n'), name: 'b' });
  await core.close();
  const remote = join(root, 'remote');
  await mkdir(remote);

  // Stopped by a signal from the code under test (the second blob written, not yet renamed), then killed.
  process.env.LATHE_PAUSE_AT = 'remote:blob-written#2';
  const run = startScript(child, [workspace, remote]);
  delete process.env.LATHE_PAUSE_AT;
  await run.line((line) => line.startsWith('paused '));
  run.child.kill('SIGKILL');
  await run.exited;

  // The blob held there is only a temp file; whatever is under a blob's name is whole (its name is its hash).
  expect(await readdir(join(remote, 'tmp'))).not.toEqual([]);
  const fans = await readdir(join(remote, 'sha256')).catch(() => [] as string[]);
  for (const fan of fans) {
    for (const rest of await readdir(join(remote, 'sha256', fan))) {
      expect(`sha256:${createHash('sha256').update(await readFile(join(remote, 'sha256', fan, rest))).digest('hex')}`).toBe(`sha256:${fan}${rest}`);
    }
  }

  // Run again (a new process on this machine): the dead push's temp file is swept, the rest sent.
  const again = await coreOnNewWorkspace(root);
  try {
    expect(await again.call('data:push', { workspace, url: remote })).toMatchObject({ needed: 2, problems: [] });
    expect(await readdir(join(remote, 'tmp'))).toEqual([]);
    for (const name of ['a', 'b']) {
      const hash = (await again.call('datasets:show', { workspace, name })).version.contentHash;
      const local = join(workspace, '.lathe/objects/sha256', hash.slice(7, 9), hash.slice(9));
      expect(await readFile(join(remote, 'sha256', hash.slice(7, 9), hash.slice(9)))).toEqual(await readFile(local));
    }
  } finally {
    await again.core.close();
  }
});
