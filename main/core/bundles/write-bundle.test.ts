import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failNthWrite } from '../testing/fs-faults.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { memoryPart, sampleSource, writeSampleBundle } from '../testing/sample-bundle.ts';
import { loadOrCreateSigningKey } from './signing-keys.ts';
import { verifyBundle } from './verify-bundle.ts';
import { writeBundle } from './write-bundle.ts';

/** Packaging leaves a whole bundle or none: never half of one, never a temp file. */
const tempDir = useTempDirs();

describe('writing a bundle', () => {
  it('fails with DISK_ERROR at every write step of a full disk, keeping the bundle that was there and leaving nothing else', async () => {
    const dir = await tempDir();
    const out = join(dir, 'bundles');
    await mkdir(out);
    const key = await loadOrCreateSigningKey(join(dir, 'state'));
    const file = join(out, 'model.lathe');
    // Count the write steps of replacing a bundle, then put the old one back.
    await writeBundle(sampleSource(), file, key, { latheVersion: 'old' });
    const counting = await failNthWrite(out, Number.POSITIVE_INFINITY, 'ENOSPC');
    await writeBundle(sampleSource(), file, key, { latheVersion: 'new' });
    counting.restore();
    expect(counting.steps).toBeGreaterThan(10);
    await writeBundle(sampleSource(), file, key, { latheVersion: 'old' });
    const original = await readFile(file);

    for (let step = 1; step <= counting.steps; step++) {
      const faults = await failNthWrite(out, step, 'ENOSPC');
      try {
        await expect(writeBundle(sampleSource(), file, key, { latheVersion: 'new' }), `step ${step}: ${counting.log[step - 1]}`).rejects.toMatchObject({
          error: { code: 'DISK_ERROR', message: expect.stringMatching(/^Could not write the bundle .*model\.lathe: the disk is full .* No bundle was written\.$/) },
        });
      } finally {
        faults.restore();
      }
      expect(await readdir(out), `step ${step}`).toEqual(['model.lathe']);
      expect(await readFile(file), `step ${step}`).toEqual(original);
    }
  });

  it('stops when a part does not hold the bytes its source promised, and writes nothing', async () => {
    const dir = await tempDir();
    const source = sampleSource();
    const liar = memoryPart('model/weights.bin', 'other bytes');
    const parts = source.parts.map((part) => (part.path === 'model/weights.bin' ? { ...part, read: liar.read } : part));
    const key = await loadOrCreateSigningKey(join(dir, 'state'));
    await expect(writeBundle({ ...source, parts }, join(dir, 'x.lathe'), key, { latheVersion: 'test' })).rejects.toMatchObject({
      error: { code: 'DATA_DAMAGED', message: 'Part model/weights.bin of penguins-species@3 changed while it was packaged: it has 11 bytes, the model version says 5000.' },
    });
    expect((await readdir(dir)).sort()).toEqual(['state']);
  });

  it('refuses a source without the parts serving needs, naming them', async () => {
    const dir = await tempDir();
    const source = sampleSource();
    const key = await loadOrCreateSigningKey(join(dir, 'state'));
    await expect(writeBundle({ ...source, parts: source.parts.filter((part) => !part.path.endsWith('.json')) }, join(dir, 'x.lathe'), key, { latheVersion: 'test' })).rejects.toMatchObject({
      error: { code: 'NOT_FOUND', message: expect.stringContaining('has no model/model.json, preprocessing.json, signature.json;') },
    });
  });

  it('writes a bundle that verifies, byte for byte the same for the same parts and time', async () => {
    const dir = await tempDir();
    const first = await writeSampleBundle(dir, 'a.lathe');
    const second = await writeSampleBundle(dir, 'b.lathe');
    // Ed25519 signatures are deterministic: same key, same manifest, same file.
    expect(await readFile(first.file)).toEqual(await readFile(second.file));
    expect((await verifyBundle(first.file, { trusted: [first.key.publicKey] })).verified).toBe(true);
  });
});
