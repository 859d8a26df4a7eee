// postinstall: put `lathe` in node_modules/.bin so `npx lathe …` runs this checkout's CLI.
// (npm's own self-bin path for `npx <root package bin>` tries to reinstall the project into its
// npx cache and fails; a plain link in node_modules/.bin is what npx looks for first.)
// It links the same launcher as package.json "bin" (what `npm link` installs): any Node runs it.
import { chmodSync, lstatSync, mkdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const binDir = join(root, 'node_modules', '.bin');
const target = join(root, 'main', 'cli', 'lathe-launcher.cjs');
mkdirSync(binDir, { recursive: true });

if (process.platform === 'win32') {
  writeFileSync(join(binDir, 'lathe.cmd'), `@node "${target}" %*\r\n`);
} else {
  const link = join(binDir, 'lathe');
  try {
    lstatSync(link);
    unlinkSync(link);
  } catch {
    // not there yet
  }
  symlinkSync(relative(binDir, target), link);
  chmodSync(target, 0o755);
}
