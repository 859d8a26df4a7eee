import { readFile, truncate, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { failure } from '../errors.ts';

/**
 * One writer at a time per workspace, across processes (the desktop app, `lathe serve` and the
 * CLI may all be open on one folder).
 *
 * The lock is an exclusive transaction on an empty SQLite file: the operating system holds it
 * (fcntl on Unix, LockFileEx on Windows) and drops it the moment its process dies, however it
 * dies. There is no lock file to find stale, no owner to check and then remove in two steps, and
 * so no window in which two processes both believe they took over a dead owner's lock. The file
 * itself is never written and never removed (removing it would let a second process lock a new
 * file while the first still holds the old one).
 *
 * Who holds it is written beside it, for the message a waiting writer shows; that note is only
 * ever read for words, never trusted for exclusion.
 */
const SQLITE_BUSY = 5;
const SQLITE_NOTADB = 26;

export interface LockOwner {
  pid: number;
  host: string;
  since: string;
  purpose: string;
}

export class WorkspaceLock {
  readonly #path: string;
  #queue: Promise<unknown> = Promise.resolve();
  #db: DatabaseSync | null = null;

  constructor(path: string) {
    this.#path = path;
  }

  get path(): string {
    return this.#path;
  }

  /** Run `work` holding the lock; in-process callers queue, other processes are waited for. */
  run<T>(work: () => Promise<T>, options: { timeoutMs?: number; purpose?: string } = {}): Promise<T> {
    const next = this.#queue.then(async () => {
      await this.#acquire(options.timeoutMs ?? 30_000, options.purpose ?? 'writing');
      try {
        return await work();
      } finally {
        this.#release();
      }
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Let go of the lock file (after the last writer finished). */
  async close(): Promise<void> {
    await this.#queue;
    this.#db?.close();
    this.#db = null;
  }

  async #acquire(timeoutMs: number, purpose: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      if (await this.#tryLock()) {
        const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose };
        await writeFile(this.#ownerPath, `${JSON.stringify(owner)}\n`).catch(() => undefined);
        return;
      }
      if (Date.now() > deadline) throw await this.#busy();
      await sleep(Math.min(5 * 2 ** attempt, 200));
    }
  }

  /** True when this process now holds the lock; false when another one does. */
  async #tryLock(): Promise<boolean> {
    try {
      this.#db ??= new DatabaseSync(this.#path, { timeout: 0 });
      this.#db.exec('BEGIN EXCLUSIVE');
      return true;
    } catch (error) {
      const code = (error as { errcode?: number }).errcode;
      if (code === SQLITE_BUSY) return false;
      if (code === SQLITE_NOTADB) {
        // Something wrote into the lock file. It holds no data, and every holder locks this same
        // file (its inode), so emptying it in place is safe; removing it would not be.
        this.#db?.close();
        this.#db = null;
        await truncate(this.#path, 0).catch(() => undefined);
        return false;
      }
      throw failure('UNAVAILABLE', `Could not take the workspace's write lock ${this.#path}: ${(error as Error).message}`, {
        hint: 'Check that the workspace folder is writable and on a local disk.',
      });
    }
  }

  #release(): void {
    try {
      this.#db?.exec('ROLLBACK');
    } catch {
      // Nothing was written in the transaction; closing the connection releases it as well.
      this.#db?.close();
      this.#db = null;
    }
  }

  get #ownerPath(): string {
    return `${this.#path}.owner`;
  }

  async #busy() {
    const owner = await this.owner();
    const who = owner ? `Lathe process ${owner.pid} on ${owner.host} (${owner.purpose}, since ${owner.since})` : 'Another Lathe process';
    return failure('CONFLICT', `${who} is writing to this workspace and has not finished.`, {
      hint: `Wait for it to finish and try again. The lock is held by a running process and is released the moment that process ends (${this.#path}).`,
    });
  }

  /** Who last took the lock (the holder, while it is held). */
  async owner(): Promise<LockOwner | null> {
    try {
      const parsed = JSON.parse(await readFile(this.#ownerPath, 'utf8')) as Partial<LockOwner>;
      return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? (parsed as LockOwner) : null;
    } catch {
      return null;
    }
  }
}
