import { mkdir } from 'node:fs/promises';
import { join, relative as relativePath, sep } from 'node:path';

/**
 * Create the folders of `path` below `root`, one level at a time, never `root` itself. When the
 * root has gone (a workspace deleted while Lathe had it open), this fails with ENOENT instead of
 * quietly bringing back half of it, as `mkdir -p` would.
 */
export async function mkdirInside(root: string, path: string): Promise<void> {
  const rel = relativePath(root, path);
  if (rel === '') return;
  if (rel.startsWith('..') || rel.startsWith(sep)) throw new Error(`${path} is not inside ${root}`);
  let current = root;
  for (const segment of rel.split(sep)) {
    current = join(current, segment);
    try {
      await mkdir(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
