import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where Lathe keeps per-user state (the last workspace opened): LATHE_CONFIG_DIR, else XDG. */
export function defaultStateDir(): string {
  if (process.env.LATHE_CONFIG_DIR) return process.env.LATHE_CONFIG_DIR;
  if (process.platform === 'win32' && process.env.APPDATA) return join(process.env.APPDATA, 'Lathe');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Lathe');
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'lathe');
}

/** The workspace made on first start: LATHE_DEFAULT_WORKSPACE, else ~/Lathe. */
export function defaultWorkspacePath(): string {
  return process.env.LATHE_DEFAULT_WORKSPACE || join(homedir(), 'Lathe');
}

/** `resources/` of the source tree (the Electron app passes its packaged one instead). */
export function sourceResourcesDir(): string {
  return fileURLToPath(new URL('../../resources/', import.meta.url));
}
