import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { gitCli } from '../testing/git-cli.ts';
import { refusal } from '../testing/refusal.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { parseRemoteUrl } from './remote-url.ts';

const tempDir = useTempDirs();

describe('lathe.remotes.json', () => {
  it('adds, lists and removes remotes, each change one commit; the first added is the default', async () => {
    const { call, workspace } = await coreOnNewWorkspace(await tempDir());
    expect(await call('remote:list', { workspace })).toEqual({ remotes: [], defaultRemote: null });

    const added = await call('remote:add', { workspace, name: 'share', url: '/mnt/share/lathe' });
    expect(added).toMatchObject({ defaultRemote: 'share', remotes: [{ name: 'share', url: '/mnt/share/lathe', kind: 'folder', isDefault: true }] });
    expect(added.commit).toBe(gitCli(workspace, 'rev-parse', 'HEAD').trim());
    expect(gitCli(workspace, 'log', '-1', '--format=%s')).toBe('Add byte remote "share" (/mnt/share/lathe) as the default\n');
    expect(JSON.parse(gitCli(workspace, 'show', 'HEAD:lathe.remotes.json'))).toEqual({ schemaVersion: 1, default: 'share', remotes: [{ name: 'share', url: '/mnt/share/lathe' }] });

    expect(await call('remote:add', { workspace, name: 'usb', url: 'file:///media/usb/lathe' })).toMatchObject({ defaultRemote: 'share' });
    expect(await call('remote:add', { workspace, name: 'usb', url: 'file:///media/usb/lathe', makeDefault: true })).toMatchObject({ defaultRemote: 'usb' });
    // The same again changes nothing.
    const head = gitCli(workspace, 'rev-parse', 'HEAD');
    expect(await call('remote:add', { workspace, name: 'usb', url: 'file:///media/usb/lathe' })).toMatchObject({ commit: null, defaultRemote: 'usb' });
    expect(gitCli(workspace, 'rev-parse', 'HEAD')).toBe(head);

    expect(await call('remote:remove', { workspace, name: 'usb' })).toMatchObject({ defaultRemote: null, remotes: [{ name: 'share', isDefault: false }] });
    expect(gitCli(workspace, 'status', '--porcelain')).toBe('');
  });

  it('refuses a taken name with another URL, an unknown name, a bad name and URLs that are not folders', async () => {
    const { call, workspace } = await coreOnNewWorkspace(await tempDir());
    await call('remote:add', { workspace, name: 'share', url: '/mnt/share/lathe' });
    const head = gitCli(workspace, 'rev-parse', 'HEAD');
    expect(await refusal(call('remote:add', { workspace, name: 'share', url: '/elsewhere' }))).toMatchObject({ code: 'CONFLICT', message: 'The remote "share" already points at /mnt/share/lathe.', hint: expect.stringContaining('lathe remote remove share') });
    expect(await refusal(call('remote:remove', { workspace, name: 'ghost' }))).toMatchObject({ code: 'NOT_FOUND', message: 'This workspace has no remote named "ghost".', hint: 'Its remotes: share.' });
    expect(await refusal(call('remote:add', { workspace, name: '../up', url: '/x' }))).toMatchObject({ code: 'INVALID_INPUT', issues: expect.arrayContaining([expect.objectContaining({ path: 'name' })]) });
    for (const url of ['relative/folder', 's3://bucket/lathe', 'ftp://host/x', 'https://user:pw@host:8080', 'http://host:8080/path?q', 'file://otherhost/share']) {
      const error = await refusal(call('remote:add', { workspace, name: 'bad', url }));
      expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(`"${url}" is not a remote Lathe can use`), hint: expect.stringContaining('A remote is a folder'), location: { field: 'url' } });
    }
    expect(gitCli(workspace, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('refuses a hand edit that does not parse, naming the file and the field', async () => {
    const { call, workspace } = await coreOnNewWorkspace(await tempDir());
    await writeFile(join(workspace, 'lathe.remotes.json'), JSON.stringify({ schemaVersion: 1, default: 'gone', remotes: [] }));
    gitCli(workspace, 'add', 'lathe.remotes.json');
    gitCli(workspace, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'hand edit');
    expect(await refusal(call('remote:list', { workspace }))).toMatchObject({ code: 'PARSE_ERROR', message: 'lathe.remotes.json is not a valid remotes file: default: the default remote "gone" is not in the list', location: { file: 'lathe.remotes.json', field: 'default' } });
  });
});

describe('remote URLs', () => {
  it('take absolute folders, file:// URLs and the address of a lathe serve', () => {
    expect(parseRemoteUrl('https://lathe.example.com:8443/')).toMatchObject({ kind: 'http', origin: 'https://lathe.example.com:8443' });
    expect(parseRemoteUrl('/mnt/share/./lathe/')).toMatchObject({ kind: 'folder', folder: '/mnt/share/lathe/' });
    expect(parseRemoteUrl('file:///mnt/share/lathe%20bytes')).toMatchObject({ kind: 'folder', folder: '/mnt/share/lathe bytes' });
  });
});
