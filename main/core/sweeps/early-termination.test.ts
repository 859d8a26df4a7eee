import { describe, expect, it } from 'vitest';
import { EarlyTermination, isRung, median } from './early-termination.ts';

/** Feed a whole curve; the step it was stopped at, or null. */
function play(rule: EarlyTermination, trial: number, curve: number[]): number | null {
  for (const [index, value] of curve.entries()) if (rule.observe(trial, index + 1, value)) return index + 1;
  return null;
}

describe('median stopping', () => {
  const good = [1.0, 0.8, 0.6, 0.5, 0.45];

  it('stops a clearly worse trial at the first step it may judge', () => {
    const rule = new EarlyTermination({ type: 'median', minSteps: 2 }, 'minimize');
    for (const trial of [1, 2, 3]) {
      expect(play(rule, trial, good.map((v) => v + (4 - trial) * 0.01))).toBeNull(); // each a little better than the last
      rule.ended(trial);
    }
    expect(play(rule, 4, [2.0, 1.9, 1.8, 1.7, 1.6])).toBe(2);
  });

  it('lets a trial better than the median go on', () => {
    const rule = new EarlyTermination({ type: 'median', minSteps: 1 }, 'minimize');
    for (const trial of [1, 2, 3]) {
      play(rule, trial, good.map((v) => v + trial * 0.1));
      rule.ended(trial);
    }
    expect(play(rule, 4, good)).toBeNull();
  });

  it('judges nothing before minSteps, nor against fewer than two ended trials', () => {
    const early = new EarlyTermination({ type: 'median', minSteps: 4 }, 'minimize');
    for (const trial of [1, 2]) {
      play(early, trial, good);
      early.ended(trial);
    }
    expect(play(early, 3, [9, 9, 9, 0.1, 0.1])).toBeNull();

    const alone = new EarlyTermination({ type: 'median', minSteps: 1 }, 'minimize');
    play(alone, 1, good);
    alone.ended(1);
    expect(play(alone, 2, [9, 9, 9])).toBeNull();
  });

  it('reads "worse" from the goal', () => {
    const rule = new EarlyTermination({ type: 'median', minSteps: 1 }, 'maximize');
    for (const trial of [1, 2]) {
      play(rule, trial, [0.5, 0.7, 0.9]);
      rule.ended(trial);
    }
    expect(play(rule, 3, [0.9, 0.95, 0.99])).toBeNull();
    expect(play(rule, 4, [0.1, 0.1, 0.1])).toBe(1);
  });

  it('does not count running trials as ended', () => {
    const rule = new EarlyTermination({ type: 'median', minSteps: 1 }, 'minimize');
    play(rule, 1, good);
    play(rule, 2, good);
    expect(play(rule, 3, [5, 5, 5])).toBeNull();
  });
});

describe('hyperband', () => {
  it('puts the rungs at minIter·eta^k', () => {
    expect([1, 2, 3, 4, 6, 9, 12, 18, 27].filter((step) => isRung(step, 3, 3))).toEqual([3, 9, 27]);
  });

  it('keeps only the best 1/eta of the trials that reached a rung', () => {
    const rule = new EarlyTermination({ type: 'hyperband', minIter: 1, eta: 2 }, 'minimize');
    expect(play(rule, 1, [0.5, 0.4, 0.3, 0.2])).toBeNull(); // first at each rung goes on
    expect(play(rule, 2, [0.9])).toBe(1); // behind the one trial there: ⌈2/2⌉ = 1 goes on
    expect(play(rule, 3, [0.45, 0.35])).toBeNull(); // rung 1: only 0.5 and 0.9 there, both behind; rung 2: the best
    expect(play(rule, 4, [0.1, 0.5])).toBe(2); // rung 2: 0.4 and 0.35 ahead of 0.5, and ⌈3/2⌉ = 2 go on
  });
});

describe('median', () => {
  it('of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
