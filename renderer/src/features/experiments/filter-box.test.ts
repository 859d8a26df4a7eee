import { describe, expect, it } from 'vitest';
import { locatedProblem } from './filter-box.tsx';

const error = (column: number) => ({ code: 'INVALID_INPUT' as const, message: `Invalid filter at character ${column}: expected a number (metrics hold numbers); found "high".\n  …\n  ^`, location: { field: 'filter', column } });

describe('a filter error, located', () => {
  it('marks the word main stopped at, and says what it expected', () => {
    const filter = "metrics.val_accuracy > high AND params.model = 'mlp'";
    expect(locatedProblem(filter, error(24))).toEqual({
      before: 'metrics.val_accuracy > ',
      at: 'high',
      after: " AND params.model = 'mlp'",
      problem: 'Expected a number (metrics hold numbers); found "high".',
    });
  });

  it('marks a space where something is missing at the end', () => {
    expect(locatedProblem('metrics.acc >', error(14))?.at).toBe(' ');
  });

  it('keeps a long filter to the part around the problem', () => {
    const filter = `${'params.a = \'x\' AND '.repeat(10)}metrics.b > oops`;
    const located = locatedProblem(filter, error(filter.indexOf('oops') + 1))!;
    expect(located.before.startsWith('…')).toBe(true);
    expect(located.before.length).toBeLessThanOrEqual(71);
    expect(located.at).toBe('oops');
  });
});
