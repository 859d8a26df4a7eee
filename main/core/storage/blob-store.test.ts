import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/temp-dir.ts';
import { BlobStore } from './blob-store.ts';

const tempDir = useTempDirs();
const sha = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('BlobStore', () => {
  it('stores bytes under their SHA-256 with a two-character fan-out, read-only', async () => {
    const store = new BlobStore(await tempDir());
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
    const store = new BlobStore(await tempDir());
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
    const store = new BlobStore(root);
    const writer = await store.begin();
    await writer.write(new Uint8Array([1, 2, 3]));
    expect(await store.has(writer.digest())).toBe(false);
    await writer.discard();
    expect(await readdir(store.tempDir)).toEqual([]);
  });

  it('writes identical bytes once', async () => {
    const store = new BlobStore(await tempDir());
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
    const store = new BlobStore(await tempDir());
    const live = await store.begin();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(store.tempDir, 'ingest-999999999-dead'), 'partial');
    expect(await store.sweepAbandoned()).toBe(1);
    expect(await readdir(store.tempDir)).toHaveLength(1);
    await live.discard();
  });

  it('rejects a malformed hash instead of building a path from it', () => {
    const store = new BlobStore('/x');
    expect(() => store.pathOf('sha256:../../etc/passwd')).toThrow(/not a SHA-256/);
  });
});

describe('BlobStore guards', () => {
  it('refuses to store bytes that changed between hashing and writing', async () => {
    const store = new BlobStore(await tempDir());
    const writer = await store.begin();
    const chunk = new Uint8Array([1, 2, 3, 4]);
    void writer.write(chunk);
    structuredClone(chunk.buffer, { transfer: [chunk.buffer] }); // empties `chunk`, as a careless transfer would
    await expect(writer.commit()).rejects.toThrow(/changed between hashing and writing|wrote 0 of 4/);
    await writer.discard();
    expect(await readdir(store.objectsDir).catch(() => [])).toEqual([]);
  });
});
