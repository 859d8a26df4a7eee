import type { ColumnWindow, DriftVerdict, RecorderStats, WindowSummary } from '../../../shared/contract/monitoring.ts';

/**
 * Window summaries for alert tests, shaped as the agent reports them: `window(3, { bill_length_mm:
 * 'drift' })` is closed window 3 whose bill_length_mm drifted (Wasserstein 0.31 against 0.1).
 */
export interface WindowShape {
  features?: Record<string, DriftVerdict>;
  dataset?: DriftVerdict;
  accuracy?: number | null;
  estimate?: number | null;
  labelled?: number;
  p99Ms?: number | null;
  rows?: number;
  errors?: number;
  open?: boolean;
  reference?: boolean;
}

export function column(name: string, verdict: DriftVerdict): ColumnWindow {
  const score = verdict === 'drift' ? 0.31 : 0.02;
  return {
    name,
    kind: 'numeric',
    rows: verdict === 'not-enough-data' ? 3 : 500,
    missing: 0,
    mean: 44,
    drift: { method: 'wasserstein', score, threshold: 0.1, pValue: false, verdict, reason: verdict === 'not-enough-data' ? '3 values, 30 needed' : null },
    distribution: { bins: [0, 1], reference: [1], current: [1] },
  };
}

export function window(index: number, shape: WindowShape = {}): WindowSummary {
  const features = Object.entries(shape.features ?? {}).map(([name, verdict]) => column(name, verdict));
  const drifted = features.filter((feature) => feature.drift.verdict === 'drift').length;
  const judged = features.filter((feature) => feature.drift.verdict !== 'not-enough-data').length;
  const band = (value: number | null | undefined) => (value === null || value === undefined ? null : { value, low: value - 0.05, high: value + 0.05 });
  return {
    model: 'penguins-clf',
    index,
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString(),
    endedAt: shape.open ? null : new Date(Date.UTC(2026, 0, 1, 0, index + 1)).toISOString(),
    rows: shape.rows ?? 500,
    versions: { '3': shape.rows ?? 500 },
    reference: shape.reference === false ? null : { model: 'penguins-clf', version: 3, dataset: 'penguins@1', datasetRows: 344, createdAt: '2026-01-01T00:00:00.000Z' },
    features,
    prediction: null,
    dataset: { drifted, judged, share: judged ? drifted / judged : 0, verdict: shape.dataset ?? (judged === 0 ? 'not-enough-data' : drifted / judged >= 0.5 ? 'drift' : 'no-drift') },
    performance: { labelled: shape.labelled ?? (shape.accuracy == null ? 0 : 100), accuracy: band(shape.accuracy), rmse: null, mae: null, slices: [], estimate: band(shape.estimate) },
    latency: { p50Ms: 2, p99Ms: shape.p99Ms === undefined ? 9 : shape.p99Ms },
    errors: shape.errors ?? 0,
  };
}

export function recorder(dropped = 0, problem: string | null = null): RecorderStats {
  return {
    recorded: 5000,
    sampledOut: 0,
    dropped,
    droppedBy: { 'store-full': dropped, 'disk-error': 0, 'queue-full': 0 },
    labelled: 0,
    storeBytes: 1_000_000,
    oldestAt: null,
    problem,
  };
}
