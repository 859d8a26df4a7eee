import { hostname } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startScript } from '../testing/child-process.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { WorkspaceLock } from './workspace-lock.ts';

const tempDir = useTempDirs();
const holder = new URL('../testing/lock-holder.ts', import.meta.url);

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('WorkspaceLock', () => {
  it('runs in-process writers one at a time, in order', async () => {
    const lock = new WorkspaceLock(join(await tempDir(), 'write.lock'));
    const order: string[] = [];
    const release = deferred();
    const first = lock.run(async () => {
      order.push('a:start');
      await release.promise;
      order.push('a:end');
    });
    const rest = ['b', 'c'].map((name) => lock.run(async () => void order.push(`${name}:start`, `${name}:end`)));
    await Promise.resolve();
    release.resolve();
    await Promise.all([first, ...rest]);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    await lock.close();
  });

  it('keeps going after a writer fails', async () => {
    const lock = new WorkspaceLock(join(await tempDir(), 'write.lock'));
    await expect(lock.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await lock.run(async () => 'next')).toBe('next');
    await lock.close();
  });

  it('waits for a live holder in another process, names it, and goes ahead the moment it dies', async () => {
    const path = join(await tempDir(), 'write.lock');
    const { child, line, exited } = startScript(holder, [path]);
    await line((l) => l === 'locked');
    const lock = new WorkspaceLock(path);
    await expect(lock.run(async () => 'ran', { timeoutMs: 50 })).rejects.toMatchObject({
      error: { code: 'CONFLICT', message: expect.stringContaining(`Lathe process ${child.pid} on ${hostname()} (holding it for a test`) },
    });
    // Killed without a chance to clean up: the operating system lets go of the lock.
    child.kill('SIGKILL');
    await exited;
    expect(await lock.run(async () => 'ran')).toBe('ran');
    await lock.close();
  });

  it('hands the lock on when the other process lets go normally', async () => {
    const path = join(await tempDir(), 'write.lock');
    const { child, line, exited } = startScript(holder, [path]);
    await line((l) => l === 'locked');
    const lock = new WorkspaceLock(path);
    const waiting = lock.run(async () => 'after');
    child.stdin!.end();
    expect(await waiting).toBe('after');
    expect(await exited).toBe(0);
    await lock.close();
  });

  it('is not fooled by what a crashed or older Lathe wrote beside it, or into it', async () => {
    const dir = await tempDir();
    // The lock file of Lathe 0.1 (a JSON note), left by a process that no longer runs.
    await writeFile(join(dir, 'lock'), JSON.stringify({ pid: 999_999_999, host: hostname() }));
    await writeFile(join(dir, 'write.lock.owner'), JSON.stringify({ pid: process.pid, host: hostname() }));
    // Something wrote garbage into the lock file itself.
    await writeFile(join(dir, 'write.lock'), 'not a database');
    const lock = new WorkspaceLock(join(dir, 'write.lock'));
    expect(await lock.run(async () => 'ran', { timeoutMs: 5_000 })).toBe('ran');
    await lock.close();
  });
});
