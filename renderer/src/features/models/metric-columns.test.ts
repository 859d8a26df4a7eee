import { describe, expect, it } from 'vitest';
import { metricColumns } from './metric-columns.ts';

describe('the metric columns of a versions table', () => {
  it('puts the metrics people look for first, then the rest by name, and keeps to the limit', () => {
    const versions: { metrics: Record<string, number> }[] = [{ metrics: { zeta: 1, test_rmse: 2 } }, { metrics: { alpha: 3, test_log_loss: 0.3, test_accuracy: 0.9, test_f1_macro: 0.8 } }];
    expect(metricColumns(versions)).toEqual(['test_accuracy', 'test_f1_macro', 'test_rmse', 'test_log_loss']);
    expect(metricColumns(versions, 5)).toEqual(['test_accuracy', 'test_f1_macro', 'test_rmse', 'test_log_loss', 'alpha']);
  });

  it('has none when no version logged a metric', () => {
    expect(metricColumns([{ metrics: {} }])).toEqual([]);
    expect(metricColumns([])).toEqual([]);
  });
});
