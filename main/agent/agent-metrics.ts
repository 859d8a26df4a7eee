/**
 * The agent's Prometheus metrics, in the text exposition format 0.0.4: requests and errors per
 * model, version and protocol, a latency histogram per model and version, and the queue depth and
 * requests in flight per model and version (gauges read when scraped). Labels come only from loaded models' names and
 * versions and a fixed set of protocols and codes, so a client cannot grow the series by sending
 * made-up names (requests for unknown models count under `lathe_agent_unrouted_requests_total`).
 */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export type Protocol = 'v1' | 'v2';

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/** What each loaded model version has waiting and in hand when scraped. */
export interface LoadedGauges {
  model: string;
  version: string;
  queued: number;
  inFlight: number;
}

export interface AgentMetrics {
  request(model: string, version: string, protocol: Protocol, seconds: number, errorStatus: number | null): void;
  unrouted(reason: 'unknown_model' | 'unknown_version' | 'not_loaded'): void;
  /** A routing decision: the arm (stable, candidate, or shadow for a mirrored copy) a request went to. */
  routed(model: string, version: string, arm: 'stable' | 'candidate' | 'shadow'): void;
  /** The text for GET /metrics, with the gauges' current values. */
  render(loaded: readonly LoadedGauges[]): string;
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labels = (pairs: Record<string, string>) => `{${Object.entries(pairs).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;

export function createAgentMetrics(): AgentMetrics {
  const requests = new Map<string, number>();
  const errors = new Map<string, number>();
  const latency = new Map<string, Histogram>();
  const unrouted = new Map<string, number>();
  const routed = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  return {
    request(model, version, protocol, seconds, errorStatus) {
      bump(requests, labels({ model, version, protocol }));
      if (errorStatus !== null) bump(errors, labels({ model, version, protocol, status: String(errorStatus) }));
      const key = labels({ model, version });
      let histogram = latency.get(key);
      if (!histogram) latency.set(key, (histogram = { counts: LATENCY_BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 }));
      LATENCY_BUCKETS_SECONDS.forEach((bound, i) => {
        if (seconds <= bound) histogram.counts[i]!++;
      });
      histogram.sum += seconds;
      histogram.count++;
    },
    unrouted(reason) {
      bump(unrouted, labels({ reason }));
    },
    routed(model, version, arm) {
      bump(routed, labels({ model, version, arm }));
    },
    render(loaded) {
      const lines: string[] = [];
      const family = (name: string, type: string, help: string, samples: [string, number][]) => {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
        for (const [suffix, value] of samples) lines.push(`${suffix} ${Number.isInteger(value) ? value : value.toPrecision(9)}`);
      };
      family('lathe_agent_requests_total', 'counter', 'Prediction requests answered, per model, version and protocol.', [...requests].map(([l, v]) => [`lathe_agent_requests_total${l}`, v]));
      family('lathe_agent_request_errors_total', 'counter', 'Prediction requests that failed, per model, version, protocol and HTTP status.', [...errors].map(([l, v]) => [`lathe_agent_request_errors_total${l}`, v]));
      const histogramSamples: [string, number][] = [];
      for (const [l, h] of latency) {
        const inner = l.slice(1, -1);
        LATENCY_BUCKETS_SECONDS.forEach((bound, i) => histogramSamples.push([`lathe_agent_request_duration_seconds_bucket{${inner},le="${bound}"}`, h.counts[i]!]));
        histogramSamples.push([`lathe_agent_request_duration_seconds_bucket{${inner},le="+Inf"}`, h.count]);
        histogramSamples.push([`lathe_agent_request_duration_seconds_sum${l}`, h.sum]);
        histogramSamples.push([`lathe_agent_request_duration_seconds_count${l}`, h.count]);
      }
      family('lathe_agent_request_duration_seconds', 'histogram', 'Time from a prediction request read to its answer, per model and version.', histogramSamples);
      family('lathe_agent_unrouted_requests_total', 'counter', 'Prediction requests for a model or version that is not loaded (not_loaded: recorded, but it failed to load at start-up).', [...unrouted].map(([l, v]) => [`lathe_agent_unrouted_requests_total${l}`, v]));
      family('lathe_agent_routed_requests_total', 'counter', 'Prediction requests per arm a routing decision sent them to (stable, candidate; shadow: copies mirrored to a shadow candidate), per model and version.', [...routed].map(([l, v]) => [`lathe_agent_routed_requests_total${l}`, v]));
      const perVersion = (name: string, value: (g: LoadedGauges) => number): [string, number][] => loaded.map((g) => [`${name}${labels({ model: g.model, version: g.version })}`, value(g)]);
      family('lathe_agent_queue_depth', 'gauge', 'Prediction requests waiting for a free serving worker, per model and version.', perVersion('lathe_agent_queue_depth', (g) => g.queued));
      family('lathe_agent_in_flight', 'gauge', 'Prediction requests a serving worker is answering now, per model and version.', perVersion('lathe_agent_in_flight', (g) => g.inFlight));
      family('lathe_agent_models_loaded', 'gauge', 'Model versions loaded and serving.', [['lathe_agent_models_loaded', loaded.length]]);
      return `${lines.join('\n')}\n`;
    },
  };
}
