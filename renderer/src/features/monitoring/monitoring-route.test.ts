import { describe, expect, it } from 'vitest';
import { hashOf, routeFromHash } from './monitoring-route.ts';

describe('the Monitoring address', () => {
  it('reads back the deployment it wrote, any character included, and nothing from a partial one', () => {
    for (const route of [null, { target: 'edge-1', model: 'penguins' }, { target: 'a/b', model: 'c?#%' }]) expect(routeFromHash(hashOf(route))).toEqual(route);
    expect(routeFromHash('#/monitoring/edge-1')).toBeNull();
    expect(routeFromHash('#/monitoring/%E0%A4%A/x')).toBeNull();
    expect(routeFromHash('#/deployments/edge-1/x')).toBeNull();
  });
});
