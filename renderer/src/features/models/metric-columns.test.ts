import { describe, expect, it } from 'vitest';
import { metricColumns } from './metric-columns.ts';

describe('the metric columns of a versions table', () => {
  it('puts the metrics people look for first, then the rest by name, and keeps to the limit', () => {
    const versions: { metrics: Record<string, number> }[] = [{ metrics: { zeta: 1, test_rmse: 2 } }, { metrics: { alpha: 3, accuracy: 0.9, macro_f1: 0.8 } }];
    expect(metricColumns(versions)).toEqual(['accuracy', 'macro_f1', 'test_rmse', 'alpha']);
    expect(metricColumns(versions, 2)).toEqual(['accuracy', 'macro_f1']);
  });

  it('has none when no version logged a metric', () => {
    expect(metricColumns([{ metrics: {} }])).toEqual([]);
    expect(metricColumns([])).toEqual([]);
  });
});
