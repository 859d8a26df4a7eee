import { chmod, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TokenStorage } from '../../../shared/contract/deployments.ts';
import { failure } from '../errors.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';

/**
 * Where deploy targets' admin tokens are kept: never in a workspace (it is pushed and shared),
 * never in the workspace database, never in the target record beside the URL. The core asks only
 * for this interface; each front door supplies one:
 *
 * - the desktop app: Electron's safeStorage (the OS keychain), from main/app;
 * - the CLI and `lathe serve`: `privateFileSecrets`, a 0600 file per secret in a 0700 folder.
 *
 * `protection()` says how safe a kept secret is; a store whose protection is `plain-text` keeps
 * one only when the caller says the user agreed (`allowPlainText`).
 */
export interface SecretStore {
  /** How safe a secret kept now would be (asked each time: a keyring can appear or go away). */
  protection(): Promise<TokenStorage>;
  /** Keep `secret` under `name` (a target name), replacing what was there. */
  put(name: string, secret: string): Promise<void>;
  /** The secret kept under `name`, or null when there is none. */
  get(name: string): Promise<string | null>;
  remove(name: string): Promise<void>;
}

/** Secrets as files readable only by this user: `<dir>/<name>.token`, 0600, in a 0700 folder. */
export function privateFileSecrets(dir: string): SecretStore {
  const file = (name: string) => join(dir, `${name}.token`);
  return {
    protection: async () => 'private-file',
    async put(name, secret) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await tightenFolder(dir);
      await writeFileAtomic(file(name), secret, { mode: 0o600 });
    },
    async get(name) {
      const path = file(name);
      try {
        const info = await stat(path);
        if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
          throw failure('FORBIDDEN', `The token file ${path} can be read by other users (mode ${(info.mode & 0o777).toString(8)}), so Lathe will not use it.`, {
            hint: `Make it private with \`chmod 600 ${path}\`, or add the target again with \`lathe targets add NAME URL --token-file F --replace\`.`,
            location: { file: path },
          });
        }
        return (await readFile(path, 'utf8')).trim();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async remove(name) {
      await rm(file(name), { force: true });
    },
  };
}

/** A folder made earlier with a looser umask, or by hand, is made private before a secret goes in. */
async function tightenFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const info = await stat(dir);
  if ((info.mode & 0o077) !== 0) await chmod(dir, 0o700);
}
