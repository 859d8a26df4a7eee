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

  const fans = await readdir(join(remote, 'sha256'));
  const placed = (await Promise.all(fans.map((fan) => readdir(join(remote, 'sha256', fan))))).flat();
  expect(placed).toHaveLength(1); // the first blob, whole; the second only as a temp file
  expect(await readdir(join(remote, 'tmp'))).toHaveLength(1);

  // Run again (a new process on this machine): the dead push's temp file is swept, the rest sent.
  const again = await coreOnNewWorkspace(root);
  try {
    expect(await again.call('data:push', { workspace, url: remote })).toMatchObject({ needed: 2, alreadyThere: 1, copied: 1, problems: [] });
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
