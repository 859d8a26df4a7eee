import type { MonitoringPoint } from '../../../shared/contract/deployments.ts';
import type { WorkspaceDb } from '../storage/workspace-db.ts';
import type { IntervalPoint } from './metric-snapshot.ts';

/**
 * The agents' metrics kept over time in the workspace database (`monitoring_points`, migration
 * 3): one row per target, model, version and scrape interval, with the interval's length, its
 * request and error counts and latency percentiles — enough for requests/s and error rate
 * without keeping raw counters. Rows older than the retention are deleted as new ones arrive.
 */
export const DEFAULT_RETENTION_DAYS = 14;
/** A chart needs no more points than this; longer ranges are thinned evenly. */
const MAX_POINTS = 2000;

export function recordPoints(db: WorkspaceDb, target: string, at: Date, points: readonly IntervalPoint[], retentionDays: number): void {
  db.use((sql) => {
    sql.exec('BEGIN IMMEDIATE');
    try {
      const insert = sql.prepare('INSERT OR REPLACE INTO monitoring_points (target, model, version, at, seconds, requests, errors, p50_ms, p95_ms, p99_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      for (const point of points) insert.run(target, point.model, point.version, at.getTime(), point.seconds, point.requests, point.errors, point.p50Ms, point.p95Ms, point.p99Ms);
      sql.prepare('DELETE FROM monitoring_points WHERE at < ?').run(at.getTime() - retentionDays * 86_400_000);
      sql.exec('COMMIT');
    } catch (error) {
      sql.exec('ROLLBACK');
      throw error;
    }
  });
}

export function readSeries(db: WorkspaceDb, filter: { target: string; model: string; from?: string | undefined; to?: string | undefined }): MonitoringPoint[] {
  const from = filter.from ? Date.parse(filter.from) : 0;
  const to = filter.to ? Date.parse(filter.to) : Number.MAX_SAFE_INTEGER;
  const rows = db.use((sql) =>
    sql.prepare('SELECT version, at, seconds, requests, errors, p50_ms, p95_ms, p99_ms FROM monitoring_points WHERE target = ? AND model = ? AND at >= ? AND at <= ? ORDER BY at, version').all(filter.target, filter.model, from, to),
  ) as { version: string; at: number; seconds: number; requests: number; errors: number; p50_ms: number | null; p95_ms: number | null; p99_ms: number | null }[];
  const step = Math.ceil(rows.length / MAX_POINTS);
  return rows
    .filter((_, index) => step <= 1 || index % step === 0)
    .map((row) => ({
      at: new Date(row.at).toISOString(),
      version: row.version,
      requestsPerSecond: row.seconds > 0 ? row.requests / row.seconds : 0,
      errorRate: row.requests > 0 ? row.errors / row.requests : null,
      p50Ms: row.p50_ms,
      p95Ms: row.p95_ms,
      p99Ms: row.p99_ms,
    }));
}
