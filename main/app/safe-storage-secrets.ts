import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { TokenStorage } from '../../shared/contract/deployments.ts';
import type { SecretStore } from '../core/deploy/secret-store.ts';
import { writeFileAtomic } from '../core/storage/atomic-file.ts';

/**
 * The desktop app's secret store for deploy targets' tokens: Electron's safeStorage, whose key
 * lives in the OS keychain (macOS Keychain, Windows DPAPI, libsecret or KWallet on Linux). The
 * encrypted bytes go in a 0600 file per token in a 0700 folder of the app's user data.
 *
 * Where safeStorage can only fall back to plain text — on Linux with no keyring, its backend is
 * `basic_text` (a key hard-coded in Chromium) — or cannot encrypt at all, `protection()` says
 * `plain-text`, and the core keeps a token only when the user confirmed that.
 */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string }>;
  getSelectedStorageBackend?(): string;
}

/** The first byte of a kept file: encrypted by safeStorage, or plain (the user agreed). */
const ENCRYPTED = 0x45; // 'E'
const PLAIN = 0x50; // 'P'

export function safeStorageSecrets(safe: SafeStorageLike | undefined, dir: string, platform: NodeJS.Platform = process.platform): SecretStore {
  const file = (name: string) => path.join(dir, `${name}.secret`);
  const canEncrypt = async () => safe !== undefined && (await safe.isAsyncEncryptionAvailable().catch(() => false));
  const protection = async (): Promise<TokenStorage> => {
    if (!(await canEncrypt())) return 'plain-text';
    if (platform === 'linux' && safe?.getSelectedStorageBackend?.() === 'basic_text') return 'plain-text';
    return 'os-keychain';
  };
  return {
    protection,
    async put(name, secret) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const bytes = (await protection()) === 'os-keychain' ? Buffer.concat([Buffer.of(ENCRYPTED), await safe!.encryptStringAsync(secret)]) : Buffer.concat([Buffer.of(PLAIN), Buffer.from(secret, 'utf8')]);
      await writeFileAtomic(file(name), bytes, { mode: 0o600 });
    },
    async get(name) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file(name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      if (bytes[0] === PLAIN) return bytes.subarray(1).toString('utf8');
      if (bytes[0] !== ENCRYPTED || !safe) return null;
      return (await safe.decryptStringAsync(bytes.subarray(1))).result;
    },
    async remove(name) {
      await rm(file(name), { force: true });
    },
  };
}
