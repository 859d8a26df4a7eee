import { emptyColumns, type MetricColumns } from './metric-blocks.ts';

/**
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013): at most `maxPoints` of a series' points,
 * chosen so the curve keeps its shape — the first and the last always, and from each bucket
 * between them the point that makes the largest triangle with the point chosen before and the
 * average of the next bucket. x is the step. Points come back in their order, so steps stay
 * sorted; with no more than `maxPoints` points, all of them come back unchanged.
 *
 * A point whose value is NaN makes no triangle; a bucket of only NaN keeps its first point.
 */
export function downsample(series: MetricColumns, maxPoints: number): MetricColumns {
  const n = series.values.length;
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new Error(`maxPoints must be a whole number of at least 2; got ${maxPoints}`);
  if (n <= maxPoints) return series;
  const { steps: x, values: y } = series;
  const chosen = new Int32Array(maxPoints);
  const bucketSize = (n - 2) / (maxPoints - 2);
  let previous = 0;
  for (let bucket = 0; bucket < maxPoints - 2; bucket += 1) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    // The average of the next bucket (the last point, past the last bucket).
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let averageX = 0;
    let averageY = 0;
    let counted = 0;
    for (let i = nextStart; i < nextEnd; i += 1) {
      if (!Number.isFinite(y[i]!)) continue;
      averageX += x[i]!;
      averageY += y[i]!;
      counted += 1;
    }
    if (counted === 0) {
      averageX = x[nextEnd - 1]!;
      averageY = y[nextEnd - 1]!;
    } else {
      averageX /= counted;
      averageY /= counted;
    }
    const ax = x[previous]!;
    const ay = y[previous]!;
    let best = start;
    let bestArea = -1;
    for (let i = start; i < end; i += 1) {
      const area = Math.abs((ax - averageX) * (y[i]! - ay) - (ax - x[i]!) * (averageY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    chosen[bucket + 1] = best;
    previous = best;
  }
  chosen[maxPoints - 1] = n - 1;
  const out = emptyColumns(maxPoints);
  for (let k = 0; k < maxPoints; k += 1) {
    const i = chosen[k]!;
    out.steps[k] = x[i]!;
    out.values[k] = y[i]!;
    out.timestamps[k] = series.timestamps[i]!;
  }
  return out;
}
