import { describe, expect, it } from 'vitest';
import { hashOf, routeFromHash, type ModelsRoute } from './models-route.ts';

describe('the Models address', () => {
  it('reads every view back from the hash it wrote, names with any character included', () => {
    const routes: ModelsRoute[] = [
      { view: 'list' },
      { view: 'model', name: 'penguins-classifier' },
      { view: 'version', name: 'penguins-classifier', version: 3 },
      { view: 'version', name: 'a/b c?#%', version: 12 },
    ];
    for (const route of routes) expect(routeFromHash(hashOf(route))).toEqual(route);
  });

  it('falls back to the model, then the list, for anything it cannot read', () => {
    expect(routeFromHash('#/models/churn/0')).toEqual({ view: 'model', name: 'churn' });
    expect(routeFromHash('#/models/churn/two')).toEqual({ view: 'model', name: 'churn' });
    expect(routeFromHash('#/models/%E0%A4%A')).toEqual({ view: 'list' });
    expect(routeFromHash('#/models/')).toEqual({ view: 'list' });
    expect(routeFromHash('#/experiments/run/x')).toEqual({ view: 'list' });
  });
});
