import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { safeStorageSecrets, type SafeStorageLike } from './safe-storage-secrets.ts';

const tempDir = useTempDirs();

/** A stand-in for Electron's safeStorage: "encrypts" by XOR, and says which backend it has. */
function fakeSafeStorage(backend: string, available = true): SafeStorageLike {
  const xor = (bytes: Buffer) => Buffer.from(bytes.map((byte) => byte ^ 0x5a));
  return {
    isAsyncEncryptionAvailable: async () => available,
    encryptStringAsync: async (text) => xor(Buffer.from(`v10${text}`)),
    decryptStringAsync: async (bytes) => ({ result: xor(bytes).toString().slice(3) }),
    getSelectedStorageBackend: () => backend,
  };
}

describe("the desktop app's token store (Electron safeStorage)", () => {
  it('keeps a token encrypted by the OS keychain, in a 0600 file in a 0700 folder, and reads it back', async () => {
    const dir = path.join(await tempDir(), 'deploy-tokens');
    const secrets = safeStorageSecrets(fakeSafeStorage('gnome_libsecret'), dir, 'linux');
    expect(await secrets.protection()).toBe('os-keychain');
    await secrets.put('edge-1-abc', 'lathe_agent_secret-token');
    const [name] = await readdir(dir);
    expect((await readFile(path.join(dir, name!))).includes(Buffer.from('lathe_agent_secret-token'))).toBe(false);
    expect((await stat(path.join(dir, name!))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await secrets.get('edge-1-abc')).toBe('lathe_agent_secret-token');
    await secrets.remove('edge-1-abc');
    expect(await secrets.get('edge-1-abc')).toBeNull();
  });

  it("says plain-text where safeStorage falls back to basic_text on Linux, or cannot encrypt, or is missing", async () => {
    const dir = await tempDir();
    expect(await safeStorageSecrets(fakeSafeStorage('basic_text'), dir, 'linux').protection()).toBe('plain-text');
    expect(await safeStorageSecrets(fakeSafeStorage('unknown', false), dir, 'darwin').protection()).toBe('plain-text');
    expect(await safeStorageSecrets(undefined, dir, 'linux').protection()).toBe('plain-text');
    expect(await safeStorageSecrets(fakeSafeStorage('unknown'), dir, 'darwin').protection()).toBe('os-keychain');
  });
});
