import * as fs from 'node:fs';
import { relative, isAbsolute } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';

type WriteOptions = { mode?: number; encoding?: BufferEncoding } | BufferEncoding | undefined;

/**
 * The file system isomorphic-git is given for the repository at `root`. Node's, except that:
 * - every write is atomic (temp file, fsync, rename, fsync folder): isomorphic-git writes loose
 *   objects, the index and refs in place, so a crash mid-write would otherwise leave a truncated
 *   object that `git fsck` reports as corrupt;
 * - it never creates `root` or anything outside it: isomorphic-git creates missing parents on
 *   any failed write, so a workspace deleted while open would otherwise come back half-made.
 * Every call goes through `fs.promises` at call time (not a copy taken at load).
 */
export function atomicGitFs(root: string) {
  const p = () => fs.promises;
  return {
    promises: {
      readFile: ((...args: Parameters<typeof fs.promises.readFile>) => p().readFile(...args)) as typeof fs.promises.readFile,
      unlink: (path: string) => p().unlink(path),
      readdir: ((...args: Parameters<typeof fs.promises.readdir>) => p().readdir(...args)) as typeof fs.promises.readdir,
      async mkdir(path: string, options?: fs.MakeDirectoryOptions) {
        if (!isStrictlyInside(root, path)) {
          throw Object.assign(new Error(`ENOENT: the workspace folder ${root} is gone; not creating ${path}`), { code: 'ENOENT', path, syscall: 'mkdir' });
        }
        return p().mkdir(path, options);
      },
      rmdir: (path: string) => p().rmdir(path),
      rm: (path: string, options?: fs.RmOptions) => p().rm(path, options),
      stat: ((...args: Parameters<typeof fs.promises.stat>) => p().stat(...args)) as typeof fs.promises.stat,
      lstat: ((...args: Parameters<typeof fs.promises.lstat>) => p().lstat(...args)) as typeof fs.promises.lstat,
      readlink: ((...args: Parameters<typeof fs.promises.readlink>) => p().readlink(...args)) as typeof fs.promises.readlink,
      symlink: (target: string, path: string) => p().symlink(target, path),
      chmod: (path: string, mode: fs.Mode) => p().chmod(path, mode),
      async writeFile(path: string, data: string | Uint8Array, options?: WriteOptions): Promise<void> {
        const opts = typeof options === 'string' ? { encoding: options } : (options ?? {});
        await writeFileAtomic(path, data, opts);
      },
    },
  };
}

function isStrictlyInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
