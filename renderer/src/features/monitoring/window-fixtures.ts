import type { ColumnWindow, DriftVerdict, WindowSummary } from '../../../../shared/contract/monitoring.ts';

/** Window summaries for the Monitoring area's tests: what an agent reports, small and readable. */

export function numericColumn(name: string, verdict: DriftVerdict, score: number, threshold = 0.1): ColumnWindow {
  return {
    name,
    kind: 'numeric',
    rows: verdict === 'not-enough-data' ? 12 : 50,
    missing: 0,
    mean: 40,
    drift: { method: 'wasserstein', score, threshold, pValue: false, verdict, reason: verdict === 'not-enough-data' ? '12 rows, 30 needed' : null },
    distribution: { bins: [30, 40, 50], reference: [0.5, 0.5], current: [0.2, 0.8] },
  };
}

export function categoricalColumn(name: string, verdict: DriftVerdict, pValue: number): ColumnWindow {
  return {
    name,
    kind: 'categorical',
    rows: 50,
    missing: 0,
    mean: null,
    drift: { method: 'chisquare', score: pValue, threshold: 0.05, pValue: true, verdict, reason: null },
    distribution: { bins: ['Adelie', 'Gentoo'], reference: [0.6, 0.4], current: [0.58, 0.42] },
  };
}

export function windowOf(index: number, features: ColumnWindow[], extra: Partial<WindowSummary> = {}): WindowSummary {
  const judged = features.filter((feature) => feature.drift.verdict !== 'not-enough-data');
  const drifted = judged.filter((feature) => feature.drift.verdict === 'drift').length;
  return {
    model: 'penguin-species',
    index,
    startedAt: new Date(Date.UTC(2026, 10, 30, 10, index)).toISOString(),
    endedAt: new Date(Date.UTC(2026, 10, 30, 10, index + 1)).toISOString(),
    rows: 50,
    versions: { '1': 50 },
    reference: { model: 'penguin-species', version: 1, dataset: 'penguins@1', datasetRows: 344, createdAt: '2026-11-30T09:00:00Z' },
    features,
    prediction: categoricalColumn('prediction', 'no-drift', 0.5),
    dataset: { drifted, judged: judged.length, share: judged.length === 0 ? 0 : drifted / judged.length, verdict: judged.length === 0 ? 'not-enough-data' : drifted / judged.length >= 0.5 ? 'drift' : 'no-drift' },
    performance: { labelled: 0, accuracy: null, rmse: null, mae: null, slices: [], estimate: null },
    latency: { p50Ms: 2, p99Ms: 9 },
    errors: 0,
    ...extra,
  };
}
