import { describe, expect, it } from 'vitest';
import type { MonitoringPoint } from '../../../../shared/contract/deployments.ts';
import { latencyRows, rangeStart, rowsByVersion, thinRows, timeSpan, versionsIn } from './monitoring-rows.ts';

const point = (at: string, version: string, requestsPerSecond: number, p99Ms: number | null = 4): MonitoringPoint => ({ at, version, requestsPerSecond, errorRate: p99Ms === null ? null : 0, p50Ms: p99Ms && p99Ms / 4, p95Ms: p99Ms && p99Ms / 2, p99Ms });

describe('monitoring points as chart rows', () => {
  const points = [point('2026-11-30T10:00:10Z', '2', 3), point('2026-11-30T10:00:00Z', '1', 20), point('2026-11-30T10:00:10Z', '1', 18), point('2026-11-30T10:00:20Z', '2', 0, null)];

  it('makes one line per version, rows in time order, a version missing at a time left empty', () => {
    expect(versionsIn(points)).toEqual(['2', '1']);
    expect(rowsByVersion(points, (p) => p.requestsPerSecond)).toEqual([
      { t: Date.parse('2026-11-30T10:00:00Z'), v1: 20 },
      { t: Date.parse('2026-11-30T10:00:10Z'), v2: 3, v1: 18 },
      { t: Date.parse('2026-11-30T10:00:20Z'), v2: 0 },
    ]);
    expect(rowsByVersion(points, (p) => p.errorRate).at(-1)).toEqual({ t: Date.parse('2026-11-30T10:00:20Z'), v2: null });
  });

  it('keeps a version’s percentiles apart from the other version’s, and drops unreadable times', () => {
    expect(latencyRows([...points, point('not a time', '2', 1)], '2')).toEqual([
      { t: Date.parse('2026-11-30T10:00:10Z'), p50: 1, p95: 2, p99: 4 },
      { t: Date.parse('2026-11-30T10:00:20Z'), p50: null, p95: null, p99: null },
    ]);
  });

  it('spans every chart of a page over one time range, the earliest point to the latest', () => {
    expect(timeSpan(points)).toEqual([Date.parse('2026-11-30T10:00:00Z'), Date.parse('2026-11-30T10:00:20Z')]);
    expect(timeSpan([])).toBeUndefined();
  });

  it('starts a range that long before now, and everything kept at no start', () => {
    expect(rangeStart('15m', Date.parse('2026-11-30T10:15:00Z'))).toBe('2026-11-30T10:00:00.000Z');
    expect(rangeStart('all', 0)).toBeUndefined();
  });

  it('thins 14 days at 15 s to a few hundred rows per chart, keeping each bucket’s peak', () => {
    const rows = Array.from({ length: 80_640 }, (_, i) => ({ t: i * 15_000, p99: i === 40_000 ? 900 : 5, v2: i < 10 ? null : 1 }));
    const thinned = thinRows(rows);
    expect(thinned.length).toBeLessThanOrEqual(600);
    expect(Math.max(...thinned.map((row) => row.p99 as number))).toBe(900);
    expect(thinned[0]).toMatchObject({ v2: 1 });
    expect(thinned.at(-1)!.t).toBe(80_639 * 15_000);
    const few = rows.slice(0, 10);
    expect(thinRows(few)).toBe(few);
  });
});
