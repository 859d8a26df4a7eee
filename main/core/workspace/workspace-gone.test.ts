import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

const tempDir = useTempDirs();
const exists = (path: string) => access(path).then(() => true, () => false);

describe('a workspace that disappears while Lathe has it open', () => {
  it('is reported gone, never served from memory, and never half re-created by a write', async () => {
    const root = await tempDir();
    const { call, file, workspace } = await coreOnNewWorkspace(root);
    await call('datasets:import-file', { workspace, path: await file('a.csv', 'x\n1\n'), name: 'a' });
    expect(await call('datasets:list', { workspace })).toHaveLength(1);

    await rm(workspace, { recursive: true, force: true });
    await expect(call('datasets:list', { workspace })).rejects.toMatchObject({ error: { code: 'NOT_FOUND', message: expect.stringContaining('is gone') } });
    await expect(call('datasets:import-file', { workspace, path: await file('b.csv', 'x\n2\n'), name: 'b' })).rejects.toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(await exists(workspace)).toBe(false);
  });

  it('opens the new folder when the workspace was replaced by another one at the same path', async () => {
    const root = await tempDir();
    const { call, file, workspace } = await coreOnNewWorkspace(root);
    await call('datasets:import-file', { workspace, path: await file('a.csv', 'x\n1\n'), name: 'old' });
    await rm(workspace, { recursive: true, force: true });
    const { call: other } = await coreOnNewWorkspace(join(root, 'elsewhere'));
    await other('workspace:create', { path: workspace });
    await other('datasets:import-file', { workspace, path: await file('b.csv', 'x\n2\n'), name: 'new' });
    expect((await call('datasets:list', { workspace })).map((d) => d.name)).toEqual(['new']);
  });

  it('refuses a write into a workspace whose .git folder was removed', async () => {
    const root = await tempDir();
    const { call, file, workspace } = await coreOnNewWorkspace(root);
    await rm(join(workspace, '.git'), { recursive: true, force: true });
    await expect(call('datasets:import-file', { workspace, path: await file('a.csv', 'x\n1\n'), name: 'a' })).rejects.toMatchObject({
      error: { code: 'NOT_A_WORKSPACE', message: expect.stringContaining('.git folder was removed') },
    });
    expect(await exists(join(workspace, '.git'))).toBe(false);
  });
});

describe('where a workspace may live', () => {
  it.runIf(process.platform === 'linux')('refuses /proc, /sys and /dev at once instead of spinning on them', async () => {
    const { call } = await coreOnNewWorkspace(await tempDir());
    for (const path of ['/proc/x', '/proc/self/cwd/x', '/sys/kernel/lathe', '/dev/lathe']) {
      await expect(call('workspace:create', { path }), path).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('a workspace cannot live there') } });
    }
    await expect(call('workspace:open', { path: '/proc' })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });
});
