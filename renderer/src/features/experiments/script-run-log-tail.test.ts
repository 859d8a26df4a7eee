import { describe, expect, it } from 'vitest';
import { MAX_TAIL_CHARACTERS, tailFromPage, tailWithOutput } from './script-run-log-tail.ts';

const page = (text: string, from = 0) => ({ text, from, next: from + new TextEncoder().encode(text).length, total: from + text.length, complete: false });

describe("the end of a script run's log", () => {
  it('appends output that starts where it ends, counting bytes, not characters', () => {
    const tail = tailFromPage(page('épique\n'));
    expect(tail).toMatchObject({ next: 8, hidden: 0 });
    const more = tailWithOutput(tail, { from: 8, text: 'step 1\n' });
    expect(more).toMatchObject({ text: 'épique\nstep 1\n', next: 15 });
  });

  it('ignores output the page already held, and asks to read again after a gap', () => {
    const tail = tailFromPage(page('a\nb\n'));
    expect(tailWithOutput(tail, { from: 2, text: 'b\n' })).toBe(tail);
    expect(tailWithOutput(tail, { from: 10, text: 'later\n' })).toBeNull();
  });

  it('keeps only the last characters, cut at a line start, and counts what it hid', () => {
    const line = `${'x'.repeat(99)}\n`;
    let tail = tailFromPage(page(''));
    for (let i = 0; i < 3000; i++) tail = tailWithOutput(tail, { from: tail.next, text: line })!;
    expect(tail.text.length).toBeLessThanOrEqual(MAX_TAIL_CHARACTERS);
    expect(tail.text.startsWith('x')).toBe(true);
    expect(tail.hidden + tail.text.length).toBe(300_000);
    expect(tail.next).toBe(300_000);
  });
});
