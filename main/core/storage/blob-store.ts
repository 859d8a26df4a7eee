import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { access, chmod, mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory } from './atomic-file.ts';
import { failure } from '../errors.ts';

export type ContentHash = `sha256:${string}`;

/**
 * Content-addressed bytes under `.lathe/objects/sha256/ab/cdef…`, written once and never
 * changed. New bytes stream into `.lathe/tmp` while they are hashed, and move into place only
 * when the caller commits them, so a crash never leaves a partial object under its name.
 */
export class BlobStore {
  readonly objectsDir: string;
  readonly tempDir: string;

  constructor(latheDir: string) {
    this.objectsDir = join(latheDir, 'objects', 'sha256');
    this.tempDir = join(latheDir, 'tmp');
  }

  pathOf(hash: ContentHash | string): string {
    const hex = hexOf(hash);
    return join(this.objectsDir, hex.slice(0, 2), hex.slice(2));
  }

  async has(hash: string): Promise<boolean> {
    try {
      await access(this.pathOf(hash));
      return true;
    } catch {
      return false;
    }
  }

  /** Start writing new bytes; nothing is visible until `commit`. */
  async begin(): Promise<BlobWriter> {
    await mkdir(this.tempDir, { recursive: true });
    const tempPath = join(this.tempDir, `ingest-${process.pid}-${randomBytes(8).toString('hex')}`);
    const handle = await open(tempPath, 'wx', 0o600);
    return new BlobWriter(this, tempPath, handle);
  }

  /** Read a blob's bytes (not verified against the hash: callers read only the start, for previews). */
  read(hash: string, options: { highWaterMark?: number } = {}): ReadStream {
    return createReadStream(this.pathOf(hash), { highWaterMark: options.highWaterMark ?? 1 << 20 });
  }

  async assertPresent(hash: string, what: string): Promise<void> {
    if (!(await this.has(hash))) {
      throw failure('NOT_FOUND', `The bytes of ${what} (${hash}) are missing from this machine's store (.lathe/objects).`, {
        hint: 'Copy them from the machine that imported them, or import the file again.',
      });
    }
  }

  /** Remove temp files left by importers that are no longer running (a crash mid-import). */
  async sweepAbandoned(): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.tempDir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const pid = Number(/^ingest-(\d+)-/.exec(name)?.[1]);
      if (Number.isInteger(pid) && !isProcessAlive(pid)) {
        await rm(join(this.tempDir, name), { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  /** @internal used by BlobWriter */
  async place(tempPath: string, hash: ContentHash): Promise<void> {
    const finalPath = this.pathOf(hash);
    if (await this.has(hash)) {
      await rm(tempPath, { force: true });
      return;
    }
    const dir = join(this.objectsDir, hexOf(hash).slice(0, 2));
    await mkdir(dir, { recursive: true });
    await chmod(tempPath, 0o444);
    await rename(tempPath, finalPath);
    await fsyncDirectory(dir);
  }
}

/** Bytes on their way into the store: hashed and written as they arrive. */
export class BlobWriter {
  readonly #store: BlobStore;
  readonly #hash: Hash = createHash('sha256');
  readonly #tempPath: string;
  #handle: FileHandle | null;
  #bytes = 0;
  #written = 0;
  #pending: Promise<unknown> = Promise.resolve();

  constructor(store: BlobStore, tempPath: string, handle: FileHandle) {
    this.#store = store;
    this.#tempPath = tempPath;
    this.#handle = handle;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Hash the chunk now and queue its write. Writes run one at a time in order; the returned
   * promise resolves when the previous write is done, so awaiting it bounds memory to about one
   * chunk in flight while hashing and parsing of the next chunk overlap with the disk.
   */
  write(chunk: Uint8Array): Promise<unknown> {
    const handle = this.#handle;
    if (!handle) throw new Error('BlobWriter is closed');
    this.#hash.update(chunk);
    this.#bytes += chunk.byteLength;
    const previous = this.#pending;
    const length = chunk.byteLength;
    this.#pending = previous.then(async () => {
      this.#written += await writeAll(handle, chunk);
      // A chunk emptied while queued (its buffer transferred elsewhere) would leave a file
      // shorter than what was hashed, stored under a name it does not match.
      if (chunk.byteLength !== length) throw new Error('a chunk changed between hashing and writing');
    });
    return previous;
  }

  /** Flush to disk and move into the store; returns the content hash. */
  async commit(): Promise<{ hash: ContentHash; bytes: number }> {
    const hash = this.digest();
    await this.finish();
    await this.#store.place(this.#tempPath, hash);
    return { hash, bytes: this.#bytes };
  }

  /** The hash of everything written, once writing is over. */
  digest(): ContentHash {
    return `sha256:${this.#hash.copy().digest('hex')}`;
  }

  /** Flush and fsync the temp file without placing it. */
  async finish(): Promise<void> {
    const handle = this.#handle;
    if (!handle) return;
    await this.#pending;
    if (this.#written !== this.#bytes) throw new Error(`wrote ${this.#written} of ${this.#bytes} bytes`);
    await handle.sync();
    await handle.close();
    this.#handle = null;
  }

  /** Throw the bytes away: nothing reaches the store. Safe to call at any point, twice. */
  async discard(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    if (handle) {
      await this.#pending.catch(() => undefined);
      await handle.close().catch(() => undefined);
    }
    await rm(this.#tempPath, { force: true });
  }
}

export function hexOf(hash: string): string {
  const hex = hash.startsWith('sha256:') ? hash.slice(7) : hash;
  if (!/^[0-9a-f]{64}$/.test(hex)) throw failure('INVALID_INPUT', `"${hash}" is not a SHA-256 content hash.`);
  return hex;
}

async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<number> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
  return offset;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
