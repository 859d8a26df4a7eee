import type { Distribution, Interval, WindowSummary } from '../../../../shared/contract/monitoring.ts';

/** One window on a chart: its index on the x axis and a value per line (null: nothing to draw there). */
export type WindowRow = { readonly window: number } & Readonly<Record<string, number | null | readonly [number, number]>>;

/** A feature's (or the prediction's) drift score over the windows, with the threshold it is judged by. */
export interface ScoreSeries {
  readonly name: string;
  readonly method: string | null;
  readonly threshold: number | null;
  /** true: a p-value (drift below the threshold); false: a distance (drift at or above it). */
  readonly pValue: boolean;
  readonly rows: readonly WindowRow[];
  readonly drifted: number;
}

/** Each feature's score by window (and the prediction's last), `score` null where it was not enough data. */
export function scoreSeries(windows: readonly WindowSummary[]): ScoreSeries[] {
  const names = [...new Set(windows.flatMap((window) => window.features.map((feature) => feature.name)))];
  const pick = (window: WindowSummary, name: string | null) => (name === null ? window.prediction : window.features.find((feature) => feature.name === name)) ?? null;
  const hasPrediction = windows.some((window) => window.prediction !== null);
  return [...names, ...(hasPrediction ? [null] : [])].map((name) => {
    const columns = windows.map((window) => pick(window, name));
    const last = columns.filter((column) => column !== null).at(-1) ?? null;
    return {
      name: name ?? 'prediction',
      method: last?.drift.method ?? null,
      threshold: last?.drift.threshold ?? null,
      pValue: last?.drift.pValue ?? false,
      drifted: columns.filter((column) => column?.drift.verdict === 'drift').length,
      rows: windows.map((window, index) => {
        const column = columns[index];
        const judged = column && column.drift.verdict !== 'not-enough-data' && Number.isFinite(column.drift.score);
        return { window: window.index, score: judged ? column.drift.score : null };
      }),
    };
  });
}

/** The share of judged features that drifted, per window (null when no feature could be judged). */
export function datasetShareRows(windows: readonly WindowSummary[]): WindowRow[] {
  return windows.map((window) => ({ window: window.index, share: window.dataset.verdict === 'not-enough-data' ? null : window.dataset.share }));
}

const band = (interval: Interval | null): readonly [number, number] | null => (interval ? [interval.low, interval.high] : null);

/**
 * Accuracy with its 95 % band where labels arrived, and the estimate (from calibrated
 * probabilities) with its band for every window that has one: two lines that the chart draws
 * apart (solid, dashed).
 */
export function accuracyRows(windows: readonly WindowSummary[]): WindowRow[] {
  return windows.map((window) => {
    const { accuracy, estimate } = window.performance;
    return { window: window.index, accuracy: accuracy?.value ?? null, accuracyBand: band(accuracy), estimate: estimate?.value ?? null, estimateBand: band(estimate) };
  });
}

/** RMSE with its band, for regressors. */
export function rmseRows(windows: readonly WindowSummary[]): WindowRow[] {
  return windows.map((window) => ({ window: window.index, rmse: window.performance.rmse?.value ?? null, rmseBand: band(window.performance.rmse) }));
}

/** p50/p99 latency and errors per window, as the agent measured them in the window. */
export function latencyWindowRows(windows: readonly WindowSummary[]): WindowRow[] {
  return windows.map((window) => ({ window: window.index, p50: window.latency.p50Ms, p99: window.latency.p99Ms }));
}

/**
 * At most `max` rows for a chart: consecutive windows are merged into buckets that keep the last
 * window's index and, per line, the value furthest from ordinary (`worst`: the highest score for
 * a distance, the lowest for a p-value or an accuracy), so one drifted window survives thinning.
 */
export function thinWindows(rows: readonly WindowRow[], max: number, worst: (a: number, b: number) => number = Math.max): readonly WindowRow[] {
  if (rows.length <= max) return rows;
  const size = Math.ceil(rows.length / max);
  const thinned: WindowRow[] = [];
  for (let start = 0; start < rows.length; start += size) {
    const bucket = rows.slice(start, start + size);
    const merged: Record<string, number | null | readonly [number, number]> = {};
    for (const row of bucket) {
      for (const [key, value] of Object.entries(row)) {
        if (key === 'window') continue;
        const kept = merged[key];
        if (typeof value === 'number') merged[key] = typeof kept === 'number' ? worst(kept, value) : value;
        else if (Array.isArray(value)) merged[key] = Array.isArray(kept) ? [Math.min(kept[0], value[0]), Math.max(kept[1], value[1])] : value;
        else if (!(key in merged)) merged[key] = null;
      }
    }
    thinned.push({ ...merged, window: bucket.at(-1)!.window });
  }
  return thinned;
}

export interface DistributionRow {
  readonly bin: string;
  readonly reference: number;
  readonly current: number;
}

const edge = (value: number): string => String(Number(value.toPrecision(3)));

/**
 * Reference and current shares side by side: a bar per category, or per bin of numbers labelled
 * by its range ("30–35"). A distribution whose arrays do not line up is cut to what does.
 */
export function distributionRows(distribution: Distribution): DistributionRow[] {
  const { bins, reference, current } = distribution;
  const numeric = bins.length > 0 && typeof bins[0] === 'number';
  const count = Math.min(numeric ? bins.length - 1 : bins.length, reference.length, current.length);
  const rows: DistributionRow[] = [];
  for (let index = 0; index < Math.max(0, count); index += 1) {
    const bin = numeric ? `${edge(bins[index] as number)}–${edge(bins[index + 1] as number)}` : String(bins[index]);
    rows.push({ bin, reference: reference[index] ?? 0, current: current[index] ?? 0 });
  }
  return rows;
}
