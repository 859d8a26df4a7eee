import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { gitCli, gitFsck } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

const tempDir = useTempDirs();
const V1 = 'species,mass\nAdelie,3750\nGentoo,5000\n';
const V2 = 'species,mass\nAdelie,3750\nGentoo,5000\nChinstrap,3500\n';

const blobPath = (workspace: string, hash: string) => join(workspace, '.lathe/objects/sha256', hash.slice(7, 9), hash.slice(9));

async function flipByte(path: string, at: number) {
  await chmod(path, 0o644);
  const bytes = await readFile(path);
  bytes[at] = bytes[at]! ^ 0x04;
  await writeFile(path, bytes);
  await chmod(path, 0o444);
}

async function truncateTo(path: string, length: number) {
  await chmod(path, 0o644);
  await writeFile(path, (await readFile(path)).subarray(0, length));
  await chmod(path, 0o444);
}

async function setup() {
  const root = await tempDir();
  const fixture = await coreOnNewWorkspace(root);
  const v1 = await fixture.call('datasets:import-file', { workspace: fixture.workspace, path: await fixture.file('v1.csv', V1), name: 'penguins' });
  const v2 = await fixture.call('datasets:import-file', { workspace: fixture.workspace, path: await fixture.file('v2.csv', V2), name: 'penguins' });
  return { ...fixture, root, v1: v1.version, v2: v2.version };
}

describe('damaged bytes are never served as good', () => {
  it('refuses to show a version whose stored bytes were altered, and re-importing the same file repairs them', async () => {
    const { call, file, workspace, v2 } = await setup();
    await flipByte(blobPath(workspace, v2.contentHash), 20); // "Adelie,3750" → "Adelie,3350"
    await expect(call('datasets:show', { workspace, name: 'penguins' })).rejects.toMatchObject({
      error: { code: 'DATA_DAMAGED', message: expect.stringContaining('penguins@2 were altered'), hint: expect.stringContaining('Import the original file again') },
    });
    const again = await call('datasets:import-file', { workspace, path: await file('again.csv', V2), name: 'penguins' });
    expect(again).toMatchObject({ status: 'unchanged', repaired: true, version: { version: 2 } });
    const detail = await call('datasets:show', { workspace, name: 'penguins' });
    expect(detail.preview.rows[0]).toEqual(['Adelie', '3750']);
  });

  it('repairs, rather than reuses, a damaged blob when the same bytes arrive under another name', async () => {
    const { call, file, workspace, v1 } = await setup();
    await flipByte(blobPath(workspace, v1.contentHash), 15);
    const other = await call('datasets:import-file', { workspace, path: await file('copy.csv', V1), name: 'copy' });
    expect(other).toMatchObject({ status: 'created', repaired: true, version: { contentHash: v1.contentHash } });
    expect(await readFile(blobPath(workspace, v1.contentHash), 'utf8')).toBe(V1);
    await expect(call('datasets:show', { workspace, name: 'penguins', version: 1 })).resolves.toBeTruthy();
  });

  it('says a cut-short blob is cut short, not that the data is empty', async () => {
    const { call, workspace, v2 } = await setup();
    await truncateTo(blobPath(workspace, v2.contentHash), 0);
    await expect(call('datasets:show', { workspace, name: 'penguins' })).rejects.toMatchObject({
      error: { code: 'DATA_DAMAGED', message: expect.stringContaining(`cut short: 0 of ${V2.length} bytes`) },
    });
  });
});

describe('store:verify', () => {
  it('hashes every blob a commit names and lists the missing, cut-short and altered ones with who needs them', async () => {
    const { call, file, workspace, v1, v2 } = await setup();
    const other = await call('datasets:import-file', { workspace, path: await file('other.csv', 'a\n1\n'), name: 'other' });
    expect(await call('store:verify', { workspace })).toEqual({ checked: 3, checkedBytes: V1.length + V2.length + 4, intact: 3, problems: [] });

    await flipByte(blobPath(workspace, v1.contentHash), 3);
    await truncateTo(blobPath(workspace, v2.contentHash), 7);
    await rm(blobPath(workspace, other.version.contentHash), { force: true });
    const report = await call('store:verify', { workspace });
    expect(report).toMatchObject({ checked: 3, intact: 0 });
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ contentHash: v1.contentHash, problem: 'altered', expectedBytes: V1.length, actualBytes: V1.length, usedBy: ['penguins@1'] }),
        expect.objectContaining({ contentHash: v2.contentHash, problem: 'truncated', expectedBytes: V2.length, actualBytes: 7, usedBy: ['penguins@2'] }),
        expect.objectContaining({ contentHash: other.version.contentHash, problem: 'missing', actualBytes: null, usedBy: ['other@1'] }),
      ]),
    );
  });

  it('names every version that shares one blob', async () => {
    const { call, file, workspace, v1 } = await setup();
    await call('datasets:import-file', { workspace, path: await file('same.csv', V1), name: 'same' });
    await rm(blobPath(workspace, v1.contentHash), { force: true });
    const report = await call('store:verify', { workspace });
    expect(report.problems).toEqual([expect.objectContaining({ problem: 'missing', usedBy: ['penguins@1', 'same@1'] })]);
  });
});

describe('store:gc', () => {
  it('removes only blobs no commit names, and a dry run only lists them', async () => {
    const { call, workspace, v1 } = await setup();
    const orphan = join(workspace, '.lathe/objects/sha256/ab', 'c'.repeat(62));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(workspace, '.lathe/objects/sha256/ab'), { recursive: true });
    await writeFile(orphan, 'left by an import that was killed after storing its bytes');
    await writeFile(join(workspace, '.lathe/objects/sha256/ab', 'not-a-blob.txt'), 'someone else\'s file');

    const dry = await call('store:gc', { workspace, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, kept: 2, keptBytes: V1.length + V2.length, unreferenced: [{ contentHash: `sha256:ab${'c'.repeat(62)}`, bytes: 57 }] });
    expect(await readFile(orphan, 'utf8')).toContain('killed');

    const done = await call('store:gc', { workspace });
    expect(done).toMatchObject({ dryRun: false, kept: 2, unreferencedBytes: 57 });
    await expect(readFile(orphan)).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(workspace, '.lathe/objects/sha256/ab', 'not-a-blob.txt'), 'utf8')).toContain('someone');
    expect((await call('store:verify', { workspace })).problems).toEqual([]);
    expect(await readFile(blobPath(workspace, v1.contentHash), 'utf8')).toBe(V1);
  });

  it('keeps the bytes of versions that only another branch, a tag or the reflog still reaches', async () => {
    const { call, file, workspace, v2 } = await setup();
    const v3 = (await call('datasets:import-file', { workspace, path: await file('v3.csv', `${V2}King,9000\n`), name: 'penguins' })).version;
    const v4 = (await call('datasets:import-file', { workspace, path: await file('v4.csv', `${V2}Emperor,23000\n`), name: 'penguins' })).version;
    gitCli(workspace, 'tag', 'keep-v3', v3.commit);
    gitCli(workspace, 'branch', 'old-v2', v2.commit);
    // Drop v3 and v4 from main; git's reflog still remembers v4.
    gitCli(workspace, 'update-ref', '-m', 'test: drop v3 and v4', 'refs/heads/main', v2.commit);
    expect((await call('store:gc', { workspace })).unreferenced).toEqual([]);
    gitCli(workspace, 'tag', '-d', 'keep-v3');
    gitCli(workspace, 'reflog', 'expire', '--expire=now', '--all');
    const report = await call('store:gc', { workspace });
    expect(report.unreferenced.map((blob) => blob.contentHash).sort()).toEqual([v3.contentHash, v4.contentHash].sort());
    gitFsck(workspace);
  });
});
