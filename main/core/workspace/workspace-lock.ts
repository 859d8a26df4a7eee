import { hostname } from 'node:os';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from '../storage/blob-store.ts';
import { failure } from '../errors.ts';

/**
 * One writer at a time per workspace, across processes (the desktop app, `lathe serve` and the
 * CLI may all be open on one folder). The lock is a file created with O_EXCL holding the
 * owner's pid; a lock whose owner died on this host is taken over.
 */
const UNREADABLE_LOCK_STALE_MS = 10_000;

export class WorkspaceLock {
  readonly #path: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  /** Run `work` holding the lock; in-process callers queue, other processes are waited for. */
  run<T>(work: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
    const next = this.#queue.then(async () => {
      await this.#acquire(timeoutMs);
      try {
        return await work();
      } finally {
        await rm(this.#path, { force: true });
      }
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #acquire(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const handle = await open(this.#path, 'wx');
        await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
        await handle.close();
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      if (await this.#ownerIsGone()) {
        await rm(this.#path, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw failure('CONFLICT', 'Another Lathe process is writing to this workspace and has not finished.', {
          hint: `If no other Lathe is running, delete ${this.#path} and try again.`,
        });
      }
      await sleep(Math.min(25 * 2 ** attempt, 500));
    }
  }

  async #ownerIsGone(): Promise<boolean> {
    try {
      const owner = JSON.parse(await readFile(this.#path, 'utf8')) as { pid?: unknown; host?: unknown };
      return owner.host === hostname() && typeof owner.pid === 'number' && !isProcessAlive(owner.pid);
    } catch {
      // Unreadable or half-written: its writer is writing right now, or crashed between creating
      // and writing it. Only the second leaves it like that for long.
      const age = await stat(this.#path).then((info) => Date.now() - info.mtimeMs, () => 0);
      return age > UNREADABLE_LOCK_STALE_MS;
    }
  }
}
