import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputOf, LatheEvent } from '../../../shared/contract/calls.ts';
import { dispatch } from '../dispatch.ts';
import { LatheFailure } from '../errors.ts';
import { createLatheCore } from '../lathe-core.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { failNthWrite } from '../testing/fs-faults.ts';
import { gitCli } from '../testing/git-cli.ts';
import { refusal } from '../testing/refusal.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

const tempDir = useTempDirs();

/** A workspace with weather@1, weather@2 and birds@1 (so HEAD names two blobs, the history three), and an empty remote folder. */
async function workspaceWithVersions() {
  const root = await tempDir();
  const fixture = await coreOnNewWorkspace(root);
  const { call, workspace, file } = fixture;
  await call('datasets:import-file', { workspace, path: await file('weather.csv', 'city,temp\nOslo,3.5\nLima,19\n'), name: 'weather' });
  await call('datasets:import-file', { workspace, path: await file('weather.csv', 'city,temp\nOslo,4.5\nLima,21\nRome,15\n'), name: 'weather' });
  await call('datasets:import-file', { workspace, path: await file('birds.csv', 'bird,wings\nowl,2\nkiwi,2\n'), name: 'birds' });
  const remote = join(root, 'remote');
  await mkdir(remote);
  const hashOf = async (name: string, version?: number) => (await call('datasets:show', { workspace, name, version })).version.contentHash;
  const localPath = (hash: string) => join(workspace, '.lathe/objects/sha256', hash.slice(7, 9), hash.slice(9));
  const remotePath = (hash: string) => join(remote, 'sha256', hash.slice(7, 9), hash.slice(9));
  return { ...fixture, root, remote, hashOf, localPath, remotePath };
}

/** A clone of the workspace (as a teammate or CI gets it): git only, no bytes. */
async function cloneOf(fixture: Awaited<ReturnType<typeof workspaceWithVersions>>) {
  const clone = join(fixture.root, 'clone');
  gitCli(fixture.root, 'clone', '--quiet', fixture.workspace, clone);
  return clone;
}

describe('data push', () => {
  it('copies the blobs HEAD names into the remote, laid out by hash; a second push lists and reads nothing', async () => {
    const t = await workspaceWithVersions();
    const seen: LatheEvent[] = [];
    t.core.events.on((event) => seen.push(event));
    await t.call('remote:add', { workspace: t.workspace, name: 'team', url: t.remote });

    const pushed = await t.call('data:push', { workspace: t.workspace });
    expect(pushed).toMatchObject({ direction: 'push', remote: { name: 'team', url: t.remote }, needed: 2, alreadyThere: 0, copied: 2, problems: [] });
    for (const hash of [await t.hashOf('weather'), await t.hashOf('birds')]) {
      expect(await readFile(t.remotePath(hash))).toEqual(await readFile(t.localPath(hash)));
    }
    expect(await stat(t.remotePath(await t.hashOf('weather', 1))).catch(() => null)).toBeNull();
    expect(await readdir(join(t.remote, 'tmp'))).toEqual([]);
    expect(seen.filter((event) => event.name === 'data:transfer-progress').at(-1)).toMatchObject({ payload: { direction: 'push', total: 2, done: 2 } });

    // Spoil a local copy (same size): a push that read it again would refuse it; one that lists does not.
    const birds = t.localPath(await t.hashOf('birds'));
    await chmod(birds, 0o644);
    await writeFile(birds, (await readFile(birds, 'utf8')).replace('owl', 'emu'));
    expect(await t.call('data:push', { workspace: t.workspace })).toMatchObject({ needed: 2, alreadyThere: 2, copied: 0, problems: [] });

    // --all-versions adds weather@1.
    expect(await t.call('data:push', { workspace: t.workspace, allVersions: true })).toMatchObject({ needed: 3, alreadyThere: 2, copied: 1 });
  });

  it('refuses damaged local bytes by name and pushes the rest', async () => {
    const t = await workspaceWithVersions();
    const weatherHash = await t.hashOf('weather');
    const weather = t.localPath(weatherHash);
    await chmod(weather, 0o644);
    await writeFile(weather, (await readFile(weather, 'utf8')).replace('Oslo', 'Olso'));
    const report = await t.call('data:push', { workspace: t.workspace, url: t.remote });
    expect(report.copied).toBe(1);
    expect(report.problems).toEqual([expect.objectContaining({ problem: 'damaged-here', usedBy: ['weather@2'], detail: expect.stringMatching(/weather@2 do not match their content hash .* They were not sent\./) })]);
    expect(await stat(t.remotePath(weatherHash)).catch(() => null)).toBeNull();
    expect(await readdir(join(t.remote, 'tmp'))).toEqual([]);
  });

  it('says clearly when there is no remote, no default, or the folder is not there — and writes nothing', async () => {
    const t = await workspaceWithVersions();
    expect(await refusal(t.call('data:push', { workspace: t.workspace }))).toMatchObject({ code: 'FAILED_PRECONDITION', message: 'This workspace has no remotes yet.', hint: expect.stringContaining('lathe remote add') });
    await t.call('remote:add', { workspace: t.workspace, name: 'usb', url: join(t.root, 'unplugged') });
    expect(await refusal(t.call('data:push', { workspace: t.workspace }))).toMatchObject({ code: 'NOT_FOUND', message: `The folder of the remote "usb" (${join(t.root, 'unplugged')}) does not exist: ${join(t.root, 'unplugged')}.` });
    expect(await stat(join(t.root, 'unplugged')).catch(() => null)).toBeNull();
    await t.call('remote:add', { workspace: t.workspace, name: 'share', url: t.remote });
    await t.call('remote:remove', { workspace: t.workspace, name: 'usb' });
    expect(await refusal(t.call('data:push', { workspace: t.workspace }))).toMatchObject({ code: 'FAILED_PRECONDITION', message: 'This workspace has no default remote, and none was named.', hint: expect.stringContaining('share') });
    expect(await refusal(t.call('data:push', { workspace: t.workspace, remote: 'nope' }))).toMatchObject({ code: 'NOT_FOUND', hint: 'Its remotes: share.' });
  });

  it('on a full remote disk stops with DISK_ERROR, leaves no blob half-written, and a second push finishes', async () => {
    const t = await workspaceWithVersions();
    await t.call('remote:add', { workspace: t.workspace, name: 'team', url: t.remote });
    // Write steps per blob: mkdir tmp, open, write, sync, chmod, mkdir fan, rename — the 3rd is the first blob's write.
    const faults = await failNthWrite(t.remote, 3, 'ENOSPC');
    let error;
    try {
      error = await refusal(t.call('data:push', { workspace: t.workspace }));
    } finally {
      faults.restore();
    }
    expect(error).toMatchObject({ code: 'DISK_ERROR', message: expect.stringMatching(/^Could not push the bytes of (weather@2|birds@1) to the remote "team" .*: the disk is full .* \d blobs? (was|were) pushed whole before this; nothing half-written/) });
    expect(await readdir(join(t.remote, 'tmp'))).toEqual([]);
    // Whatever is under a blob's name is that blob, whole (the other copy may have finished meanwhile).
    for (const hash of [await t.hashOf('weather'), await t.hashOf('birds')]) {
      const there = await readFile(t.remotePath(hash)).catch(() => null);
      if (there) expect(there).toEqual(await readFile(t.localPath(hash)));
    }
    const again = await t.call('data:push', { workspace: t.workspace });
    expect(again).toMatchObject({ needed: 2, problems: [] });
    expect(again.alreadyThere + again.copied).toBe(2);
  });

  it('two pushes at once to one remote both succeed, and every blob there is whole', async () => {
    const t = await workspaceWithVersions();
    const [a, b] = await Promise.all([t.call('data:push', { workspace: t.workspace, url: t.remote, allVersions: true }), t.call('data:push', { workspace: t.workspace, url: t.remote, allVersions: true })]);
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
    for (const hash of [await t.hashOf('weather', 1), await t.hashOf('weather', 2), await t.hashOf('birds')]) expect(await readFile(t.remotePath(hash))).toEqual(await readFile(t.localPath(hash)));
    expect(await readdir(join(t.remote, 'tmp'))).toEqual([]);
  });
});

describe('data pull', () => {
  it('into a clone fetches what HEAD names, verified, so its versions can be read there', async () => {
    const t = await workspaceWithVersions();
    await t.call('remote:add', { workspace: t.workspace, name: 'team', url: t.remote });
    await t.call('data:push', { workspace: t.workspace });
    const clone = await cloneOf(t);
    // The clone knows the remote from git.
    expect(await t.call('remote:list', { workspace: clone })).toMatchObject({ defaultRemote: 'team', remotes: [{ name: 'team', url: t.remote, kind: 'folder', isDefault: true }] });
    expect(await t.call('data:status', { workspace: clone })).toMatchObject({ synced: 0, remoteOnly: 2, missing: 0, notPushed: 0 });

    expect(await t.call('data:pull', { workspace: clone })).toMatchObject({ direction: 'pull', needed: 2, copied: 2, problems: [] });
    expect(await t.call('data:pull', { workspace: clone })).toMatchObject({ needed: 2, alreadyThere: 2, copied: 0 });
    expect(await t.call('data:status', { workspace: clone })).toMatchObject({ synced: 2, remoteOnly: 0, missing: 0 });
    // Only HEAD's versions came: weather@1 is still missing here, and was never pushed.
    expect((await t.call('store:verify', { workspace: clone })).problems).toEqual([expect.objectContaining({ problem: 'missing', usedBy: ['weather@1'] })]);
    expect(await t.call('data:status', { workspace: clone, allVersions: true })).toMatchObject({ synced: 2, missing: 1 });
    await t.call('data:push', { workspace: t.workspace, allVersions: true });
    expect(await t.call('data:pull', { workspace: clone, allVersions: true })).toMatchObject({ needed: 3, copied: 1, problems: [] });
    expect(await t.call('store:verify', { workspace: clone })).toMatchObject({ checked: 3, problems: [] });
  });

  it('refuses a tampered remote blob by name, keeps nothing of it, and stores the others', async () => {
    const t = await workspaceWithVersions();
    await t.call('data:push', { workspace: t.workspace, url: t.remote });
    const weather = t.remotePath(await t.hashOf('weather'));
    await chmod(weather, 0o644);
    await writeFile(weather, (await readFile(weather, 'utf8')).replace('Rome', 'Roma'));
    const clone = await cloneOf(t);

    const report = await t.call('data:pull', { workspace: clone, url: t.remote });
    expect(report.copied).toBe(1);
    expect(report.problems).toEqual([
      expect.objectContaining({ problem: 'damaged-on-remote', usedBy: ['weather@2'], detail: expect.stringContaining(`does not match its content hash ${await t.hashOf('weather')}, so it was not stored`) }),
    ]);
    expect(await stat(join(clone, '.lathe/objects/sha256', (await t.hashOf('weather')).slice(7, 9))).catch(() => null)).toBeNull();
    expect(await readdir(join(clone, '.lathe/tmp'))).toEqual([]);

    // A longer file than recorded is not read past the recorded size.
    await writeFile(weather, `${await readFile(t.localPath(await t.hashOf('weather')), 'utf8')}extra,row\n`.repeat(3));
    expect((await t.call('data:pull', { workspace: clone, url: t.remote })).problems).toEqual([expect.objectContaining({ detail: expect.stringContaining('holds more than the recorded') })]);
  });

  it('names the version whose bytes are missing everywhere', async () => {
    const t = await workspaceWithVersions();
    await t.call('data:push', { workspace: t.workspace, url: t.remote });
    await rm(t.remotePath(await t.hashOf('birds')), { force: true });
    const clone = await cloneOf(t);
    const report = await t.call('data:pull', { workspace: clone, url: t.remote });
    expect(report.problems).toEqual([expect.objectContaining({ problem: 'missing-everywhere', usedBy: ['birds@1'], detail: expect.stringMatching(/^Neither this machine nor the remote .* has the bytes of birds@1 /) })]);
    expect(await t.call('data:status', { workspace: clone, url: t.remote })).toMatchObject({ missing: 1, synced: 1 });
  });

  it('on a full local disk stops with DISK_ERROR and keeps nothing half-written', async () => {
    const t = await workspaceWithVersions();
    await t.call('data:push', { workspace: t.workspace, url: t.remote });
    const clone = await cloneOf(t);
    await t.call('remote:list', { workspace: clone }); // open it before the faults start
    const faults = await failNthWrite(join(clone, '.lathe'), 3, 'ENOSPC');
    let error;
    try {
      error = await refusal(t.call('data:pull', { workspace: clone, url: t.remote }));
    } finally {
      faults.restore();
    }
    expect(error).toMatchObject({ code: 'DISK_ERROR', message: expect.stringMatching(/^Could not pull the bytes of .*: the disk is full .*nothing half-written was kept/) });
    expect(await readdir(join(clone, '.lathe/tmp'))).toEqual([]);
    const again = await t.call('data:pull', { workspace: clone, url: t.remote });
    expect(again).toMatchObject({ needed: 2, problems: [] });
    expect(again.alreadyThere + again.copied).toBe(2);
    expect(await t.call('data:status', { workspace: clone, url: t.remote })).toMatchObject({ synced: 2, missing: 0 });
  });
});

describe('from the browser front door', () => {
  it('a remote URL cannot be named (it would point the server at any folder); a configured remote can be used', async () => {
    const t = await workspaceWithVersions();
    const browser = createLatheCore({ frontDoor: 'browser', version: 'test', stateDir: join(t.root, 'browser-state'), defaultWorkspace: t.workspace });
    try {
      const call = async (name: 'data:push', input: InputOf<'data:push'>) => {
        const result = await dispatch(browser.handlers, name, input);
        if (!result.ok) throw new LatheFailure(result.error);
        return result.value;
      };
      expect(await refusal(call('data:push', { workspace: t.workspace, url: t.remote }))).toMatchObject({ code: 'UNAVAILABLE', location: { field: 'url' } });
      await t.call('remote:add', { workspace: t.workspace, name: 'team', url: t.remote });
      expect(await call('data:push', { workspace: t.workspace, remote: 'team' })).toMatchObject({ copied: 2 });
    } finally {
      await browser.close();
    }
  });
});
