import { describe, expect, it } from 'vitest';
import { areaFromHash, areas, isBuilt } from './areas.ts';

describe('areas', () => {
  it('lists every area of the lifecycle, with all but Features built', () => {
    expect(areas.map((area) => area.label)).toEqual(['Datasets', 'Features', 'Experiments', 'Models', 'Deployments', 'Monitoring', 'Pipelines']);
    expect(areas.filter(isBuilt).map((area) => area.id)).toEqual(['datasets', 'experiments', 'models', 'deployments', 'monitoring', 'pipelines']);
  });
  it('reads the area from the hash, defaulting to Datasets', () => {
    expect(areaFromHash('#/models').id).toBe('models');
    expect(areaFromHash('#models').id).toBe('models');
    expect(areaFromHash('').id).toBe('datasets');
    expect(areaFromHash('#/nope').id).toBe('datasets');
    // A run's page is inside Experiments.
    expect(areaFromHash(`#/experiments/run/${'a'.repeat(32)}`).id).toBe('experiments');
  });
});
