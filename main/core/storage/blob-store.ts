import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { chmod, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { reachPhase } from '../base/phases.ts';
import { failure } from '../errors.ts';
import { fsyncDirectory } from './atomic-file.ts';
import { identityOf, sameIdentity, type BlobChecks } from './blob-checks.ts';
import { BlobWriter } from './blob-writer.ts';
import { mkdirInside } from './folders.ts';

export type ContentHash = `sha256:${string}`;

/** What a blob's file holds compared with what its name promises. */
export type BlobState =
  | { state: 'intact'; bytes: number }
  | { state: 'missing' }
  | { state: 'truncated'; bytes: number }
  | { state: 'altered'; bytes: number }
  | { state: 'unreadable'; reason: string };

/** How a blob came to be in place. */
export type Placement = 'stored' | 'present' | 'repaired';

const REPAIR_HINT = 'Import the original file again (the same bytes repair the store), or copy the blob from a machine that has it intact. "Stored data…" in the workspace menu, or `lathe data verify`, lists every damaged blob.';

/**
 * Content-addressed bytes under `.lathe/objects/sha256/ab/cdef…`, written once, read-only.
 * New bytes stream into `.lathe/tmp` while they are hashed, and move into place only when the
 * caller commits them, so a crash never leaves a partial object under its name.
 *
 * A name is a promise, not a proof: a disk can rot, a person can edit a file. So bytes are
 * checked against their name before they are served (`assertIntact`, `readVerified`), and
 * storing bytes whose name already exists checks what is there and replaces it when damaged.
 */
export class BlobStore {
  readonly root: string;
  readonly objectsDir: string;
  readonly tempDir: string;
  readonly #checks: BlobChecks | null;

  /** `root` is the workspace folder; the store never creates it (see mkdirInside). */
  constructor(root: string, latheDir: string, checks: BlobChecks | null = null) {
    this.root = root;
    this.objectsDir = join(latheDir, 'objects', 'sha256');
    this.tempDir = join(latheDir, 'tmp');
    this.#checks = checks;
  }

  pathOf(hash: ContentHash | string): string {
    const hex = hexOf(hash);
    return join(this.objectsDir, hex.slice(0, 2), hex.slice(2));
  }

  async has(hash: string): Promise<boolean> {
    return (await this.#stat(hash)) !== null;
  }

  /** Start writing new bytes; nothing is visible until `commit`. */
  async begin(): Promise<BlobWriter> {
    await mkdirInside(this.root, this.tempDir);
    const tempPath = join(this.tempDir, `ingest-${process.pid}-${randomBytes(8).toString('hex')}`);
    const handle = await open(tempPath, 'wx', 0o600);
    return new BlobWriter(this, tempPath, handle);
  }

  /**
   * Compare a blob's bytes with its name. With `trustCache`, a file unchanged since it last
   * matched is not read again; without, every byte is hashed.
   */
  async inspect(hash: string, expectedBytes: number | null, options: { trustCache: boolean }): Promise<BlobState> {
    const stats = await this.#stat(hash).catch((error: Error) => error);
    if (stats === null) return { state: 'missing' };
    if (stats instanceof Error) return { state: 'unreadable', reason: stats.message };
    const identity = identityOf(stats);
    if (expectedBytes !== null && identity.size < expectedBytes) return { state: 'truncated', bytes: identity.size };
    if (options.trustCache) {
      const known = this.#checks?.get(hash);
      if (known && sameIdentity(known, identity)) return { state: 'intact', bytes: identity.size };
    }
    let digest: string;
    try {
      digest = await hashFile(this.pathOf(hash));
    } catch (error) {
      return { state: 'unreadable', reason: (error as Error).message };
    }
    if (`sha256:${digest}` !== `sha256:${hexOf(hash)}` || (expectedBytes !== null && identity.size !== expectedBytes)) {
      this.#checks?.forget(hash);
      return { state: 'altered', bytes: identity.size };
    }
    this.#checks?.set(hash, identity);
    return { state: 'intact', bytes: identity.size };
  }

  /** Throw unless the blob is there and its bytes match its name. */
  async assertIntact(hash: string, expectedBytes: number, what: string): Promise<void> {
    const found = await this.inspect(hash, expectedBytes, { trustCache: true });
    switch (found.state) {
      case 'intact':
        return;
      case 'missing':
        throw missingBlob(this.pathOf(hash), hash, what);
      case 'truncated':
        throw failure('DATA_DAMAGED', `The stored bytes of ${what} are cut short: ${found.bytes} of ${expectedBytes} bytes are left.`, {
          hint: REPAIR_HINT,
          location: { file: this.pathOf(hash) },
        });
      case 'altered':
        throw failure('DATA_DAMAGED', `The stored bytes of ${what} were altered: they no longer match their content hash ${hash}.`, {
          hint: REPAIR_HINT,
          location: { file: this.pathOf(hash) },
        });
      case 'unreadable':
        throw failure('DISK_ERROR', `The stored bytes of ${what} cannot be read: ${found.reason}`, { location: { file: this.pathOf(hash) } });
    }
  }

  /** Read the start of a blob, unverified: call `assertIntact` first. For previews. */
  read(hash: string, options: { highWaterMark?: number } = {}): ReadStream {
    return createReadStream(this.pathOf(hash), { highWaterMark: options.highWaterMark ?? 1 << 20 });
  }

  /**
   * All of a blob's bytes, hashed as they stream: the last chunk is followed by a DATA_DAMAGED
   * failure instead of the end when the bytes do not match their name. Consumers must not act
   * on what they read until the iteration ends.
   */
  async *readVerified(hash: string, expectedBytes: number, what: string): AsyncGenerator<Uint8Array> {
    const hasher = createHash('sha256');
    let bytes = 0;
    if (!(await this.has(hash))) throw missingBlob(this.pathOf(hash), hash, what);
    for await (const chunk of this.read(hash)) {
      const view = chunk as Buffer;
      bytes += view.byteLength;
      if (bytes > expectedBytes) break;
      hasher.update(view);
      yield view;
    }
    if (bytes !== expectedBytes || hasher.digest('hex') !== hexOf(hash)) {
      this.#checks?.forget(hash);
      throw failure('DATA_DAMAGED', `The stored bytes of ${what} do not match their content hash ${hash}${bytes < expectedBytes ? ` (only ${bytes} of ${expectedBytes} bytes)` : ''}.`, {
        hint: REPAIR_HINT,
        location: { file: this.pathOf(hash) },
      });
    }
  }

  /** Every blob file in the store (for verify and gc), with its size. */
  async *list(): AsyncGenerator<{ hash: ContentHash; bytes: number }> {
    for (const fan of (await readdir(this.objectsDir).catch(() => [] as string[])).sort()) {
      if (!/^[0-9a-f]{2}$/.test(fan)) continue;
      for (const rest of (await readdir(join(this.objectsDir, fan)).catch(() => [] as string[])).sort()) {
        if (!/^[0-9a-f]{62}$/.test(rest)) continue;
        const info = await stat(join(this.objectsDir, fan, rest)).catch(() => null);
        if (info?.isFile()) yield { hash: `sha256:${fan}${rest}`, bytes: info.size };
      }
    }
  }

  /** Remove a blob (gc, under the workspace lock). */
  async remove(hash: string): Promise<void> {
    await rm(this.pathOf(hash), { force: true });
    this.#checks?.forget(hash);
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

  /**
   * @internal used by BlobWriter: move finished bytes (already hashed as `hash`) into place. An
   * intact blob of that name stays and the new copy goes; a damaged one is replaced.
   */
  async place(tempPath: string, hash: ContentHash, bytes: number): Promise<Placement> {
    const existing = await this.inspect(hash, bytes, { trustCache: true });
    if (existing.state === 'intact') {
      await rm(tempPath, { force: true });
      return 'present';
    }
    const dir = join(this.objectsDir, hexOf(hash).slice(0, 2));
    await mkdirInside(this.root, dir);
    await chmod(tempPath, 0o444);
    await reachPhase('blob:before-place');
    await rename(tempPath, this.pathOf(hash));
    await fsyncDirectory(dir);
    const placed = await this.#stat(hash);
    if (placed) this.#checks?.set(hash, identityOf(placed));
    return existing.state === 'missing' ? 'stored' : 'repaired';
  }

  async #stat(hash: string) {
    try {
      return await stat(this.pathOf(hash), { bigint: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}

function missingBlob(path: string, hash: string, what: string) {
  return failure('NOT_FOUND', `The bytes of ${what} (${hash}) are missing from this machine's store (.lathe/objects).`, {
    hint: 'Copy them from the machine that imported them, or import the file again.',
    location: { file: path },
  });
}

async function hashFile(path: string): Promise<string> {
  const hasher = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hasher.update(chunk as Buffer);
  return hasher.digest('hex');
}

export function hexOf(hash: string): string {
  const hex = hash.startsWith('sha256:') ? hash.slice(7) : hash;
  if (!/^[0-9a-f]{64}$/.test(hex)) throw failure('INVALID_INPUT', `"${hash}" is not a SHA-256 content hash.`);
  return hex;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
