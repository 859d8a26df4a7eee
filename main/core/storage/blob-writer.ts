import { createHash, type Hash } from 'node:crypto';
import { rm, type FileHandle } from 'node:fs/promises';
import type { BlobStore, ContentHash, Placement } from './blob-store.ts';

/**
 * Bytes on their way into the store: hashed as they arrive, written to a temp file one write
 * at a time, and moved into the store only by `commit`. A failed write (a full disk) is kept
 * and reported by the next `write`, `finish` or `commit`, never left as an unhandled rejection.
 */
export class BlobWriter {
  readonly #store: BlobStore;
  readonly #hash: Hash = createHash('sha256');
  readonly #tempPath: string;
  #handle: FileHandle | null;
  #bytes = 0;
  #written = 0;
  #pending: Promise<void> = Promise.resolve();
  #failed: unknown = null;

  constructor(store: BlobStore, tempPath: string, handle: FileHandle) {
    this.#store = store;
    this.#tempPath = tempPath;
    this.#handle = handle;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Hash the chunk now and queue its write. The returned promise resolves when the previous
   * write is done (and rejects if any write so far failed), so awaiting it bounds memory to
   * about one chunk in flight while hashing and parsing of the next chunk overlap with the disk.
   */
  write(chunk: Uint8Array): Promise<void> {
    const handle = this.#handle;
    if (!handle) throw new Error('BlobWriter is closed');
    this.#hash.update(chunk);
    this.#bytes += chunk.byteLength;
    const previous = this.#pending;
    const length = chunk.byteLength;
    this.#pending = previous.then(async () => {
      if (this.#failed) return;
      try {
        this.#written += await writeAll(handle, chunk);
        // A chunk emptied while queued (its buffer transferred elsewhere) would leave a file
        // shorter than what was hashed, stored under a name it does not match.
        if (chunk.byteLength !== length) throw new Error('a chunk changed between hashing and writing');
      } catch (error) {
        // A write through a handle does not say which file it was: this one.
        if (error instanceof Error && !('path' in error)) Object.assign(error, { path: this.#tempPath, syscall: 'write' });
        this.#failed = error;
      }
    });
    const ready = previous.then(() => this.#throwIfFailed());
    ready.catch(() => undefined); // a caller that stops early (the parser failed) need not await it
    return ready;
  }

  /** Flush to disk and move into the store; returns the content hash and how it was placed. */
  async commit(): Promise<{ hash: ContentHash; bytes: number; placement: Placement }> {
    const hash = this.digest();
    await this.finish();
    const placement = await this.#store.place(this.#tempPath, hash, this.#bytes);
    return { hash, bytes: this.#bytes, placement };
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
    this.#throwIfFailed();
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
      await this.#pending;
      await handle.close().catch(() => undefined);
    }
    await rm(this.#tempPath, { force: true }).catch(() => undefined);
  }

  #throwIfFailed(): void {
    if (this.#failed) throw this.#failed;
  }
}

async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<number> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
  return offset;
}
