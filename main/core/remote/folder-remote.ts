import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { reachPhase } from '../base/phases.ts';
import { failure } from '../errors.ts';
import { fsyncDirectory } from '../storage/atomic-file.ts';
import { hexOf, isProcessAlive } from '../storage/blob-store.ts';
import { mkdirInside } from '../storage/folders.ts';
import type { ByteRemote } from './byte-remote.ts';

/**
 * A byte remote in a folder (a mounted share, a USB disk, a runner's disk), laid out like the
 * local store: `<folder>/sha256/ab/cdef…`. Every blob is written to `<folder>/tmp/` first, synced,
 * and renamed into place, so a push killed midway leaves no partial blob under its final name,
 * and two pushes at once each rename whole, identical bytes. What is there is known from a
 * directory listing; nothing already there is read again.
 */
export class FolderRemote implements ByteRemote {
  readonly folder: string;
  readonly #objects: string;
  readonly #temp: string;
  /** Temp files start with this machine's name, so a later push here can sweep its dead ones. */
  readonly #tempPrefix = `push-${safeHostname()}-`;
  /** Folders renamed into since the last flush. */
  readonly #unsynced = new Set<string>();
  /** Folders known to exist (made or seen by this object): not made again for every blob. */
  readonly #made = new Set<string>();

  constructor(folder: string) {
    this.folder = folder;
    this.#objects = join(folder, 'sha256');
    this.#temp = join(folder, 'tmp');
  }

  where(hash: string): string {
    return this.pathOf(hash);
  }

  pathOf(hash: string): string {
    const hex = hexOf(hash);
    return join(this.#objects, hex.slice(0, 2), hex.slice(2));
  }

  /** Refuse a remote folder that is not there (an unmounted share must not fill the mount point's parent). */
  async assertReachable(what: string): Promise<void> {
    const info = await stat(this.folder).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      if (info.code === 'ENOENT') {
        throw failure('NOT_FOUND', `The folder of ${what} does not exist: ${this.folder}.`, {
          hint: 'Mount the share or plug in the disk, or create the folder if this is the first push to it.',
          location: { file: this.folder },
        });
      }
      throw info;
    }
    if (!info.isDirectory()) throw failure('INVALID_INPUT', `${what} names ${this.folder}, which is a file, not a folder.`, { location: { file: this.folder } });
  }

  /** Every blob the remote holds, by a listing of its folders (no file is opened). */
  async present(): Promise<Set<string>> {
    const found = new Set<string>();
    for (const fan of await listFolder(this.#objects)) {
      if (!/^[0-9a-f]{2}$/.test(fan)) continue;
      for (const rest of await listFolder(join(this.#objects, fan))) if (/^[0-9a-f]{62}$/.test(rest)) found.add(`sha256:${fan}${rest}`);
    }
    return found;
  }

  /** The bytes of one blob, unverified (the puller hashes them); null when the remote lacks it. */
  async open(hash: string): Promise<AsyncIterable<Uint8Array> | null> {
    const path = this.pathOf(hash);
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
    if (!info?.isFile()) return null;
    return createReadStream(path, { highWaterMark: 1 << 20 });
  }

  /**
   * Store `chunks` under `hash`: temp file, fsync, rename, fsync the folder. `chunks` must end in
   * an error if its bytes do not match (BlobStore.readVerified does): then nothing is placed.
   */
  async put(hash: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    await this.#ensureFolder(this.#temp);
    const temp = join(this.#temp, `${this.#tempPrefix}${process.pid}-${randomBytes(8).toString('hex')}`);
    const handle = await open(temp, 'wx', 0o644);
    try {
      try {
        for await (const chunk of chunks) await writeAll(handle, chunk);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await chmod(temp, 0o444);
      await reachPhase('remote:blob-written');
      const dir = join(this.#objects, hexOf(hash).slice(0, 2));
      await this.#ensureFolder(dir);
      await rename(temp, this.pathOf(hash));
      this.#unsynced.add(dir);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  async #ensureFolder(dir: string): Promise<void> {
    if (this.#made.has(dir)) return;
    await mkdirInside(this.folder, dir);
    this.#made.add(dir);
  }

  /**
   * Sync the folders blobs were renamed into. Each blob's bytes were synced before its rename, so
   * after a power cut a blob is whole under its name or absent; this makes the names themselves stay.
   */
  async flush(): Promise<void> {
    const dirs = [...this.#unsynced];
    this.#unsynced.clear();
    for (const dir of dirs) await fsyncDirectory(dir);
  }

  /** Remove temp files that this machine's pushes left when they were killed. */
  async sweepAbandoned(): Promise<void> {
    for (const name of await listFolder(this.#temp)) {
      if (!name.startsWith(this.#tempPrefix)) continue;
      const pid = Number(/^(\d+)-/.exec(name.slice(this.#tempPrefix.length))?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !isProcessAlive(pid)) await rm(join(this.#temp, name), { force: true }).catch(() => undefined);
    }
  }
}

async function listFolder(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function writeAll(handle: Awaited<ReturnType<typeof open>>, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) offset += (await handle.write(chunk, offset, chunk.byteLength - offset)).bytesWritten;
}

function safeHostname(): string {
  try {
    return hostname().replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 60) || 'host';
  } catch {
    return 'host';
  }
}
