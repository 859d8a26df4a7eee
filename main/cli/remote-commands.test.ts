import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitCli } from '../core/testing/git-cli.ts';
import { startServer } from '../server/start-server.ts';
import { createFakeCore } from '../server/test-support/fake-core.ts';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { runCli } from './cli-app.ts';
import { latheFiles } from './lathe-files.ts';

const tempDir = useTempDirs();
const files = latheFiles(new URL('./lathe.ts', import.meta.url));
afterEach(() => {
  delete process.env.LATHE_REMOTE;
});

async function lathe(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  process.env.LATHE_CONFIG_DIR = join(cwd, '.state');
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), cwd, version: '9.9.9', files });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A workspace `ws` with weather@1, and an empty folder `bytes` beside it. */
async function workspaceAndFolder() {
  const root = await tempDir();
  await lathe(root, 'init', 'ws');
  await writeFile(join(root, 'weather.csv'), 'city,temp\nOslo,3.5\nLima,19\n');
  const imported = JSON.parse((await lathe(root, 'data', 'import', 'weather.csv', '-w', 'ws', '--json')).out) as { version: { contentHash: string } };
  await mkdir(join(root, 'bytes'));
  return { root, ws: join(root, 'ws'), hash: imported.version.contentHash };
}

describe('lathe remote', () => {
  it('adds a folder given relative to here as an absolute one, lists it, removes it', async () => {
    const { root } = await workspaceAndFolder();
    expect(await lathe(root, 'remote', 'add', 'team', 'bytes', '-w', 'ws')).toMatchObject({ code: 0, out: `Added remote team: ${join(root, 'bytes')}. Default remote: team.` });
    const listed = await lathe(root, 'remote', 'list', '-w', 'ws');
    expect(listed.out).toMatch(new RegExp(`team\\s+folder\\s+${join(root, 'bytes')}\\s+yes`));
    expect(JSON.parse((await lathe(root, 'remote', 'list', '-w', 'ws', '--json')).out)).toEqual({ defaultRemote: 'team', remotes: [{ name: 'team', url: join(root, 'bytes'), kind: 'folder', isDefault: true }] });
    expect(await lathe(root, 'remote', 'remove', 'team', '-w', 'ws')).toMatchObject({ code: 0, out: 'Removed remote team. No default remote.' });
  });

  it('exits 2 for a command line that is wrong, 1 for a refusal', async () => {
    const { root } = await workspaceAndFolder();
    expect(await lathe(root, 'remote', 'add', 'team', '-w', 'ws')).toMatchObject({ code: 2, err: expect.stringContaining('Name its folder or URL: lathe remote add NAME URL [--default]') });
    expect(await lathe(root, 'data', 'push', '--to', 'x', '-w', 'ws')).toMatchObject({ code: 2 });
    expect(await lathe(root, 'remote', 'add', 'team', 's3://bucket', '-w', 'ws')).toMatchObject({ code: 2, err: expect.stringContaining('"s3://bucket" is not a remote Lathe can use') });
    const none = await lathe(root, 'data', 'push', '-w', 'ws', '--json');
    expect(none.code).toBe(1);
    expect(JSON.parse(none.out)).toMatchObject({ error: { code: 'FAILED_PRECONDITION', message: 'This workspace has no remotes yet.' } });
  });
});

describe('lathe data push | pull | status', () => {
  it('push, then pull into a clone (remote from LATHE_REMOTE): 0 when all came whole, 1 with a tampered blob named', async () => {
    const { root, ws, hash } = await workspaceAndFolder();
    await lathe(root, 'remote', 'add', 'team', 'bytes', '-w', 'ws');
    expect(await lathe(root, 'data', 'status', '-w', 'ws')).toMatchObject({ code: 0, out: `Remote team (${join(root, 'bytes')}): 0 blobs on both sides, 1 not pushed, 0 to pull, 0 missing everywhere.\nNot pushed: weather@1` });
    const pushed = await lathe(root, 'data', 'push', '-w', 'ws');
    expect(pushed).toMatchObject({ code: 0, out: `Pushed 1 blob (27 bytes) to team (${join(root, 'bytes')}); 0 of 1 needed were there already.` });
    expect(pushed.err).toContain('Pushing: 1/1 blobs');
    const again = JSON.parse((await lathe(root, 'data', 'push', '-w', 'ws', '--json')).out);
    expect(again).toMatchObject({ direction: 'push', needed: 1, alreadyThere: 1, copied: 0, problems: [] });

    gitCli(root, 'clone', '--quiet', ws, join(root, 'clone'));
    const remoteBlob = join(root, 'bytes/sha256', hash.slice(7, 9), hash.slice(9));
    await chmod(remoteBlob, 0o644);
    await writeFile(remoteBlob, (await readFile(remoteBlob, 'utf8')).replace('Lima', 'Lama'));
    process.env.LATHE_REMOTE = join(root, 'bytes');
    const tampered = await lathe(root, 'data', 'pull', '-w', 'clone');
    expect(tampered.code).toBe(1);
    expect(tampered.out).toMatch(/1 blob could not be pulled/);
    expect(tampered.out).toMatch(/damaged-on-remote\s+weather@1/);
    const json = await lathe(root, 'data', 'pull', '-w', 'clone', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ direction: 'pull', copied: 0, problems: [{ problem: 'damaged-on-remote', usedBy: ['weather@1'] }] });

    await writeFile(remoteBlob, (await readFile(remoteBlob, 'utf8')).replace('Lama', 'Lima'));
    expect(await lathe(root, 'data', 'pull', '-w', 'clone')).toMatchObject({ code: 0, out: `Pulled 1 blob (27 bytes, each verified) from ${join(root, 'bytes')}; 0 of 1 needed were there already.` });
    expect(await lathe(root, 'data', 'verify', '-w', 'clone')).toMatchObject({ code: 0 });
  });
});

describe('an HTTP remote from the command line', () => {
  it('takes its token from --token-file or LATHE_REMOTE_TOKEN, never from the URL', async () => {
    const { root } = await workspaceAndFolder();
    const server = await startServer({ core: createFakeCore(), uiDir: '/nonexistent', port: 0, token: 'cli-remote-token-0123456789', remoteDir: join(root, 'bytes') });
    try {
      const url = `http://127.0.0.1:${server.port}`;
      expect(await lathe(root, 'remote', 'add', 'web', url, '-w', 'ws')).toMatchObject({ code: 0 });
      expect(await lathe(root, 'data', 'push', '-w', 'ws')).toMatchObject({ code: 1, err: expect.stringContaining('refused the token (none was given)') });
      expect(await lathe(root, 'data', 'push', '-w', 'ws', '--token-file', 'nope.txt')).toMatchObject({ code: 1, err: expect.stringContaining('--token-file nope.txt: there is no readable file') });
      await writeFile(join(root, 'token.txt'), 'cli-remote-token-0123456789\n');
      expect(await lathe(root, 'data', 'push', '-w', 'ws', '--token-file', 'token.txt')).toMatchObject({ code: 0, out: expect.stringMatching(/^Pushed 1 blob \(27 bytes\) to web/) });
      process.env.LATHE_REMOTE_TOKEN = 'cli-remote-token-0123456789';
      expect(await lathe(root, 'data', 'status', '-w', 'ws')).toMatchObject({ code: 0, out: expect.stringContaining('1 blob on both sides') });
    } finally {
      delete process.env.LATHE_REMOTE_TOKEN;
      await server.close();
    }
  });
});
