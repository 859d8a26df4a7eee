import { describe, expect, it } from 'vitest';
import { hashOf, routeFromHash, type DeploymentsRoute } from './deployments-route.ts';

describe('the Deployments address', () => {
  it('reads every view back from the hash it wrote, ids and names with any character included', () => {
    const routes: DeploymentsRoute[] = [
      { view: 'targets' },
      { view: 'rollout', id: 'dep-20261130-ab12' },
      { view: 'target', name: 'edge-1' },
      { view: 'target', name: 'a/b c?#%' },
    ];
    for (const route of routes) expect(routeFromHash(hashOf(route))).toEqual(route);
  });

  it('falls back to the targets for anything it cannot read', () => {
    expect(routeFromHash('#/deployments/rollout/')).toEqual({ view: 'targets' });
    expect(routeFromHash('#/deployments/target/%E0%A4%A')).toEqual({ view: 'targets' });
    expect(routeFromHash('#/deployments/elsewhere/x')).toEqual({ view: 'targets' });
    expect(routeFromHash('#/models/churn')).toEqual({ view: 'targets' });
  });
});
