import type { MonitoringPoint } from '../../../../shared/contract/deployments.ts';
import type { TimeRow } from './time-series-chart.tsx';

/** The versions in a series, in the order they first appear (the old stable before a new one). */
export function versionsIn(points: readonly MonitoringPoint[]): string[] {
  return [...new Set(points.map((point) => point.version))];
}

/**
 * Points as chart rows by time: one column per version (`v3`) for a per-version value, so a
 * rollout's two versions are two lines. A version not measured at a time is null there.
 */
export function rowsByVersion(points: readonly MonitoringPoint[], pick: (point: MonitoringPoint) => number | null): TimeRow[] {
  const byTime = new Map<number, Record<string, number | null> & { t: number }>();
  for (const point of points) {
    const t = Date.parse(point.at);
    if (!Number.isFinite(t)) continue;
    let row = byTime.get(t);
    if (!row) byTime.set(t, (row = { t }));
    const value = pick(point);
    row[`v${point.version}`] = value !== null && Number.isFinite(value) ? value : null;
  }
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

/** The first and last time of the points (readable ones), for one x axis across a page's charts; undefined with none. */
export function timeSpan(points: readonly MonitoringPoint[]): readonly [number, number] | undefined {
  const times = points.map((point) => Date.parse(point.at)).filter(Number.isFinite);
  return times.length === 0 ? undefined : [Math.min(...times), Math.max(...times)];
}

/** One version's latency percentiles as rows: p50, p95 and p99 by time. */
export function latencyRows(points: readonly MonitoringPoint[], version: string): TimeRow[] {
  return points
    .filter((point) => point.version === version && Number.isFinite(Date.parse(point.at)))
    .map((point) => ({ t: Date.parse(point.at), p50: point.p50Ms, p95: point.p95Ms, p99: point.p99Ms }))
    .sort((a, b) => a.t - b.t);
}

export const ranges = [
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { id: 'all', label: 'Everything kept', ms: null },
] as const;
export type RangeId = (typeof ranges)[number]['id'];

/** The `from` of a range, at `now`; undefined: everything kept. */
export function rangeStart(id: RangeId, now: number): string | undefined {
  const ms = ranges.find((range) => range.id === id)?.ms ?? null;
  return ms === null ? undefined : new Date(now - ms).toISOString();
}

/**
 * At most `max` rows for a chart (a few hundred pixels wide cannot show more): consecutive rows
 * are merged into buckets, each keeping its last time and, per line, the highest value in it, so
 * a spike in latency or errors survives the thinning. Fewer rows than `max` come back as they are.
 */
export function thinRows(rows: readonly TimeRow[], max = 600): readonly TimeRow[] {
  if (rows.length <= max) return rows;
  const size = Math.ceil(rows.length / max);
  const thinned: TimeRow[] = [];
  for (let start = 0; start < rows.length; start += size) {
    const bucket = rows.slice(start, start + size);
    const merged: Record<string, number | null> & { t: number } = { t: bucket.at(-1)!.t };
    for (const row of bucket) {
      for (const [key, value] of Object.entries(row)) {
        if (key === 't') continue;
        const kept = merged[key];
        merged[key] = typeof value === 'number' && (typeof kept !== 'number' || value > kept) ? value : (kept ?? null);
      }
    }
    thinned.push(merged);
  }
  return thinned;
}
