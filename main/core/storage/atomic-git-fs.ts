import * as fs from 'node:fs';
import { writeFileAtomic } from './atomic-file.ts';

type WriteOptions = { mode?: number; encoding?: BufferEncoding } | BufferEncoding | undefined;

/**
 * The file system isomorphic-git is given. Identical to Node's, except that every write is
 * atomic (temp file, fsync, rename, fsync folder): isomorphic-git writes loose objects, the
 * index and refs in place, so a crash mid-write would otherwise leave a truncated object that
 * `git fsck` reports as corrupt.
 */
export const atomicGitFs = {
  promises: {
    readFile: fs.promises.readFile,
    unlink: fs.promises.unlink,
    readdir: fs.promises.readdir,
    mkdir: fs.promises.mkdir,
    rmdir: fs.promises.rmdir,
    rm: fs.promises.rm,
    stat: fs.promises.stat,
    lstat: fs.promises.lstat,
    readlink: fs.promises.readlink,
    symlink: fs.promises.symlink,
    chmod: fs.promises.chmod,
    async writeFile(path: string, data: string | Uint8Array, options?: WriteOptions): Promise<void> {
      const opts = typeof options === 'string' ? { encoding: options } : (options ?? {});
      await writeFileAtomic(path, data, opts);
    },
  },
};
