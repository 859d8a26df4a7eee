import { describe, expect, it } from 'vitest';
import { sweepsHash, sweepsRouteFromHash } from './sweeps-route.ts';

describe('the Sweeps tab in the address', () => {
  it('reads the tab and a sweep, and leaves the rest of Experiments alone', () => {
    expect(sweepsRouteFromHash('#/experiments/sweeps')).toEqual({ sweepId: null });
    expect(sweepsRouteFromHash('#/experiments/sweeps/sweep-20261130T071300Z-a1b2c3')).toEqual({ sweepId: 'sweep-20261130T071300Z-a1b2c3' });
    expect(sweepsRouteFromHash('#/experiments/sweeps/../../etc')).toEqual({ sweepId: null });
    expect(sweepsRouteFromHash('#/experiments')).toBeNull();
    expect(sweepsRouteFromHash('#/experiments/run/0123456789abcdef0123456789abcdef')).toBeNull();
    expect(sweepsRouteFromHash(sweepsHash('sweep-20261130T071300Z-a1b2c3'))).toEqual({ sweepId: 'sweep-20261130T071300Z-a1b2c3' });
  });
});
