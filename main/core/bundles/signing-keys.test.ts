import { generateKeyPairSync } from 'node:crypto';
import { chmod, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/temp-dir.ts';
import { loadOrCreateSigningKey, parsePublicKey, readOwnPublicKey } from './signing-keys.ts';

const tempDir = useTempDirs();

describe('the signing key', () => {
  it('is made once, readable only by its owner, and the same key afterwards — also when several ask at once', async () => {
    const state = join(await tempDir(), 'state');
    expect(await readOwnPublicKey(state)).toBeNull();
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateSigningKey(state)));
    expect(new Set(keys.map((key) => key.publicKey.text)).size).toBe(1);
    expect(keys.filter((key) => key.created)).toHaveLength(1);
    expect(await readdir(join(state, 'keys'))).toEqual(['bundle-signing.pem']);
    expect((await stat(keys[0]!.file)).mode & 0o777).toBe(0o600);
    expect((await readOwnPublicKey(state))!.text).toBe(keys[0]!.publicKey.text);
    expect((await loadOrCreateSigningKey(state)).created).toBe(false);
  });

  it('is refused when others can read it, or when it is not an Ed25519 private key, saying what to do', async () => {
    const state = join(await tempDir(), 'state');
    const key = await loadOrCreateSigningKey(state);
    await chmod(key.file, 0o644);
    await expect(loadOrCreateSigningKey(state)).rejects.toMatchObject({ error: { code: 'FORBIDDEN', hint: expect.stringContaining(`chmod 600 ${key.file}`), location: { file: key.file } } });
    await writeFile(key.file, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await chmod(key.file, 0o600);
    await expect(loadOrCreateSigningKey(state)).rejects.toMatchObject({ error: { code: 'PARSE_ERROR', message: expect.stringContaining('is a ec key; bundles are signed with Ed25519') } });
    await writeFile(key.file, 'not a key');
    await expect(loadOrCreateSigningKey(state)).rejects.toMatchObject({ error: { code: 'PARSE_ERROR', message: expect.stringContaining('is not a PEM private key') } });
  });

  it('has a public half that reads back from every form it is shown in', async () => {
    const { publicKey } = await loadOrCreateSigningKey(join(await tempDir(), 'state'));
    expect(publicKey.text).toMatch(/^ed25519:[A-Za-z0-9+/]{43}=$/);
    expect(publicKey.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    for (const form of [publicKey.text, publicKey.text.slice('ed25519:'.length), publicKey.pem, `  ${publicKey.text}\n`]) expect(parsePublicKey(form)?.text).toBe(publicKey.text);
    for (const junk of ['', 'ed25519:', 'ed25519:abc=', 'x'.repeat(44), generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string]) expect(parsePublicKey(junk)).toBeNull();
  });
});
