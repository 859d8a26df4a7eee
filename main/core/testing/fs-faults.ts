import fsp, { type FileHandle } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { resolve, sep } from 'node:path';

/**
 * Tests only: make the n-th write below a folder fail as a full (or read-only, or failing) disk
 * would, to check that every write step of an operation fails cleanly. Counts each step that
 * changes the disk — creating or opening a file for writing, writing, syncing, renaming,
 * making a folder, changing a mode — by patching `node:fs/promises` (and its FileHandle) for
 * the whole process, then puts everything back with `restore()`.
 */
export type FaultCode = 'ENOSPC' | 'EIO' | 'EROFS' | 'EDQUOT';

export interface WriteFaults {
  /** Write steps seen so far below the folder. */
  readonly steps: number;
  /** What each step was, in order ("write /…/ingest-…"). */
  readonly log: readonly string[];
  restore(): void;
}

const WRITE_FLAGS = /[wa+]/;

export async function failNthWrite(folder: string, nth: number, code: FaultCode): Promise<WriteFaults> {
  const probe = await fsp.open(new URL(import.meta.url), 'r');
  const handlePrototype = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  const root = resolve(folder) + sep;
  const inside = (path: unknown) => typeof path === 'string' && (resolve(path) + sep).startsWith(root);
  const handlePaths = new WeakMap<FileHandle, string>();
  const log: string[] = [];
  const originals: [object, string, unknown][] = [];

  const step = (what: string, path: string) => {
    log.push(`${what} ${path}`);
    if (log.length === nth) {
      throw Object.assign(new Error(`${code}: injected failure, ${what} '${path}'`), { code, errno: -28, syscall: what, path });
    }
  };
  type Wrapper = (original: (...args: unknown[]) => Promise<unknown>) => (...args: unknown[]) => Promise<unknown>;
  const patch = (target: object, name: string, wrap: Wrapper) => {
    const original = (target as Record<string, unknown>)[name] as (...args: unknown[]) => Promise<unknown>;
    originals.push([target, name, original]);
    (target as Record<string, unknown>)[name] = wrap(original);
  };

  patch(fsp, 'open', (original) => async (...args) => {
    const [path, flags] = args;
    const writing = typeof flags === 'string' && WRITE_FLAGS.test(flags);
    if (writing && inside(path)) step('open', path as string);
    const handle = (await original(...args)) as FileHandle;
    if (writing && inside(path)) handlePaths.set(handle, path as string);
    return handle;
  });
  for (const name of ['writeFile', 'appendFile', 'mkdir', 'chmod', 'copyFile', 'link', 'symlink', 'truncate'] as const) {
    patch(fsp, name, (original) => async (...args) => {
      if (inside(args[0])) step(name, args[0] as string);
      return original(...args);
    });
  }
  patch(fsp, 'rename', (original) => async (...args) => {
    if (inside(args[1])) step('rename', args[1] as string);
    return original(...args);
  });
  // Writes through a handle opened for writing below the folder: FileHandle is not exported, so
  // its prototype is taken from a handle on this very module's file (opened for reading).
  for (const name of ['write', 'writev', 'writeFile', 'appendFile', 'sync', 'datasync', 'truncate'] as const) {
    patch(handlePrototype, name, (original) =>
      async function (this: FileHandle, ...args: unknown[]) {
        const path = handlePaths.get(this);
        if (path !== undefined) step(name, path);
        return original.apply(this, args);
      },
    );
  }
  syncBuiltinESMExports();

  return {
    get steps() {
      return log.length;
    },
    log,
    restore() {
      for (const [target, name, original] of originals.reverse()) (target as Record<string, unknown>)[name] = original;
      syncBuiltinESMExports();
    },
  };
}
