import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/temp-dir.ts';
import { BlobChecks } from './blob-checks.ts';
import { BlobStore } from './blob-store.ts';
import { WorkspaceDb } from './workspace-db.ts';

const tempDir = useTempDirs();
const storeIn = (root: string) => new BlobStore(root, join(root, '.lathe'));
const sha = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('BlobStore', () => {
  it('stores bytes under their SHA-256 with a two-character fan-out, read-only', async () => {
    const store = storeIn(await tempDir());
    const writer = await store.begin();
    await writer.write(new TextEncoder().encode('a,b\n'));
    await writer.write(new TextEncoder().encode('1,2\n'));
    const { hash, bytes } = await writer.commit();
    expect(hash).toBe(sha(new TextEncoder().encode('a,b\n1,2\n')));
    expect(bytes).toBe(8);
    const path = store.pathOf(hash);
    expect(path).toContain(join('objects', 'sha256', hash.slice(7, 9), hash.slice(9)));
    expect(await readFile(path, 'utf8')).toBe('a,b\n1,2\n');
    expect((await stat(path)).mode & 0o222).toBe(0);
  });

  it('hashes any split of the bytes the same as the whole', async () => {
    const store = storeIn(await tempDir());
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), async (chunks) => {
        const writer = await store.begin();
        for (const chunk of chunks) await writer.write(chunk);
        const whole = Buffer.concat(chunks);
        expect(writer.digest()).toBe(sha(whole));
        await writer.discard();
      }),
      { numRuns: 50 },
    );
  });

  it('leaves nothing behind when discarded, and nothing under the hash before commit', async () => {
    const root = await tempDir();
    const store = storeIn(root);
    const writer = await store.begin();
    await writer.write(new Uint8Array([1, 2, 3]));
    expect(await store.has(writer.digest())).toBe(false);
    await writer.discard();
    expect(await readdir(store.tempDir)).toEqual([]);
  });

  it('writes identical bytes once', async () => {
    const store = storeIn(await tempDir());
    for (let i = 0; i < 2; i += 1) {
      const writer = await store.begin();
      await writer.write(new Uint8Array([9, 9]));
      await writer.commit();
    }
    const fanout = await readdir(store.objectsDir);
    expect(fanout).toHaveLength(1);
    expect(await readdir(join(store.objectsDir, fanout[0]!))).toHaveLength(1);
    expect(await readdir(store.tempDir)).toEqual([]);
  });

  it('sweeps temp files of importers that died, not of live ones', async () => {
    const store = storeIn(await tempDir());
    const live = await store.begin();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(store.tempDir, 'ingest-999999999-dead'), 'partial');
    expect(await store.sweepAbandoned()).toBe(1);
    expect(await readdir(store.tempDir)).toHaveLength(1);
    await live.discard();
  });

  it('rejects a malformed hash instead of building a path from it', () => {
    const store = storeIn('/x');
    expect(() => store.pathOf('sha256:../../etc/passwd')).toThrow(/not a SHA-256/);
  });
});

describe('BlobStore guards', () => {
  it('refuses to store bytes that changed between hashing and writing', async () => {
    const store = storeIn(await tempDir());
    const writer = await store.begin();
    const chunk = new Uint8Array([1, 2, 3, 4]);
    void writer.write(chunk);
    structuredClone(chunk.buffer, { transfer: [chunk.buffer] }); // empties `chunk`, as a careless transfer would
    await expect(writer.commit()).rejects.toThrow(/changed between hashing and writing|wrote 0 of 4/);
    await writer.discard();
    expect(await readdir(store.objectsDir).catch(() => [])).toEqual([]);
  });
});

describe('BlobStore checks bytes against their name', () => {
  /** A store that remembers its checks in a workspace database, as a workspace's does. */
  async function storeWith(bytes: Uint8Array) {
    const root = await tempDir();
    const db = WorkspaceDb.open(join(root, 'lathe.db'));
    const store = new BlobStore(root, join(root, '.lathe'), new BlobChecks(() => db));
    const writer = await store.begin();
    await writer.write(bytes);
    const { hash } = await writer.commit();
    return { store, hash, path: store.pathOf(hash) };
  }

  async function damage(path: string, edit: (bytes: Buffer) => Buffer) {
    const { chmod, writeFile } = await import('node:fs/promises');
    await chmod(path, 0o644);
    await writeFile(path, edit(await readFile(path)));
    await chmod(path, 0o444);
  }

  const data = new TextEncoder().encode('species,mass\nAdelie,3750\nGentoo,5000\n');

  it('finds a flipped byte, a cut-short file and a missing one', async () => {
    const { store, hash, path } = await storeWith(data);
    expect(await store.inspect(hash, data.length, { trustCache: true })).toEqual({ state: 'intact', bytes: data.length });
    await damage(path, (bytes) => Object.assign(bytes, { [20]: bytes[20]! ^ 1 }));
    expect(await store.inspect(hash, data.length, { trustCache: true })).toEqual({ state: 'altered', bytes: data.length });
    await expect(store.assertIntact(hash, data.length, 'penguins@1')).rejects.toMatchObject({ error: { code: 'DATA_DAMAGED', message: expect.stringContaining('penguins@1 were altered') } });
    await damage(path, (bytes) => bytes.subarray(0, 10));
    await expect(store.assertIntact(hash, data.length, 'penguins@1')).rejects.toMatchObject({ error: { code: 'DATA_DAMAGED', message: expect.stringContaining('cut short: 10 of 37 bytes') } });
    await store.remove(hash);
    await expect(store.assertIntact(hash, data.length, 'penguins@1')).rejects.toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('does not trust a remembered check once the file changed, even with its size kept', async () => {
    const { store, hash, path } = await storeWith(data);
    await store.assertIntact(hash, data.length, 'x'); // remembered as intact
    await damage(path, (bytes) => Object.assign(bytes, { [0]: 0x53 })); // species -> Species
    expect((await store.inspect(hash, data.length, { trustCache: true })).state).toBe('altered');
  });

  it('streams every byte of a whole-blob read through the hash, and fails at the end when they differ', async () => {
    const { store, hash, path } = await storeWith(data);
    const read = async () => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of store.readVerified(hash, data.length, 'penguins@1')) chunks.push(chunk);
      return Buffer.concat(chunks).toString();
    };
    expect(await read()).toBe(new TextDecoder().decode(data));
    await damage(path, (bytes) => Object.assign(bytes, { [30]: 0x39 }));
    await expect(read()).rejects.toMatchObject({ error: { code: 'DATA_DAMAGED' } });
  });

  it('replaces a damaged blob when the same bytes are stored again, and keeps an intact one', async () => {
    const { store, hash, path } = await storeWith(data);
    const again = async () => {
      const writer = await store.begin();
      await writer.write(data);
      return (await writer.commit()).placement;
    };
    expect(await again()).toBe('present');
    await damage(path, (bytes) => bytes.subarray(0, 5));
    expect(await again()).toBe('repaired');
    expect(await readFile(path)).toEqual(Buffer.from(data));
    expect((await stat(path)).mode & 0o222).toBe(0);
    await store.remove(hash);
    expect(await again()).toBe('stored');
    expect(await readdir(store.tempDir)).toEqual([]);
  });
});
