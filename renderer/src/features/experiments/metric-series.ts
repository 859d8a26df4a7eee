import { metricNumber, type MetricHistory, type MetricPoint } from '../../../../shared/contract/runs.ts';

/** One metric of one run, as a chart draws it: steps ascending, values as numbers (NaN kept). */
export interface MetricSeries {
  readonly key: string;
  readonly steps: readonly number[];
  readonly values: readonly number[];
  readonly timestamps: readonly number[];
  /** Points main holds for it (more than these when downsampled). */
  readonly stored: number;
  readonly downsampled: boolean;
}

export function seriesFromHistory(history: MetricHistory): MetricSeries {
  return {
    key: history.key,
    steps: history.steps,
    values: history.values.map(metricNumber),
    timestamps: history.timestamps,
    stored: history.stored,
    downsampled: history.downsampled,
  };
}

export function emptySeries(key: string): MetricSeries {
  return { key, steps: [], values: [], timestamps: [], stored: 0, downsampled: false };
}

/** The first index whose step is at least `step` (steps ascending). */
function firstAtOrAfter(steps: readonly number[], step: number): number {
  let low = 0;
  let high = steps.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (steps[mid]! < step) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The series with live points added (from `runs:metrics`), in step order. A point it already
 * holds (same step and timestamp: an event that raced the history it was loaded with) is not
 * added twice. Points usually come after the last one, so that case only appends.
 */
export function withPoints(series: MetricSeries, points: readonly MetricPoint[]): MetricSeries {
  const steps = [...series.steps];
  const values = [...series.values];
  const timestamps = [...series.timestamps];
  let added = 0;
  for (const point of points) {
    if (point.key !== series.key) continue;
    const value = metricNumber(point.value);
    let at = firstAtOrAfter(steps, point.step);
    let duplicate = false;
    while (at < steps.length && steps[at] === point.step) {
      if (timestamps[at] === point.timestamp) {
        duplicate = true;
        break;
      }
      if (timestamps[at]! > point.timestamp) break;
      at += 1;
    }
    if (duplicate) continue;
    steps.splice(at, 0, point.step);
    values.splice(at, 0, value);
    timestamps.splice(at, 0, point.timestamp);
    added += 1;
  }
  if (added === 0) return series;
  return { ...series, steps, values, timestamps, stored: series.stored + added };
}

/** Live points grouped by metric key, in the order they came. */
export function pointsByKey(points: readonly MetricPoint[]): Map<string, MetricPoint[]> {
  const byKey = new Map<string, MetricPoint[]>();
  for (const point of points) {
    const list = byKey.get(point.key);
    if (list) list.push(point);
    else byKey.set(point.key, [point]);
  }
  return byKey;
}

/**
 * The series cut to at most `maxPoints` by Largest-Triangle-Three-Buckets, as main downsamples
 * (main/core/tracking/lttb.ts): the first and last points kept, and from each bucket between
 * them the one making the largest triangle, so the curve keeps its shape. The run page applies
 * it to a live series that has grown far past what its chart shows.
 */
export function thinned(series: MetricSeries, maxPoints: number): MetricSeries {
  const n = series.steps.length;
  if (n <= maxPoints || maxPoints < 3) return series;
  const { steps: x, values: y } = series;
  const chosen: number[] = [0];
  const bucketSize = (n - 2) / (maxPoints - 2);
  let previous = 0;
  for (let bucket = 0; bucket < maxPoints - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let averageX = 0;
    let averageY = 0;
    let counted = 0;
    for (let i = end; i < nextEnd; i++) {
      if (!Number.isFinite(y[i]!)) continue;
      averageX += x[i]!;
      averageY += y[i]!;
      counted++;
    }
    if (counted === 0) {
      averageX = x[nextEnd - 1]!;
      averageY = y[nextEnd - 1]!;
    } else {
      averageX /= counted;
      averageY /= counted;
    }
    let best = start;
    let bestArea = -1;
    for (let i = start; i < end; i++) {
      const area = Math.abs((x[previous]! - averageX) * (y[i]! - y[previous]!) - (x[previous]! - x[i]!) * (averageY - y[previous]!));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    chosen.push(best);
    previous = best;
  }
  chosen.push(n - 1);
  return {
    ...series,
    steps: chosen.map((i) => x[i]!),
    values: chosen.map((i) => y[i]!),
    timestamps: chosen.map((i) => series.timestamps[i]!),
    downsampled: true,
  };
}
