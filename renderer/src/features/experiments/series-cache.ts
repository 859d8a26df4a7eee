import type { LatheError, Result } from '../../../../shared/contract/result.ts';
import type { MetricHistory, RunSummary } from '../../../../shared/contract/runs.ts';
import type { LatheApi } from '../../lib/api-types.ts';
import type { CurveResolution } from './compare-slice.ts';
import { seriesFromHistory, type MetricSeries } from './metric-series.ts';
import type { SeriesMemory, StoredSeries } from './experiments-memory.ts';

export interface SeriesRequest {
  readonly run: Pick<RunSummary, 'id' | 'metrics' | 'status'>;
  readonly key: string;
}

/** Run `work` when the page has nothing better to do (after the charts are drawn). */
function whenIdle(work: () => void): void {
  const idle = (globalThis as { requestIdleCallback?: (callback: () => void, options?: { timeout: number }) => number }).requestIdleCallback;
  if (idle) idle(work, { timeout: 5000 });
  else setTimeout(work, 0);
}

/** Curves kept in this window's memory; a comparison of 100 runs × 10 metrics needs 1000. */
const MAX_IN_MEMORY = 4000;

/**
 * Metric curves for charts, fetched in parallel and kept: in memory for this window, and (for
 * runs that have ended) in IndexedDB across restarts. A curve is known by its run, metric,
 * resolution and the metric's latest step and timestamp, so a run that logged more since is
 * fetched again while a finished run's curve is fetched once.
 */
export function createSeriesCache({ api, memory }: { api: Pick<LatheApi, 'call'>; memory: SeriesMemory }) {
  const inMemory = new Map<string, MetricSeries>();

  const cacheKey = (workspace: string, { run, key }: SeriesRequest, resolution: CurveResolution) => {
    const latest = run.metrics[key];
    return [workspace, run.id, key, resolution, latest?.step ?? '', latest?.timestamp ?? ''].join('\u0000');
  };

  function remember(key: string, series: MetricSeries) {
    inMemory.delete(key);
    inMemory.set(key, series);
    if (inMemory.size > MAX_IN_MEMORY) inMemory.delete(inMemory.keys().next().value!);
  }

  /**
   * The curves asked for, in the same order: what this window holds, then what IndexedDB
   * holds (one read for all), then the rest from main, all at once.
   */
  async function curves(workspace: string, requests: readonly SeriesRequest[], resolution: CurveResolution): Promise<Result<MetricSeries>[]> {
    const keys = requests.map((request) => cacheKey(workspace, request, resolution));
    const results: (Result<MetricSeries> | undefined)[] = keys.map((key) => {
      const held = inMemory.get(key);
      return held ? { ok: true, value: held } : undefined;
    });
    const missing = keys.flatMap((key, index) => (results[index] ? [] : [index]));
    if (missing.length === 0) return results as Result<MetricSeries>[];

    const kept = await memory.load(missing.map((index) => keys[index]!));
    const toFetch: number[] = [];
    missing.forEach((index, i) => {
      const stored = kept[i];
      if (stored) {
        const series: MetricSeries = { key: requests[index]!.key, steps: stored.steps, values: stored.values, timestamps: stored.timestamps, stored: stored.stored, downsampled: stored.downsampled };
        remember(keys[index]!, series);
        results[index] = { ok: true, value: series };
      } else toFetch.push(index);
    });

    const fetched = await fetchCurves(workspace, toFetch.map((index) => requests[index]!), resolution);
    const toSave: StoredSeries[] = [];
    const savedAt = Date.now();
    fetched.forEach((result, i) => {
      const index = toFetch[i]!;
      if (!result.ok) {
        results[index] = result;
        return;
      }
      const series = seriesFromHistory(result.value);
      remember(keys[index]!, series);
      results[index] = { ok: true, value: series };
      // A running run's curve is out of date with its next point: not worth keeping past this window.
      if (requests[index]!.run.status !== 'RUNNING') {
        toSave.push({ key: keys[index]!, steps: [...series.steps], values: [...series.values], timestamps: [...series.timestamps], stored: series.stored, downsampled: series.downsampled, savedAt });
      }
    });
    // In the background, once the page is idle: drawing does not wait for the copy.
    if (toSave.length > 0) whenIdle(() => void memory.save(toSave));
    return results as Result<MetricSeries>[];
  }

  /**
   * Downsampled curves in as few requests as the contract allows (one per 3,000 curves), each
   * curve's failure its own; every point of a curve, one request each (rare, and large).
   */
  async function fetchCurves(workspace: string, wanted: readonly SeriesRequest[], resolution: CurveResolution): Promise<Result<MetricHistory>[]> {
    if (wanted.length === 0) return [];
    if (resolution === 'every') return Promise.all(wanted.map(({ run, key }) => api.call('runs:metric-history', { workspace, runId: run.id, key })));
    const results: Result<MetricHistory>[] = [];
    for (let start = 0; start < wanted.length; start += CURVES_A_REQUEST) {
      const batch = wanted.slice(start, start + CURVES_A_REQUEST);
      const answer = await api.call('runs:metric-histories', { workspace, curves: batch.map(({ run, key }) => ({ runId: run.id, key })), maxPoints: resolution, withoutTimestamps: true });
      if (!answer.ok) {
        results.push(...batch.map(() => answer));
        continue;
      }
      results.push(...answer.value.map((curve): Result<MetricHistory> => ('error' in curve ? { ok: false, error: curve.error } : { ok: true, value: curve })));
    }
    return results;
  }

  return { curves };
}

const CURVES_A_REQUEST = 3000;

export type SeriesCache = ReturnType<typeof createSeriesCache>;

/** The first failure among results, if any. */
export function firstFailure(results: readonly Result<unknown>[]): LatheError | null {
  for (const result of results) if (!result.ok) return result.error;
  return null;
}
