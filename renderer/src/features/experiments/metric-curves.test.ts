import { describe, expect, it } from 'vitest';
import { chartScale, rowsByStep } from './metric-curves.tsx';
import { seriesFromHistory } from './metric-series.ts';
import { historyOf } from '../../testing/fake-api.ts';

describe('a run page chart', () => {
  it('puts a metric and its validation twin on rows by step; NaN is a gap', () => {
    const rows = rowsByStep([seriesFromHistory(historyOf('loss', [1, Number.NaN])), seriesFromHistory(historyOf('val_loss', [2, 1.5, 1.2]))]);
    expect(rows).toEqual([
      { step: 0, loss: 1, val_loss: 2 },
      { step: 1, loss: null, val_loss: 1.5 },
      { step: 2, val_loss: 1.2 },
    ]);
  });

  it('ends its y axis on round ticks that hold every value', () => {
    const rows = rowsByStep([seriesFromHistory(historyOf('accuracy', [0.886, 0.97, 1]))]);
    const scale = chartScale(rows, ['accuracy']);
    expect(scale.yDomain).toEqual([0.88, 1]);
    expect(scale.yTicks).toEqual([0.88, 0.9, 0.92, 0.94, 0.96, 0.98, 1]);
    // Steps are whole numbers.
    expect(scale.xTicks).toEqual([0, 1, 2]);
  });
});
