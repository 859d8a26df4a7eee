import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createAgentMetrics, LATENCY_BUCKETS_SECONDS } from './agent-metrics.ts';

/**
 * /metrics must be what Prometheus scrapes: the text format 0.0.4. A strict reading of the format
 * here, and Prometheus's own `promtool check metrics` where it is installed (Debian: prometheus).
 */
function sampleText(): string {
  const metrics = createAgentMetrics();
  metrics.request('penguins', '3', 'v2', 0.004, null);
  metrics.request('penguins', '3', 'v2', 0.2, 400);
  metrics.request('penguins', '3', 'v1', 12, 503);
  metrics.request('odd"na\\me', '1', 'v2', 0.0001, null);
  metrics.unrouted('unknown_model');
  metrics.routed('penguins', '3', 'stable');
  metrics.routed('penguins', '4', 'candidate');
  metrics.routed('penguins', '4', 'candidate');
  metrics.routed('penguins', '4', 'shadow');
  return metrics.render([
    { model: 'penguins', version: '3', queued: 2, inFlight: 1 },
    { model: 'odd"na\\me', version: '1', queued: 0, inFlight: 0 },
  ]);
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parse the exposition format strictly: throws on any line it does not allow. */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  if (!text.endsWith('\n')) throw new Error('the text must end with a line break');
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  for (const [i, line] of text.slice(0, -1).split('\n').entries()) {
    const type = new RegExp(`^# TYPE (${name}) (counter|gauge|histogram)$`).exec(line);
    if (type) {
      if (types.has(type[1]!)) throw new Error(`line ${i + 1}: a second TYPE for ${type[1]}`);
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (new RegExp(`^# HELP ${name} \\S.*$`).test(line)) continue;
    const sample = new RegExp(`^(${name})(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\n"])*",?)*)\\})? (\\S+)$`).exec(line);
    if (!sample) throw new Error(`line ${i + 1} is not a sample: ${line}`);
    const family = sample[1]!.replace(/_(bucket|sum|count)$/, '');
    if (!types.has(sample[1]!) && types.get(family) !== 'histogram') throw new Error(`line ${i + 1}: ${sample[1]} has no TYPE before it`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (sample[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const value = sample[4] === '+Inf' ? Infinity : Number(sample[4]);
    if (Number.isNaN(value)) throw new Error(`line ${i + 1}: ${sample[4]} is not a number`);
    samples.push({ name: sample[1]!, labels, value });
  }
  return { types, samples };
}

describe('the agent\'s Prometheus metrics', () => {
  it('are in the text format 0.0.4, with cumulative histogram buckets that end in +Inf = count', () => {
    const { types, samples } = parseExposition(sampleText());
    expect(Object.fromEntries(types)).toEqual({
      lathe_agent_requests_total: 'counter',
      lathe_agent_request_errors_total: 'counter',
      lathe_agent_request_duration_seconds: 'histogram',
      lathe_agent_unrouted_requests_total: 'counter',
      lathe_agent_routed_requests_total: 'counter',
      lathe_agent_queue_depth: 'gauge',
      lathe_agent_in_flight: 'gauge',
      lathe_agent_models_loaded: 'gauge',
    });
    const value = (name: string, labels: Record<string, string>) => samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(value('lathe_agent_requests_total', { model: 'penguins', version: '3', protocol: 'v2' })).toBe(2);
    expect(value('lathe_agent_request_errors_total', { model: 'penguins', protocol: 'v1', status: '503' })).toBe(1);
    expect(value('lathe_agent_queue_depth', { model: 'penguins', version: '3' })).toBe(2);
    expect(value('lathe_agent_in_flight', { model: 'penguins', version: '3' })).toBe(1);
    expect(value('lathe_agent_models_loaded', {})).toBe(2);
    expect(value('lathe_agent_routed_requests_total', { model: 'penguins', version: '4', arm: 'candidate' })).toBe(2);
    expect(value('lathe_agent_routed_requests_total', { model: 'penguins', version: '4', arm: 'shadow' })).toBe(1);
    expect(value('lathe_agent_requests_total', { model: 'odd"na\\me' })).toBe(1);

    const buckets = samples.filter((s) => s.name === 'lathe_agent_request_duration_seconds_bucket' && s.labels.model === 'penguins');
    expect(buckets.map((b) => b.labels.le)).toEqual([...LATENCY_BUCKETS_SECONDS.map(String), '+Inf']);
    expect(buckets.map((b) => b.value)).toEqual([0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3]);
    expect(value('lathe_agent_request_duration_seconds_count', { model: 'penguins' })).toBe(3);
    expect(value('lathe_agent_request_duration_seconds_sum', { model: 'penguins' })).toBeCloseTo(12.204, 6);
  });

  it('refuses what the strict reader must refuse (so the test above can fail)', () => {
    expect(() => parseExposition('lathe_x 1\n')).toThrow('has no TYPE before it');
    expect(() => parseExposition('# TYPE lathe_x gauge\nlathe_x{a="b} 1\n')).toThrow('is not a sample');
    expect(() => parseExposition('# TYPE lathe_x gauge\nlathe_x 1')).toThrow('must end with a line break');
  });

  const promtool = spawnSync('promtool', ['--version']).status === 0;
  it.skipIf(!promtool)('pass Prometheus\'s own promtool check metrics', () => {
    const checked = spawnSync('promtool', ['check', 'metrics'], { input: sampleText(), encoding: 'utf8' });
    expect(`${checked.stdout}${checked.stderr}`.trim()).toBe('');
    expect(checked.status).toBe(0);
  });
});
