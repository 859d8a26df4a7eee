import type { MetricsText } from './prometheus-text.ts';

/**
 * An agent's counters for one served model version at one scrape, and the point of a series
 * made from two scrapes: requests/s, error rate, and latency percentiles estimated from the
 * histogram buckets the way Prometheus's histogram_quantile does (linear within a bucket).
 */
export interface VersionCounters {
  model: string;
  version: string;
  requests: number;
  errors: number;
  /** Cumulative bucket counts by upper bound in seconds (+Inf last). */
  buckets: { le: number; count: number }[];
}

export interface IntervalPoint {
  model: string;
  version: string;
  seconds: number;
  requests: number;
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

const key = (model: string, version: string) => `${model}\u0000${version}`;

/** Per model and version: requests and errors summed over protocols and statuses, and the latency buckets. */
export function versionCounters(text: MetricsText): Map<string, VersionCounters> {
  const found = new Map<string, VersionCounters>();
  const of = (labels: Record<string, string>) => {
    const { model, version } = labels;
    if (model === undefined || version === undefined) return null;
    let counters = found.get(key(model, version));
    if (!counters) found.set(key(model, version), (counters = { model, version, requests: 0, errors: 0, buckets: [] }));
    return counters;
  };
  for (const sample of text.samples) {
    if (sample.name === 'lathe_agent_requests_total') {
      const counters = of(sample.labels);
      if (counters) counters.requests += sample.value;
    } else if (sample.name === 'lathe_agent_request_errors_total') {
      const counters = of(sample.labels);
      if (counters) counters.errors += sample.value;
    } else if (sample.name === 'lathe_agent_request_duration_seconds_bucket') {
      const counters = of(sample.labels);
      const le = sample.labels.le === '+Inf' ? Infinity : Number(sample.labels.le);
      if (counters && !Number.isNaN(le)) counters.buckets.push({ le, count: sample.value });
    }
  }
  for (const counters of found.values()) counters.buckets.sort((a, b) => a.le - b.le);
  return found;
}

/**
 * What happened between two scrapes. A counter that went down means the agent restarted (or the
 * version was loaded again): then the new value is all that happened since, as Prometheus's
 * rate() treats a reset. A version seen only now starts from zero.
 */
export function intervalPoints(before: Map<string, VersionCounters>, now: Map<string, VersionCounters>, seconds: number): IntervalPoint[] {
  const points: IntervalPoint[] = [];
  for (const [id, current] of now) {
    const previous = before.get(id);
    const reset = !previous || current.requests < previous.requests || current.errors < previous.errors;
    const requests = reset ? current.requests : current.requests - previous.requests;
    const errors = reset ? current.errors : current.errors - previous.errors;
    const buckets = current.buckets.map((bucket) => {
      const old = reset ? undefined : previous.buckets.find((b) => b.le === bucket.le);
      return { le: bucket.le, count: Math.max(0, bucket.count - (old?.count ?? 0)) };
    });
    points.push({
      model: current.model,
      version: current.version,
      seconds,
      requests,
      errors,
      p50Ms: toMs(bucketQuantile(0.5, buckets)),
      p95Ms: toMs(bucketQuantile(0.95, buckets)),
      p99Ms: toMs(bucketQuantile(0.99, buckets)),
    });
  }
  return points;
}

const toMs = (seconds: number | null) => (seconds === null ? null : seconds * 1000);

/**
 * The q-quantile from cumulative buckets (sorted, +Inf last), as histogram_quantile: find the
 * bucket the rank falls in and interpolate linearly between its bounds (the first bucket from 0);
 * a rank in the +Inf bucket answers the largest finite bound. Null with no observations.
 */
export function bucketQuantile(q: number, buckets: readonly { le: number; count: number }[]): number | null {
  const total = buckets.at(-1)?.count ?? 0;
  if (buckets.length === 0 || total <= 0 || buckets.at(-1)!.le !== Infinity) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of buckets) {
    if (bucket.count >= rank) {
      if (bucket.le === Infinity) return lowerBound;
      const inBucket = bucket.count - lowerCount;
      return inBucket <= 0 ? bucket.le : lowerBound + (bucket.le - lowerBound) * ((rank - lowerCount) / inBucket);
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return lowerBound;
}
