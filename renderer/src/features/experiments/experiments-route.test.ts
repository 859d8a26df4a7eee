import { describe, expect, it } from 'vitest';
import { hashOf, routeFromHash } from './experiments-route.ts';

const a = 'a'.repeat(32);
const b = 'b'.repeat(32);

describe('the Experiments address', () => {
  it('reads a run page and a comparison back from the hash it wrote', () => {
    for (const route of [{ view: 'runs' as const }, { view: 'run' as const, runId: a }, { view: 'compare' as const, runIds: [a, b] }]) {
      expect(routeFromHash(hashOf(route))).toEqual(route);
    }
  });

  it('falls back to the runs for anything it does not know', () => {
    expect(routeFromHash('#/experiments/run/nope')).toEqual({ view: 'runs' });
    expect(routeFromHash('#/experiments/compare/')).toEqual({ view: 'runs' });
    expect(routeFromHash('#/datasets')).toEqual({ view: 'runs' });
    expect(routeFromHash(`#/experiments/compare/${a},x,${a}`)).toEqual({ view: 'compare', runIds: [a] });
  });
});
