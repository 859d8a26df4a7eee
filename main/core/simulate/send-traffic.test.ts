import { describe, expect, it } from 'vitest';
import type { InjectedDrift } from '../../../shared/contract/simulate.ts';
import { LatheFailure } from '../errors.ts';
import type { JobContext } from '../jobs/job-registry.ts';
import { planDrifts } from './inject-drift.ts';
import { steppedClock } from './pace-clock.ts';
import { sendTraffic, type TrafficPlan } from './send-traffic.ts';
import type { ServedModelShape } from './served-model.ts';
import type { Outcome, TrafficHttp } from './traffic-http.ts';
import type { TrafficTable } from './traffic-table.ts';

/**
 * The simulation's loop on a stepped clock against a stand-in agent: requests evenly spaced at the
 * rate (open loop), labels sent their delay after the request, label noise at its share, failures
 * counted by status, and a deployment that never answers given up on.
 */
const model: ServedModelShape = { name: 'churn', versions: ['3'], inputs: [{ name: 'tenure', type: 'integer' }, { name: 'plan', type: 'string' }], target: 'churned', classes: ['no', 'yes'] };

function table(rows: number): TrafficTable {
  return {
    label: 'churn@2',
    rows,
    inputs: [
      { name: 'tenure', kind: 'number' },
      { name: 'plan', kind: 'text' },
    ],
    hasTarget: true,
    value: (column, row) => (column === 'tenure' ? (row % 7 === 0 ? null : row) : row % 2 === 0 ? 'basic' : 'pro'),
    truth: (row) => (row % 3 === 0 ? 'yes' : 'no'),
    categories: (column) => (column === 'plan' ? ['basic', 'pro'] : []),
  };
}

function plan(overrides: Partial<TrafficPlan> & { drifts?: InjectedDrift[] } = {}): TrafficPlan {
  const rows = table(100);
  return { deployment: 'edge-1/churn', model, table: rows, drift: planDrifts(overrides.drifts ?? [], rows, 'churn'), rate: 10, duration: 5, labelsAfter: 30, labelNoise: 0, seed: 1, tag: 'test', ...overrides };
}

interface Sent {
  at: number;
  path: 'infer' | 'feedback';
  body: { id: string; inputs?: { name: string; data: unknown[] }[]; label?: unknown };
}

function standIn(clock: { now(): number }, answer: (sent: Sent, index: number) => Outcome = (sent) => ({ status: '200', ok: true, requestId: sent.body.id })) {
  const sent: Sent[] = [];
  const http = {
    infer: async (_model: string, body: unknown) => {
      const one: Sent = { at: clock.now(), path: 'infer', body: body as Sent['body'] };
      sent.push(one);
      return answer(one, sent.filter((s) => s.path === 'infer').length - 1);
    },
    feedback: async (_model: string, body: unknown) => {
      sent.push({ at: clock.now(), path: 'feedback', body: body as Sent['body'] });
      return { status: '200', ok: true, requestId: null };
    },
    close: () => {},
  } as unknown as TrafficHttp;
  return { http, sent };
}

function job(): JobContext & { lines: string[] } {
  const lines: string[] = [];
  return { id: 'job-000000000000', signal: new AbortController().signal, progress: (progress) => lines.push(progress.message ?? ''), lines };
}

const deps = (http: TrafficHttp, clock: ReturnType<typeof steppedClock>, context = job()) => ({ http, clock, job: context, startedAt: '2026-11-30T12:00:00.000Z', wallNow: () => Date.parse('2026-11-30T12:01:00.000Z'), targetName: 'edge-1', targetUrl: 'http://10.0.0.5:8080' });

describe('sending simulated traffic', () => {
  it('spaces requests evenly at the rate, and sends each label its delay after the request', async () => {
    const clock = steppedClock(1000);
    const { http, sent } = standIn(clock);
    const result = await sendTraffic(plan(), deps(http, clock));
    const requests = sent.filter((s) => s.path === 'infer');
    const labels = sent.filter((s) => s.path === 'feedback');
    expect(requests.map((s) => s.at)).toEqual(Array.from({ length: 50 }, (_, i) => 1000 + i * 100));
    expect(labels).toHaveLength(50);
    for (const label of labels) {
      const request = requests.find((s) => s.body.id === label.body.id)!;
      expect(label.at - request.at).toBe(30_000);
    }
    expect(result).toMatchObject({ status: 'finished', planned: 50, sent: 50, ok: 50, labelsSent: 50, labelsAccepted: 50, labelColumn: 'churned', endedAt: '2026-11-30T12:01:00.000Z' });
    // The body is a v2 request of one row, the model's inputs, a missing value as null.
    expect(requests[0]!.body.inputs).toEqual([
      { name: 'tenure', shape: [1], datatype: 'FP64', data: [expect.anything()] },
      { name: 'plan', shape: [1], datatype: 'BYTES', data: [expect.stringMatching(/^(basic|pro)$/)] },
    ]);
    expect(requests.some((s) => s.body.inputs![0]!.data[0] === null)).toBe(true);
  });

  it('replaces the share of labels label-noise says with another class, the same for the same seed', async () => {
    const noisy = async (seed: number) => {
      const clock = steppedClock();
      const { http, sent } = standIn(clock);
      await sendTraffic(plan({ rate: 100, duration: 20, labelNoise: 0.25, labelsAfter: 0, seed }), deps(http, clock));
      return sent.filter((s) => s.path === 'feedback').map((s) => s.body.label);
    };
    const truth = async (seed: number) => {
      const clock = steppedClock();
      const { http, sent } = standIn(clock);
      await sendTraffic(plan({ rate: 100, duration: 20, labelNoise: 0, labelsAfter: 0, seed }), deps(http, clock));
      return new Map(sent.filter((s) => s.path === 'feedback').map((s) => [s.body.id, s.body.label]));
    };
    const [labels, again, clean] = await Promise.all([noisy(4), noisy(4), truth(4)]);
    expect(labels).toEqual(again);
    expect(labels).toHaveLength(2000);
    expect(clean.size).toBe(2000);
    const changed = [...clean.values()].filter((label, i) => label !== labels[i]).length;
    expect(changed / 2000).toBeGreaterThan(0.21);
    expect(changed / 2000).toBeLessThan(0.29);
  });

  it('counts failures by status, sends no label for them, and applies the drift to what it sends', async () => {
    const clock = steppedClock();
    const { http, sent } = standIn(clock, (one, i) => (i % 5 === 4 ? { status: '503', ok: false, requestId: null } : i === 7 ? { status: 'timeout', ok: false, requestId: null } : { status: '200', ok: true, requestId: one.body.id }));
    const result = await sendTraffic(plan({ rate: 10, duration: 2, drifts: [{ column: 'tenure', kind: 'scale', by: 10 }, { column: 'plan', kind: 'categories', from: 'basic', to: 'gold' }] }), deps(http, clock));
    expect(result).toMatchObject({ sent: 20, ok: 15, failed: { '503': 4, timeout: 1 }, labelsSent: 15 });
    const requests = sent.filter((s) => s.path === 'infer');
    expect(requests.every((s) => s.body.inputs![1]!.data[0] === 'pro' || s.body.inputs![1]!.data[0] === 'gold')).toBe(true);
    expect(requests.every((s) => s.body.inputs![0]!.data[0] === null || (s.body.inputs![0]!.data[0] as number) % 10 === 0)).toBe(true);
    expect(result.drift.map((entry) => entry.description)).toEqual(['tenure ×10', 'plan: basic → gold']);
    expect(result.drift[1]!.changed).toBe(requests.filter((s) => s.body.inputs![1]!.data[0] === 'gold').length);
  });

  it('gives up, saying so, when the deployment answers nothing at all', async () => {
    const clock = steppedClock();
    const { http } = standIn(clock, () => ({ status: 'unreachable', ok: false, requestId: null }));
    const failure = await sendTraffic(plan({ rate: 100, duration: 60 }), deps(http, clock)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LatheFailure);
    expect((failure as LatheFailure).error).toMatchObject({ code: 'UNAVAILABLE', message: 'Target edge-1 (http://10.0.0.5:8080) did not answer 50 requests in a row; the simulation stopped.' });
  });

  it('stops when its job is cancelled', async () => {
    const clock = steppedClock();
    const { http, sent } = standIn(clock);
    const controller = new AbortController();
    const context = { ...job(), signal: controller.signal };
    let n = 0;
    const stopping = { ...http, infer: async (model: string, body: unknown) => (++n === 10 && controller.abort(new Error('cancelled')), http.infer(model, body)) } as unknown as TrafficHttp;
    await expect(sendTraffic(plan({ rate: 10, duration: 3600 }), deps(stopping, clock, context))).rejects.toThrow('cancelled');
    expect(sent.filter((s) => s.path === 'infer').length).toBe(10);
  });
});
