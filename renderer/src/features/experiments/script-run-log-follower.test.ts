import { describe, expect, it } from 'vitest';
import type { Result } from '../../../../shared/contract/result.ts';
import type { ScriptLogPage } from '../../../../shared/contract/script-runs.ts';
import { followLog } from './script-run-log-follower.ts';
import type { LogTail } from './script-run-log-tail.ts';

/** A log on "disk" (what scripts:log reads), output events sent by hand, and pages answered when the test says. */
function fakeRun() {
  let disk = '';
  let listener: ((output: { from: number; text: string }) => void) | null = null;
  const pending: (() => void)[] = [];
  const shown: string[] = [];
  const readLog = () =>
    new Promise<Result<ScriptLogPage>>((resolve) => {
      const snapshot = disk; // what the file held when it was read
      pending.push(() => resolve({ ok: true, value: { text: snapshot, from: 0, next: snapshot.length, total: snapshot.length, complete: false } }));
    });
  const stop = followLog(
    { readLog, followOutput: (l) => ((listener = l), () => (listener = null)) },
    true,
    (tail: LogTail) => shown.push(tail.text),
    () => {},
  );
  return {
    print(text: string) {
      const from = disk.length;
      disk += text;
      return { from, text };
    },
    event: (output: { from: number; text: string }) => listener!(output),
    answerPage: async () => {
      pending.shift()!();
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
    pages: () => pending.length,
    shown: () => shown.at(-1),
    stop,
  };
}

describe("following a script run's log", () => {
  it('keeps output that arrives while the first page is on its way (the race that lost a fast script’s whole output)', async () => {
    const run = fakeRun();
    const first = run.print('epoch 1\n');
    const second = run.print('epoch 2\n');
    run.event(first);
    run.event(second);
    await run.answerPage(); // the page was read before anything was printed
    expect(run.pages()).toBe(0);
    expect(run.shown()).toBe('epoch 1\nepoch 2\n');
  });

  it('skips output the page already holds, adds what follows, and reads again after a gap', async () => {
    const run = fakeRun();
    const first = run.print('a\n');
    await run.answerPage();
    run.event(first);
    expect(run.shown()).toBe('a\n');
    run.event(run.print('b\n'));
    expect(run.shown()).toBe('a\nb\n');
    run.print('skipped while flooding\n');
    run.event(run.print('c\n'));
    expect(run.pages()).toBe(1);
    await run.answerPage();
    expect(run.shown()).toBe('a\nb\nskipped while flooding\nc\n');
  });

  it('gives up catching up after a few pages when output never reaches the disk (a full disk)', async () => {
    const run = fakeRun();
    await run.answerPage();
    run.event({ from: 100, text: 'never written\n' });
    for (let i = 0; i < 3; i++) await run.answerPage();
    expect(run.pages()).toBe(0);
    expect(run.shown()).toBe('');
    run.stop();
  });
});
