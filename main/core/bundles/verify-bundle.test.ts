import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/temp-dir.ts';
import { writeSampleBundle, sampleSource } from '../testing/sample-bundle.ts';
import { describePublicKey, type PublicKeyInfo } from './signing-keys.ts';
import { BLOCK, encodeHeader, paddingOf } from './tar-header.ts';
import { verifyBundle } from './verify-bundle.ts';

const tempDir = useTempDirs();

/** The entries of an archive Lathe wrote, as (name, bytes), in order. */
function entriesOf(archive: Uint8Array): { name: string; bytes: Uint8Array; at: number }[] {
  const entries = [];
  for (let at = 0; ; ) {
    const block = archive.subarray(at, at + BLOCK);
    if (block.every((b) => b === 0)) return entries;
    const name = new TextDecoder().decode(block.subarray(0, 100)).split('\u0000')[0]!;
    const size = parseInt(new TextDecoder().decode(block.subarray(124, 135)), 8);
    entries.push({ name, bytes: archive.slice(at + BLOCK, at + BLOCK + size), at: at + BLOCK });
    at += BLOCK + size + paddingOf(size);
  }
}

/** An archive of these entries, as a hostile or careless tool might write it. */
function archiveOf(entries: { name: string; bytes: Uint8Array; type?: string; declaredSize?: number }[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const entry of entries) {
    const header = encodeHeader({ name: entry.name.length > 100 ? 'x' : entry.name, size: entry.declaredSize ?? entry.bytes.byteLength, mtime: 0 });
    if (entry.name.length > 100) throw new Error('test names are short');
    if (entry.type) rewriteType(header, entry.type);
    blocks.push(header, entry.bytes, new Uint8Array(paddingOf(entry.bytes.byteLength)));
  }
  blocks.push(new Uint8Array(2 * BLOCK));
  return Buffer.concat(blocks);
}

function rewriteType(header: Uint8Array, type: string): void {
  header[156] = type.charCodeAt(0);
  header.fill(0x20, 148, 156);
  const sum = header.reduce((total, byte) => total + byte, 0);
  header.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\u0000 `), 148);
}

async function sample() {
  const dir = await tempDir();
  const { file, key } = await writeSampleBundle(dir);
  const bytes = new Uint8Array(await readFile(file));
  const rewrite = async (changed: Uint8Array, name = 'changed.lathe') => {
    const path = join(dir, name);
    await writeFile(path, changed);
    return verifyBundle(path, { trusted: [key.publicKey] });
  };
  return { dir, file, key, bytes, entries: entriesOf(bytes), rewrite, trusted: [key.publicKey] as PublicKeyInfo[] };
}

describe('a signed bundle', () => {
  it('is a plain tar with the manifest and its signature first, and verifies with its own key', async () => {
    const { file, trusted, key } = await sample();
    expect(execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n')).toEqual([
      'manifest.json',
      'manifest.sig',
      'model/model.json',
      'model/weights.bin',
      'preprocessing.json',
      'signature.json',
      'model-card.md',
    ]);
    const result = await verifyBundle(file, { trusted, keep: ['model/weights.bin'] });
    expect(result.problems).toEqual([]);
    expect(result.verified).toBe(true);
    expect(result.signer).toEqual({ publicKey: key.publicKey.text, fingerprint: key.publicKey.fingerprint, trusted: true });
    expect(result.manifest).toMatchObject({ model: { name: 'penguins-species', version: 3 }, runId: '0123456789abcdef0123456789abcdef', latheVersion: 'test', created: '2026-01-02T03:04:05.000Z' });
    expect(result.parts.map((part) => part.status)).toEqual(['intact', 'intact', 'intact', 'intact', 'intact']);
    expect(result.kept.get('model/weights.bin')).toEqual(Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));
    expect([...result.kept.keys()]).toEqual(['model/weights.bin']);
  });

  it('fails when a byte of the weights is flipped, naming the part and both hashes, and hands back nothing', async () => {
    const { bytes, entries, rewrite, file } = await sample();
    const weights = entries.find((entry) => entry.name === 'model/weights.bin')!;
    const changed = bytes.slice();
    changed[weights.at + 1234]! ^= 0x01;
    const result = await rewrite(changed);
    expect(result.verified).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.kind).toBe('altered');
    const expected = (await verifyBundle(file, { trusted: [] })).parts.find((p) => p.path === 'model/weights.bin')!.sha256!;
    expect(result.problems[0]!.message).toMatch(new RegExp(`^part model/weights\\.bin: SHA-256 is [0-9a-f]{64}, the manifest says ${expected}$`));
    expect(result.parts.find((part) => part.path === 'model/weights.bin')!.status).toBe('altered');
    expect(result.kept.size).toBe(0);
  });

  it('fails when a byte of the manifest is flipped: the signature no longer matches it', async () => {
    const { bytes, entries, rewrite } = await sample();
    const manifest = entries[0]!;
    const changed = bytes.slice();
    const at = manifest.at + new TextDecoder().decode(manifest.bytes).indexOf('"version": 3') + 11;
    changed[at] = '4'.charCodeAt(0); // version 3 → 4: still valid JSON, still a valid manifest
    const result = await rewrite(changed);
    expect(result.verified).toBe(false);
    expect(result.problems.map((p) => p.kind)).toEqual(['signature']);
    expect(result.problems[0]!.message).toBe('the signature in manifest.sig does not match the bytes of manifest.json: the manifest or its signature was altered after signing');
  });

  it('fails when a byte of the signature is flipped', async () => {
    const { bytes, entries, rewrite } = await sample();
    const signature = entries[1]!;
    const text = new TextDecoder().decode(signature.bytes);
    const at = signature.at + text.indexOf('"signature": "') + 20;
    const changed = bytes.slice();
    changed[at] = changed[at] === 'A'.charCodeAt(0) ? 'B'.charCodeAt(0) : 'A'.charCodeAt(0);
    const result = await rewrite(changed);
    expect(result.verified).toBe(false);
    expect(result.problems[0]).toMatchObject({ kind: 'signature', part: 'manifest.json' });

    // Any byte at all: the file no longer parses, or no longer checks.
    for (const offset of [0, 10, 40, signature.bytes.byteLength - 2]) {
      const flipped = bytes.slice();
      flipped[signature.at + offset]! ^= 0x20;
      expect((await rewrite(flipped)).problems[0]!.kind).toBe('signature');
    }
  });

  it('fails when a part is swapped for the same part of another bundle, even one signed by the same key', async () => {
    const { dir, bytes, entries, rewrite } = await sample();
    const other = await writeSampleBundle(dir, 'other.lathe', sampleSource(Uint8Array.from({ length: 5000 }, (_, i) => (i * 13) % 256)));
    const theirs = entriesOf(new Uint8Array(await readFile(other.file))).find((entry) => entry.name === 'model/weights.bin')!;
    const ours = entries.find((entry) => entry.name === 'model/weights.bin')!;
    const swapped = bytes.slice();
    swapped.set(theirs.bytes, ours.at);
    const result = await rewrite(swapped);
    expect(result.verified).toBe(false);
    expect(result.problems.map((p) => [p.kind, p.part])).toEqual([['altered', 'model/weights.bin']]);
  });

  it('is refused when re-signed by a key that is not trusted, naming the key; trusting that key accepts it', async () => {
    const { dir, entries, rewrite } = await sample();
    const stranger = generateKeyPairSync('ed25519');
    const strangerKey = describePublicKey(stranger.publicKey);
    const manifest = entries[0]!.bytes;
    const signatureFile = `${JSON.stringify({ schemaVersion: 1, algorithm: 'ed25519', publicKey: strangerKey.text, signature: sign(null, manifest, stranger.privateKey).toString('base64') }, null, 2)}\n`;
    const resigned = archiveOf([{ name: 'manifest.json', bytes: manifest }, { name: 'manifest.sig', bytes: new TextEncoder().encode(signatureFile) }, ...entries.slice(2)]);
    const result = await rewrite(resigned);
    expect(result.verified).toBe(false);
    expect(result.problems).toEqual([{ kind: 'untrusted', part: 'manifest.sig', message: `signed by key ${strangerKey.fingerprint}… (${strangerKey.text}), which is not trusted` }]);
    expect(result.signer).toEqual({ publicKey: strangerKey.text, fingerprint: strangerKey.fingerprint, trusted: false });
    expect(result.parts.every((part) => part.status === 'intact')).toBe(true);

    const path = join(dir, 'resigned.lathe');
    await writeFile(path, resigned);
    expect((await verifyBundle(path, { trusted: [strangerKey] })).verified).toBe(true);
  });

  it('is refused when cut short anywhere, saying where the file ends', async () => {
    const { bytes, entries, rewrite } = await sample();
    const weights = entries.find((entry) => entry.name === 'model/weights.bin')!;
    const cuts = [0, 1, 511, 512, 700, entries[1]!.at - 1, weights.at + 10, weights.at + 4999, bytes.length - 2 * BLOCK, bytes.length - BLOCK, bytes.length - 1];
    for (const cut of cuts) {
      const result = await rewrite(bytes.slice(0, cut));
      expect(result.verified, `cut at ${cut}`).toBe(false);
      expect(result.problems.at(-1)!.message, `cut at ${cut}`).toMatch(cut < 1024 ? /too short to be a bundle|ends at byte/ : new RegExp(`ends at byte ${cut}`));
    }
    const inWeights = await rewrite(bytes.slice(0, weights.at + 10));
    expect(inWeights.problems.at(-1)).toEqual({ kind: 'truncated', part: 'model/weights.bin', message: `the file ends at byte ${weights.at + 10} inside part model/weights.bin (truncated: the part declares 5000 bytes from byte ${weights.at}, 10 are there)` });
  });

  it('fails with an extra part, and with a missing one', async () => {
    const { entries, rewrite } = await sample();
    const extra = await rewrite(archiveOf([...entries, { name: 'model/backdoor.bin', bytes: new Uint8Array(10) }]));
    expect(extra.verified).toBe(false);
    expect(extra.problems).toEqual([{ kind: 'extra', part: 'model/backdoor.bin', message: 'part model/backdoor.bin is in the archive but not in the manifest (an added file)' }]);

    const missing = await rewrite(archiveOf(entries.filter((entry) => entry.name !== 'model-card.md')));
    expect(missing.verified).toBe(false);
    expect(missing.parts.find((part) => part.path === 'model-card.md')!.status).toBe('missing');
    expect(missing.problems).toEqual([{ kind: 'missing', part: 'model-card.md', message: 'part model-card.md is in the manifest but not in the archive (removed)' }]);
  });

  it('refuses hostile archives: path traversal, absolute names, links, folders, huge sizes, duplicates, trailing data', async () => {
    const { entries, rewrite, bytes } = await sample();
    const head = entries.slice(0, 2);
    const one = (entry: { name: string; bytes: Uint8Array; type?: string; declaredSize?: number }) => rewrite(archiveOf([...head, entry, ...entries.slice(2)]));
    expect((await one({ name: '../../.bashrc', bytes: new Uint8Array(4) })).problems[0]!.message).toMatch(/named "..\/..\/.bashrc": a path that climbs out with ".."; the bundle is refused/);
    expect((await one({ name: '/etc/passwd', bytes: new Uint8Array(4) })).problems[0]!.message).toMatch(/an absolute path/);
    expect((await one({ name: 'model/link', bytes: new Uint8Array(0), type: '2' })).problems[0]!.message).toMatch(/"model\/link" is a symbolic link; a bundle holds only regular files/);
    expect((await one({ name: 'model/hard', bytes: new Uint8Array(0), type: '1' })).problems[0]!.message).toMatch(/hard link/);
    expect((await one({ name: 'model/', bytes: new Uint8Array(0), type: '5' })).problems[0]!.message).toMatch(/folder/);
    expect((await one({ name: 'PaxHeaders/x', bytes: new Uint8Array(0), type: 'x' })).problems[0]!.message).toMatch(/pax extended header/);
    const huge = await one({ name: 'model/huge.bin', bytes: new Uint8Array(0), declaredSize: 8 * 1024 ** 3 - 1 });
    expect(huge.problems.at(-1)).toMatchObject({ kind: 'truncated', part: 'model/huge.bin' });
    const hugeWeights = await rewrite(archiveOf([...head, { name: 'model/weights.bin', bytes: new Uint8Array(0), declaredSize: 8 * 1024 ** 3 - 1 }]));
    expect(hugeWeights.problems[0]).toMatchObject({ kind: 'size', part: 'model/weights.bin', message: 'part model/weights.bin: the archive holds 8589934591 bytes, the manifest says 5000' });
    const twice = await rewrite(archiveOf([...entries, entries.find((entry) => entry.name === 'model/weights.bin')!]));
    expect(twice.problems.at(-1)!.message).toBe('model/weights.bin appears twice in the archive (a second copy could replace the checked one); the bundle is refused');
    const secondManifest = await rewrite(archiveOf([...entries, entries[0]!]));
    expect(secondManifest.problems.at(-1)!.message).toMatch(/^manifest\.json appears twice/);
    const trailing = await rewrite(Buffer.concat([bytes, new TextEncoder().encode('#!/bin/sh\n')]));
    expect(trailing.problems).toEqual([{ kind: 'format', part: null, message: `10 bytes of trailing data follow the end of the archive at byte ${bytes.length}` }]);
    const notTar = await rewrite(new Uint8Array(4096).fill(0x41));
    expect(notTar.problems[0]!.message).toBe('the entry at byte 0 is refused: it is not a POSIX ustar header');
    const unsigned = await rewrite(archiveOf([entries[0]!, ...entries.slice(2)]));
    expect(unsigned.problems[0]).toMatchObject({ kind: 'signature', message: 'the archive has no manifest.sig after manifest.json (found "model/model.json"): the bundle is not signed' });
  });

  it('verifies a bundle unpacked and packed again with tar (which pads the archive with zero blocks), and still names a part left out', async () => {
    const { file, dir, trusted } = await sample();
    const unpacked = join(dir, 'unpacked');
    execFileSync('mkdir', [unpacked]);
    execFileSync('tar', ['-xf', file, '-C', unpacked]);
    const names = ['manifest.json', 'manifest.sig', 'model/model.json', 'model/weights.bin', 'preprocessing.json', 'signature.json', 'model-card.md'];
    const repacked = join(dir, 'repacked.lathe');
    execFileSync('tar', ['--format=ustar', '-cf', repacked, '-C', unpacked, ...names]);
    const result = await verifyBundle(repacked, { trusted });
    expect(result.problems).toEqual([]);
    expect(result.verified).toBe(true);

    const withoutCard = join(dir, 'without-card.lathe');
    execFileSync('tar', ['--format=ustar', '-cf', withoutCard, '-C', unpacked, ...names.filter((name) => name !== 'model-card.md')]);
    expect((await verifyBundle(withoutCard, { trusted })).problems).toEqual([
      { kind: 'missing', part: 'model-card.md', message: 'part model-card.md is in the manifest but not in the archive (removed)' },
    ]);
  });

  it("names GNU tar's own header format, which a bundle packed with tar's defaults has", async () => {
    const { file, dir, trusted } = await sample();
    const unpacked = join(dir, 'unpacked');
    execFileSync('mkdir', [unpacked]);
    execFileSync('tar', ['-xf', file, '-C', unpacked]);
    const gnu = join(dir, 'gnu.lathe');
    execFileSync('tar', ['--format=gnu', '-cf', gnu, '-C', unpacked, 'manifest.json', 'manifest.sig']);
    expect((await verifyBundle(gnu, { trusted })).problems[0]!.message).toBe(
      'the entry at byte 0 is refused: it is a GNU tar header, not POSIX ustar (pack a bundle with `tar --format=ustar`)',
    );
  });

  it('refuses a signed manifest that leaves out a part every bundle holds', async () => {
    const { entries, rewrite, key } = await sample();
    const manifest = JSON.parse(new TextDecoder().decode(entries[0]!.bytes)) as { parts: { path: string }[] };
    manifest.parts = manifest.parts.filter((part) => part.path !== 'preprocessing.json');
    const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest));
    const signatureFile = JSON.stringify({ schemaVersion: 1, algorithm: 'ed25519', publicKey: key.publicKey.text, signature: sign(null, manifestBytes, key.privateKey).toString('base64') });
    const result = await rewrite(archiveOf([{ name: 'manifest.json', bytes: manifestBytes }, { name: 'manifest.sig', bytes: new TextEncoder().encode(signatureFile) }, ...entries.slice(2).filter((entry) => entry.name !== 'preprocessing.json')]));
    expect(result.verified).toBe(false);
    expect(result.problems).toEqual([{ kind: 'format', part: 'manifest.json', message: 'manifest.json lists no preprocessing.json: a bundle holds the model, its preprocessing, signature and card' }]);
  });

  it('refuses hidden bytes in the padding between parts', async () => {
    const { bytes, entries, rewrite } = await sample();
    const card = entries.find((entry) => entry.name === 'model-card.md')!;
    const changed = bytes.slice();
    changed[card.at + card.bytes.byteLength + 3] = 0x41;
    expect((await rewrite(changed)).problems[0]).toMatchObject({ kind: 'format', part: 'model-card.md', message: 'the padding after model-card.md holds data (hidden bytes between parts)' });
  });
});

describe('any damage to a bundle', () => {
  it('fails verification with a named problem — a flipped byte anywhere, a cut anywhere, or bytes that are no archive — and never throws', async () => {
    const { bytes, dir, trusted } = await sample();
    const path = join(dir, 'fuzzed.lathe');
    const check = async (changed: Uint8Array) => {
      await writeFile(path, changed);
      const result = await verifyBundle(path, { trusted });
      expect(result.verified).toBe(false);
      expect(result.problems.length).toBeGreaterThan(0);
      expect(result.kept.size).toBe(0);
    };
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const changed = bytes.slice();
        changed[at]! ^= xor;
        // Every byte is checked by something: a header's checksum, the signature, a part's hash, the padding, the end marker.
        await check(changed);
      }),
      { numRuns: 150 },
    );
    await fc.assert(fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), async (cut) => check(bytes.slice(0, cut))), { numRuns: 60 });
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (junk) => check(junk)), { numRuns: 60 });
  });
});
