import { appendFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LatheEvent } from '../../../shared/contract/calls.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { writeSyntheticCsv } from '../testing/generate-table.ts';
import { WORKER_THRESHOLD_BYTES } from './table-scan.ts';
import { gitCli, gitFsck } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

const tempDir = useTempDirs();

const V1 = 'species,island,bill_mm,mass_g\nAdelie,Torgersen,39.1,3750\nGentoo,Biscoe,46.1,\nChinstrap,Dream,49.5,3800\n';
const V2 = `${V1}Adelie,Dream,37.2,3550\n`;

async function setup() {
  const root = await tempDir();
  return { root, ...(await coreOnNewWorkspace(root)) };
}

function commitCount(dir: string) {
  return Number(gitCli(dir, 'rev-list', '--count', 'HEAD').trim());
}

describe('importing a dataset', () => {
  it('makes version 1: bytes in the store, manifest committed, profile and preview readable', async () => {
    const { call, file, workspace } = await setup();
    const outcome = await call('datasets:import-file', { workspace, path: await file('penguins.csv', V1), name: 'penguins', message: 'first look' });
    expect(outcome).toMatchObject({ status: 'created', version: { name: 'penguins', version: 1, rows: 3, columns: 4, bytes: V1.length, format: 'csv', message: 'first look', sourceFile: 'penguins.csv' } });

    const hex = outcome.version.contentHash.slice(7);
    expect(await readFile(join(workspace, '.lathe/objects/sha256', hex.slice(0, 2), hex.slice(2)), 'utf8')).toBe(V1);
    const manifest = JSON.parse(await readFile(join(workspace, 'datasets/penguins/dataset.json'), 'utf8'));
    expect(manifest).toMatchObject({ schemaVersion: 2, version: 1, contentHash: outcome.version.contentHash, rows: 3, columns: 4, source: { fileName: 'penguins.csv' } });
    const profile = JSON.parse(await readFile(join(workspace, 'datasets/penguins/profile.json'), 'utf8'));
    expect(profile).toMatchObject({ schemaVersion: 1, contentHash: outcome.version.contentHash, columns: [{ name: 'species' }, { name: 'island' }, { name: 'bill_mm' }, { name: 'mass_g' }] });
    expect(gitCli(workspace, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(['datasets/penguins/dataset.json', 'datasets/penguins/profile.json']);
    expect(gitCli(workspace, 'log', '-1', '--format=%B')).toContain(`Lathe-Dataset: penguins\nLathe-Version: 1`);
    expect(gitCli(workspace, 'status', '--porcelain')).toBe('');
    gitFsck(workspace);

    const detail = await call('datasets:show', { workspace, name: 'penguins' });
    expect(detail.preview.columns).toEqual(['species', 'island', 'bill_mm', 'mass_g']);
    expect(detail.preview.rows).toHaveLength(3);
    const mass = detail.profile.find((c) => c.name === 'mass_g');
    expect(mass).toMatchObject({ type: 'integer', missing: 1, count: 2, min: 3750, max: 3800, mean: 3775 });
  });

  it('makes version 2 from changed bytes, and no version from identical bytes', async () => {
    const { call, file, workspace } = await setup();
    await call('datasets:import-file', { workspace, path: await file('a.csv', V1), name: 'penguins' });
    const second = await call('datasets:import-file', { workspace, path: await file('b.csv', V2), name: 'penguins' });
    expect(second).toMatchObject({ status: 'created', version: { version: 2, rows: 4 } });
    const commits = commitCount(workspace);

    const again = await call('datasets:import-file', { workspace, path: await file('c.csv', V2), name: 'penguins' });
    expect(again).toMatchObject({ status: 'unchanged', version: { version: 2, commit: second.version.commit } });
    expect(commitCount(workspace)).toBe(commits);

    const log = await call('datasets:log', { workspace, name: 'penguins' });
    expect(log.map((v) => [v.version, v.rows, v.sourceFile])).toEqual([[2, 4, 'b.csv'], [1, 3, 'a.csv']]);
    const first = await call('datasets:show', { workspace, name: 'penguins', version: 1 });
    expect(first.preview.rows).toHaveLength(3);
    expect(first.version.contentHash).toBe(log[1]!.contentHash);
  });

  it('treats going back to older bytes as a new version, pointing at the same stored bytes', async () => {
    const { call, file, workspace } = await setup();
    const one = await call('datasets:import-file', { workspace, path: await file('a.csv', V1), name: 'd' });
    await call('datasets:import-file', { workspace, path: await file('b.csv', V2), name: 'd' });
    const three = await call('datasets:import-file', { workspace, path: await file('c.csv', V1), name: 'd' });
    expect(three).toMatchObject({ status: 'created', version: { version: 3, contentHash: one.version.contentHash } });
  });

  it('refuses a malformed file with its line, and leaves the workspace exactly as it was', async () => {
    const { call, file, workspace } = await setup();
    await call('datasets:import-file', { workspace, path: await file('a.csv', V1), name: 'penguins' });
    const before = { commits: commitCount(workspace), objects: await readdir(join(workspace, '.lathe/objects/sha256')) };

    const bad = await file('bad.csv', 'a,b\n1,2\n3\n');
    await expect(call('datasets:import-file', { workspace, path: bad, name: 'penguins' })).rejects.toMatchObject({
      error: { code: 'PARSE_ERROR', location: { file: 'bad.csv', line: 3 } },
    });
    expect(commitCount(workspace)).toBe(before.commits);
    expect(await readdir(join(workspace, '.lathe/objects/sha256'))).toEqual(before.objects);
    expect(await readdir(join(workspace, '.lathe/tmp'))).toEqual([]);
    expect(gitCli(workspace, 'status', '--porcelain')).toBe('');
    gitFsck(workspace);
  });

  it('refuses names that could escape the datasets folder before touching the disk', async () => {
    const { call, file, workspace } = await setup();
    const path = await file('a.csv', V1);
    for (const name of ['../x', 'a/b', '..', '.hidden', '', 'a\\b', 'x'.repeat(101)]) {
      await expect(call('datasets:import-file', { workspace, path, name })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT' } });
    }
    expect(commitCount(workspace)).toBe(1);
  });

  it('refuses a folder, a missing file and a relative path', async () => {
    const { call, workspace, root } = await setup();
    await expect(call('datasets:import-file', { workspace, path: root, name: 'x' })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('folder') } });
    await expect(call('datasets:import-file', { workspace, path: join(root, 'nope.csv'), name: 'x' })).rejects.toMatchObject({ error: { code: 'NOT_FOUND' } });
    await expect(call('datasets:import-file', { workspace, path: 'a.csv', name: 'x' })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });

  it('serialises concurrent imports into one history without losing a version', async () => {
    const { call, file, workspace } = await setup();
    const paths = await Promise.all([0, 1, 2, 3].map((i) => file(`f${i}.csv`, `a,b\n${i},${i}\n`)));
    const outcomes = await Promise.all(paths.map((path) => call('datasets:import-file', { workspace, path, name: 'busy' })));
    expect(outcomes.map((o) => o.version.version).sort()).toEqual([1, 2, 3, 4]);
    expect((await call('datasets:log', { workspace, name: 'busy' })).map((v) => v.version)).toEqual([4, 3, 2, 1]);
    gitFsck(workspace);
  });

  it('reports progress for an import that names an importId, and tells listeners a dataset changed', async () => {
    const { call, file, workspace, core } = await setup();
    const seen: LatheEvent[] = [];
    core.events.on((event) => seen.push(event));
    await call('datasets:import-file', { workspace, path: await file('a.csv', V1), name: 'p', importId: 'imp-1' });
    const progress = seen.filter((e) => e.name === 'datasets:import-progress');
    expect(progress.at(-1)).toEqual({ name: 'datasets:import-progress', payload: { importId: 'imp-1', bytesRead: V1.length, totalBytes: V1.length, rows: 3 } });
    expect(seen).toContainEqual({ name: 'datasets:changed', payload: { workspace, name: 'p', importId: 'imp-1' } });
  });

  it('refuses an upload over the size limit and keeps nothing of it', async () => {
    const { call, workspace } = await setup();
    async function* body() {
      for (let i = 0; i < 10; i += 1) yield new TextEncoder().encode('a,b\n1,2\n'.repeat(100));
    }
    await expect(call('datasets:import-upload', { workspace, fileName: 'big.csv', name: 'big' }, { upload: { chunks: body(), declaredBytes: null, maxBytes: 2000 } })).rejects.toMatchObject({
      error: { code: 'TOO_LARGE' },
    });
    expect(await readdir(join(workspace, '.lathe/tmp'))).toEqual([]);
  });

  it('refuses an upload call that comes without its bytes', async () => {
    const { call, workspace } = await setup();
    await expect(call('datasets:import-upload', { workspace, fileName: 'a.csv', name: 'a' })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining("takes a file's bytes") } });
  });

  it('never lets an uploaded file name choose a path', async () => {
    const { call, workspace } = await setup();
    async function* body() {
      yield new TextEncoder().encode(V1);
    }
    const outcome = await call('datasets:import-upload', { workspace, fileName: '../../../etc/evil.csv', name: 'up' }, { upload: { chunks: body(), declaredBytes: null, maxBytes: 1e6 } });
    expect(outcome.version.sourceFile).toBe('evil.csv');
  });

  it('imports the sample table that ships with Lathe', async () => {
    const { call, workspace } = await setup();
    const outcome = await call('datasets:import-sample', { workspace });
    expect(outcome.version).toMatchObject({ name: 'penguins', rows: 344, columns: 7 });
    const detail = await call('datasets:show', { workspace, name: 'penguins' });
    expect(detail.profile.find((c) => c.name === 'Species')).toMatchObject({ type: 'string', distinct: 3 });
    expect(detail.profile.find((c) => c.name === 'Sex')?.missing).toBeGreaterThan(0);
  });

  it('says which dataset and version do not exist', async () => {
    const { call, file, workspace } = await setup();
    await expect(call('datasets:log', { workspace, name: 'nope' })).rejects.toMatchObject({ error: { code: 'NOT_FOUND', message: expect.stringContaining('"nope"') } });
    await call('datasets:import-file', { workspace, path: await file('a.csv', V1), name: 'p' });
    await expect(call('datasets:show', { workspace, name: 'p', version: 7 })).rejects.toMatchObject({ error: { code: 'NOT_FOUND', message: expect.stringContaining('versions are 1 to 1') } });
  });

  it('scans a large file on a worker thread and stores exactly the bytes it hashed', async () => {
    const { call, workspace, root } = await setup();
    const path = join(root, 'large.csv');
    const { rows } = await writeSyntheticCsv(path, WORKER_THRESHOLD_BYTES * 1.5);
    const outcome = await call('datasets:import-file', { workspace, path, name: 'large' });
    expect(outcome.version.rows).toBe(rows);
    const hex = outcome.version.contentHash.slice(7);
    const stored = await readFile(join(workspace, '.lathe/objects/sha256', hex.slice(0, 2), hex.slice(2)));
    expect(stored.equals(await readFile(path))).toBe(true);
  });

  it('reports a worker-side parse failure with its line, and keeps nothing', async () => {
    const { call, workspace, root } = await setup();
    const path = join(root, 'large-bad.csv');
    const { rows } = await writeSyntheticCsv(path, WORKER_THRESHOLD_BYTES * 1.5);
    await appendFile(path, '1,2,3\n');
    await expect(call('datasets:import-file', { workspace, path, name: 'large' })).rejects.toMatchObject({
      error: { code: 'PARSE_ERROR', location: { file: 'large-bad.csv', line: rows + 2 } },
    });
    expect(await readdir(join(workspace, '.lathe/tmp'))).toEqual([]);
    expect(commitCount(workspace)).toBe(1);
  });
});
