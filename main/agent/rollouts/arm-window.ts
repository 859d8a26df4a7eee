import type { ArmMeasurement } from '../../../shared/contract/agent-admin.ts';

/**
 * What one arm of a rollout did during the interval now running: requests, failures, latencies
 * (for the p99) and, for the candidate, how many predicted rows were compared with stable's and
 * how many differed. Latencies are kept up to a bound; past it a reservoir sample keeps the p99
 * honest without growing memory with traffic.
 */
export const MAX_LATENCY_SAMPLES = 50_000;

export class ArmWindow {
  requests = 0;
  errors = 0;
  compared = 0;
  disagreed = 0;
  private readonly latencies: number[] = [];
  private seen = 0;

  record(latencyMs: number, failed: boolean, draw: () => number = Math.random): void {
    this.requests++;
    if (failed) this.errors++;
    this.seen++;
    if (this.latencies.length < MAX_LATENCY_SAMPLES) this.latencies.push(latencyMs);
    else {
      const slot = Math.floor(draw() * this.seen);
      if (slot < MAX_LATENCY_SAMPLES) this.latencies[slot] = latencyMs;
    }
  }

  compare(rows: number, differing: number): void {
    this.compared += rows;
    this.disagreed += differing;
  }

  /** The 99th percentile by the nearest-rank method; null with no requests. */
  p99Ms(): number | null {
    if (this.latencies.length === 0) return null;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!;
  }

  measurement(version: string): ArmMeasurement {
    return {
      version,
      requests: this.requests,
      errors: this.errors,
      errorRate: this.requests === 0 ? null : this.errors / this.requests,
      p99Ms: this.p99Ms(),
      compared: this.compared,
      disagreement: this.compared === 0 ? null : this.disagreed / this.compared,
    };
  }
}
