import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/temp-dir.ts';
import { WorkspaceLock } from './workspace-lock.ts';

const tempDir = useTempDirs();

describe('WorkspaceLock', () => {
  it('runs in-process writers one at a time, in order', async () => {
    const lock = new WorkspaceLock(join(await tempDir(), 'lock'));
    const order: string[] = [];
    const slow = (name: string, ms: number) => lock.run(async () => {
      order.push(`${name}:start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${name}:end`);
    });
    await Promise.all([slow('a', 30), slow('b', 1), slow('c', 1)]);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });

  it('keeps going after a writer fails', async () => {
    const lock = new WorkspaceLock(join(await tempDir(), 'lock'));
    await expect(lock.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await lock.run(async () => 'next')).toBe('next');
  });

  it('takes over the lock of a process that died', async () => {
    const path = join(await tempDir(), 'lock');
    const { hostname } = await import('node:os');
    await writeFile(path, JSON.stringify({ pid: 999_999_999, host: hostname() }));
    expect(await new WorkspaceLock(path).run(async () => 'ran')).toBe('ran');
  });

  it('waits for a live holder, then says who to blame', async () => {
    const path = join(await tempDir(), 'lock');
    const { hostname } = await import('node:os');
    await writeFile(path, JSON.stringify({ pid: process.pid, host: hostname() }));
    await expect(new WorkspaceLock(path).run(async () => 'ran', 100)).rejects.toMatchObject({ error: { code: 'CONFLICT', hint: expect.stringContaining(path) } });
  });

  it('treats a long-unreadable lock (its writer died mid-write) as stale', async () => {
    const path = join(await tempDir(), 'lock');
    await writeFile(path, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(path, old, old);
    expect(await new WorkspaceLock(path).run(async () => 'ran', 100)).toBe('ran');
  });
});
