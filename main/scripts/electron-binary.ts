import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The installed Electron executable, or null when it has not been downloaded. Mirrors the electron
 * package's own lookup, ELECTRON_OVERRIDE_DIST_PATH included, minus its download.
 */
export function installedElectron(projectRoot: string): string | null {
  const packageDir = path.join(projectRoot, 'node_modules', 'electron');
  const pathFile = path.join(packageDir, 'path.txt');
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executable = path.join(override, recorded || 'electron');
    return existsSync(executable) ? executable : null;
  }
  if (!recorded) return null;
  const executable = path.join(packageDir, 'dist', recorded);
  return existsSync(executable) ? executable : null;
}
