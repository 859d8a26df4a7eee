import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/temp-dir.ts';
import { ScriptLog } from './script-log.ts';

const tempDir = useTempDirs();

describe('the log of a script run', () => {
  it('sends a flood as a few events of bounded size, and keeps head, marker and tail in the file', async () => {
    const path = join(await tempDir(), 'run.log');
    const events: { from: number; text: string; pastCap: boolean }[] = [];
    // An interval that never ends within the test: what is written lands in one pending event (one up to the cap, one past it).
    const log = new ScriptLog({ path, headBytes: 100_000, tailBytes: 10_000, emit: (from, text, pastCap) => events.push({ from, text, pastCap }), eventIntervalMs: 60_000, eventBytes: 8_000 });
    expect(await log.opened()).toBeNull();
    const line = Buffer.from(`${'y'.repeat(99)}\n`);
    for (let i = 0; i < 50_000; i++) log.write(i % 2 ? 'stdout' : 'stderr', line); // 5 MB
    log.write('stdout', Buffer.from('last line\n'));
    const end = await log.finish();

    expect(events.map((event) => event.pastCap)).toEqual([false, true]);
    expect(events[0]!.text.length).toBeLessThanOrEqual(16_000);
    expect(events[0]!.text).toContain('the log is past 97.7 KB: the rest is not shown live');
    // Past the cap, output goes on for a terminal to echo (its end, here), counted in bytes printed.
    expect(events[1]!.text.length).toBeLessThanOrEqual(16_000);
    expect(events[1]!.text.endsWith('yyyy\nlast line\n')).toBe(true);
    expect(events[1]!.from + Buffer.byteLength(events[1]!.text)).toBe(5_000_010);
    const text = await readFile(path, 'utf8');
    expect(Buffer.byteLength(text)).toBe(end.bytes);
    expect(end.bytes).toBeLessThan(100_000 + 10_000 + 200);
    expect(end.dropped).toBeGreaterThan(4_880_000);
    expect(text.startsWith('y'.repeat(99))).toBe(true);
    expect(text).toMatch(/\n… [\d,]+ bytes of output dropped here: the log keeps its first 97\.7 KB and its last 9\.8 KB …\n/);
    expect(text.endsWith('yyyy\nlast line\n')).toBe(true);
    expect(end.error).toBeNull();
  });

  it('counts every byte it was given: what is in the file and what was dropped add up', async () => {
    const path = join(await tempDir(), 'run.log');
    const log = new ScriptLog({ path, headBytes: 1000, tailBytes: 40, emit: () => {} });
    await log.opened();
    for (let i = 0; i < 110; i++) log.write('stdout', Buffer.from(`line ${String(i).padStart(4, '0')}\n`)); // 1100 bytes
    const end = await log.finish();
    const text = await readFile(path, 'utf8');
    const marker = /\n… (\d+) bytes of output dropped here[^\n]*\n/.exec(text)!;
    const [head, tail] = text.split(marker[0]);
    expect(head!.length).toBe(1000);
    expect(tail).toBe('line 0106\nline 0107\nline 0108\nline 0109\n');
    expect(head!.length + Number(marker[1]) + tail!.length).toBe(1100);
    expect(end.dropped).toBe(Number(marker[1]));

    // Past the head by less than the tail holds: nothing is dropped, and no marker is written.
    const whole = new ScriptLog({ path: `${path}.2`, headBytes: 1000, tailBytes: 300, emit: () => {} });
    await whole.opened();
    for (let i = 0; i < 110; i++) whole.write('stdout', Buffer.from(`line ${String(i).padStart(4, '0')}\n`));
    expect(await whole.finish()).toMatchObject({ bytes: 1100, dropped: 0 });
    expect((await readFile(`${path}.2`, 'utf8')).split('\n')).toHaveLength(111);
  });

  it('says why when its file cannot be made', async () => {
    const log = new ScriptLog({ path: join(await tempDir(), 'no-such-folder', 'run.log'), headBytes: 10, tailBytes: 10, emit: () => {} });
    expect((await log.opened())?.message).toMatch(/ENOENT/);
    log.close();
  });
});
