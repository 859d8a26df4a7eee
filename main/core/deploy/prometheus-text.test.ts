import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAgentMetrics } from '../../agent/agent-metrics.ts';
import { bucketQuantile, intervalPoints, versionCounters } from './metric-snapshot.ts';
import { parsePrometheusText } from './prometheus-text.ts';

const refusal = (text: string) => {
  try {
    parsePrometheusText(text, 'http://agent/metrics');
  } catch (error) {
    return (error as { error: { code: string; message: string; location?: { line?: number } } }).error;
  }
  throw new Error('expected a refusal');
};

describe("reading an agent's /metrics", () => {
  it("reads what the agent writes: counters per protocol summed per version, the histogram's buckets, labels with escapes", () => {
    const metrics = createAgentMetrics();
    metrics.request('penguins', '1', 'v2', 0.004, null);
    metrics.request('penguins', '1', 'v1', 0.02, 500);
    metrics.request('penguins', '2', 'v2', 0.3, null);
    metrics.request('we"ird\\name', '1', 'v2', 0.001, null);
    const text = parsePrometheusText(metrics.render([{ model: 'penguins', version: '1', queued: 0, inFlight: 0 }]), 'agent');
    expect(text.types.get('lathe_agent_request_duration_seconds')).toBe('histogram');
    const counters = versionCounters(text);
    expect(counters.get('penguins\u00001')).toMatchObject({ requests: 2, errors: 1 });
    expect(counters.get('penguins\u00002')).toMatchObject({ requests: 1, errors: 0 });
    expect(counters.get('we"ird\\name\u00001')?.requests).toBe(1);
    const buckets = counters.get('penguins\u00001')!.buckets;
    expect(buckets.at(-1)).toEqual({ le: Infinity, count: 2 });
    expect(buckets.find((b) => b.le === 0.005)?.count).toBe(1);
  });

  it('refuses what is not the text format, naming the line', () => {
    expect(refusal('# TYPE a counter\na 1\nb{x="1" 2\n')).toMatchObject({ code: 'PARSE_ERROR', location: { line: 3 } });
    expect(refusal('a one\n').message).toMatch(/line 1: "one" is not a number/);
    expect(refusal('a{x="\\q"} 1\n').message).toMatch(/unknown escape/);
    expect(refusal('a{x="1",x="2"} 1\n').message).toMatch(/label x appears twice/);
    expect(refusal('# TYPE a countr\n').message).toMatch(/unknown metric type/);
    expect(refusal('<html>nope</html>\n').message).toMatch(/must start with a metric name/);
    expect(refusal('a{x="1"}1\n').message).toMatch(/space must separate/);
    expect(refusal('a 1 12.5\n').message).toMatch(/timestamp/);
  });

  it('reads back any model and version names and counts the agent writes (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 10 }), fc.integer({ min: 1, max: 50 }), fc.double({ min: 0, max: 20, noNaN: true }), (model, version, requests, seconds) => {
        const metrics = createAgentMetrics();
        for (let i = 0; i < requests; i += 1) metrics.request(model, version, 'v2', seconds, i % 3 === 0 ? 500 : null);
        const counters = versionCounters(parsePrometheusText(metrics.render([]), 'agent')).get(`${model}\u0000${version}`);
        expect(counters).toMatchObject({ requests, errors: Math.ceil(requests / 3) });
        expect(counters!.buckets.at(-1)).toEqual({ le: Infinity, count: requests });
      }),
      { numRuns: 200 },
    );
  });

  it('takes NaN, ±Inf, exponents, timestamps and plain comments', () => {
    const { samples } = parsePrometheusText('# just a note\n\na NaN\nb +Inf\nc -Inf 1700000000000\nd 1.5e-3\n', 'x');
    expect(samples.map((s) => s.value)).toEqual([NaN, Infinity, -Infinity, 0.0015]);
  });
});

describe('a series point from two scrapes', () => {
  const scrape = (requests: number, errors: number, fast: number, slow: number) =>
    versionCounters(
      parsePrometheusText(
        [
          `lathe_agent_requests_total{model="m",version="1",protocol="v2"} ${requests}`,
          `lathe_agent_request_errors_total{model="m",version="1",protocol="v2",status="500"} ${errors}`,
          `lathe_agent_request_duration_seconds_bucket{model="m",version="1",le="0.01"} ${fast}`,
          `lathe_agent_request_duration_seconds_bucket{model="m",version="1",le="0.1"} ${fast + slow}`,
          `lathe_agent_request_duration_seconds_bucket{model="m",version="1",le="+Inf"} ${fast + slow}`,
          '',
        ].join('\n'),
        'x',
      ),
    );

  it('counts only what happened between the scrapes, and estimates percentiles from the bucket deltas', () => {
    const [point] = intervalPoints(scrape(100, 1, 100, 0), scrape(300, 11, 150, 150), 10);
    expect(point).toMatchObject({ model: 'm', version: '1', seconds: 10, requests: 200, errors: 10 });
    // 50 fast and 150 slow in the interval: the median lies in the 10–100 ms bucket.
    expect(point!.p50Ms).toBeCloseTo(10 + 90 * (50 / 150), 6);
    expect(point!.p99Ms).toBeCloseTo(10 + 90 * (148 / 150), 6);
  });

  it('treats counters that went down as an agent restart: the new values are the interval', () => {
    const [point] = intervalPoints(scrape(500, 50, 500, 0), scrape(20, 0, 20, 0), 5);
    expect(point).toMatchObject({ requests: 20, errors: 0 });
  });

  it('answers no percentile without observations, and the largest finite bound for a rank past it', () => {
    expect(bucketQuantile(0.5, [{ le: 0.1, count: 0 }, { le: Infinity, count: 0 }])).toBeNull();
    expect(bucketQuantile(0.99, [{ le: 0.1, count: 1 }, { le: Infinity, count: 100 }])).toBe(0.1);
    expect(bucketQuantile(0.5, [])).toBeNull();
  });
});
