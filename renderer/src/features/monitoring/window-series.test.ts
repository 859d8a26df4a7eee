import { describe, expect, it } from 'vitest';
import { accuracyRows, datasetShareRows, distributionRows, scoreSeries, thinWindows } from './window-series.ts';
import { categoricalColumn, numericColumn, windowOf } from './window-fixtures.ts';

describe('window summaries as chart rows', () => {
  const windows = [
    windowOf(3, [numericColumn('bill_length_mm', 'no-drift', 0.02), categoricalColumn('island', 'no-drift', 0.6)]),
    windowOf(4, [numericColumn('bill_length_mm', 'drift', 0.31), categoricalColumn('island', 'no-drift', 0.4)]),
    windowOf(5, [numericColumn('bill_length_mm', 'not-enough-data', 0), categoricalColumn('island', 'no-drift', 0.3)], {
      performance: { labelled: 40, accuracy: { value: 0.7, low: 0.55, high: 0.82 }, rmse: null, mae: null, slices: [], estimate: { value: 0.9, low: 0.85, high: 0.94 } },
    }),
  ];

  it('gives each feature its score over the windows, with threshold, and counts the drifted ones', () => {
    const series = scoreSeries(windows);
    expect(series.map((one) => one.name)).toEqual(['bill_length_mm', 'island', 'prediction']);
    expect(series[0]).toMatchObject({ method: 'wasserstein', threshold: 0.1, pValue: false, drifted: 1 });
    // "Not enough data" is a gap in the line, never a score of 0.
    expect(series[0]!.rows).toEqual([
      { window: 3, score: 0.02 },
      { window: 4, score: 0.31 },
      { window: 5, score: null },
    ]);
    expect(series[1]).toMatchObject({ method: 'chisquare', threshold: 0.05, pValue: true, drifted: 0 });
  });

  it('gives the share of drifted features, and a gap where nothing could be judged', () => {
    const nothingJudged = windowOf(6, [numericColumn('bill_length_mm', 'not-enough-data', 0)]);
    expect(datasetShareRows([...windows, nothingJudged]).map((row) => row.share)).toEqual([0, 0.5, 0, null]);
  });

  it('keeps accuracy and its estimate apart, each with its band', () => {
    const rows = accuracyRows(windows);
    expect(rows[0]).toEqual({ window: 3, accuracy: null, accuracyBand: null, estimate: null, estimateBand: null });
    expect(rows[2]).toEqual({ window: 5, accuracy: 0.7, accuracyBand: [0.55, 0.82], estimate: 0.9, estimateBand: [0.85, 0.94] });
  });

  it('thins 500 windows to a chart’s worth, keeping a single drifted window and the widest band', () => {
    const rows = Array.from({ length: 500 }, (_, index) => ({ window: index, score: index === 333 ? 0.9 : 0.01, band: [0.4, index === 100 ? 0.99 : 0.6] as const }));
    const thinned = thinWindows(rows, 120);
    expect(thinned.length).toBeLessThanOrEqual(120);
    expect(Math.max(...thinned.map((row) => row.score as number))).toBe(0.9);
    expect(Math.max(...thinned.map((row) => (row.band as readonly number[])[1]!))).toBe(0.99);
    expect(thinned.at(-1)!.window).toBe(499);
    const lowest = thinWindows(rows, 120, Math.min);
    expect(Math.max(...lowest.map((row) => row.score as number))).toBe(0.01);
    expect(thinWindows(rows.slice(0, 5), 120)).toHaveLength(5);
  });

  it('labels number bins by their range and categories by name, cutting arrays that do not line up', () => {
    expect(distributionRows({ bins: [30, 35.5, 41.25], reference: [0.4, 0.6], current: [0.1, 0.9] })).toEqual([
      { bin: '30–35.5', reference: 0.4, current: 0.1 },
      { bin: '35.5–41.3', reference: 0.6, current: 0.9 },
    ]);
    expect(distributionRows({ bins: ['Biscoe', 'Dream', 'Torgersen'], reference: [0.5, 0.5], current: [0.2, 0.3, 0.5] })).toEqual([
      { bin: 'Biscoe', reference: 0.5, current: 0.2 },
      { bin: 'Dream', reference: 0.5, current: 0.3 },
    ]);
    expect(distributionRows({ bins: [], reference: [], current: [] })).toEqual([]);
  });
});
