import { describe, expect, it } from 'vitest';
import { curveMetrics, metricGroups } from './metric-groups.ts';

describe('metric charts', () => {
  it('draws a metric with its validation twin, losses first, test metrics left to the evaluation', () => {
    expect(metricGroups(['val_accuracy', 'accuracy', 'val_loss', 'loss', 'test_accuracy', 'lr'])).toEqual([
      { title: 'loss', keys: ['loss', 'val_loss'] },
      { title: 'accuracy', keys: ['accuracy', 'val_accuracy'] },
      { title: 'lr', keys: ['lr'] },
    ]);
    expect(curveMetrics(['val_loss', 'test_rmse', 'loss'])).toEqual(['loss', 'val_loss']);
  });
});
