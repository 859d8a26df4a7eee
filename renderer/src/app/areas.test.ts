import { describe, expect, it } from 'vitest';
import { areaFromHash, areas, isBuilt } from './areas.ts';

describe('areas', () => {
  it('lists every area of the lifecycle, with only Datasets built', () => {
    expect(areas.map((area) => area.label)).toEqual(['Datasets', 'Features', 'Experiments', 'Models', 'Deployments', 'Monitoring', 'Pipelines']);
    expect(areas.filter(isBuilt).map((area) => area.id)).toEqual(['datasets']);
  });
  it('reads the area from the hash, defaulting to Datasets', () => {
    expect(areaFromHash('#/models').id).toBe('models');
    expect(areaFromHash('#models').id).toBe('models');
    expect(areaFromHash('').id).toBe('datasets');
    expect(areaFromHash('#/nope').id).toBe('datasets');
  });
});
