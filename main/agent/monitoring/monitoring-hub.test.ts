import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MonitoringState } from '../../../shared/contract/monitoring.ts';
import { LatheFailure } from '../../core/errors.ts';
import { startScript } from '../../core/testing/child-process.ts';
import { failNthWrite } from '../../core/testing/fs-faults.ts';
import { useTempDirs } from '../../core/testing/temp-dir.ts';
import { churnReference, churnRows, requestsOf } from './monitoring-fixtures.ts';
import { MonitoringHub } from './monitoring-hub.ts';
import { TIME_WINDOW_SAMPLE } from './open-window.ts';
import { PredictionStore } from './prediction-store.ts';

const tempDir = useTempDirs();
const START = Date.parse('2026-11-30T12:00:00.000Z');

async function openHub(dataDir?: string, random?: () => number) {
  const dir = dataDir ?? (await tempDir());
  const clock = { now: START };
  const warnings: string[] = [];
  const hub = await MonitoringHub.open({ dataDir: dir, now: () => clock.now, warn: (text) => warnings.push(text), ...(random ? { random } : {}) });
  return { hub, dir, clock, warnings };
}

function observeAll(hub: MonitoringHub, rows: readonly Record<string, unknown>[], options: Parameters<typeof requestsOf>[1] = {}): void {
  for (const request of requestsOf(rows, options)) hub.observed(request);
}

function failureOf(act: () => unknown): LatheFailure['error'] {
  try {
    act();
  } catch (error) {
    if (error instanceof LatheFailure) return error.error;
    throw error;
  }
  throw new Error('expected a LatheFailure');
}

describe('monitoring hub: drift per window', () => {
  it('flags the one shifted column and not the others, and judges the dataset by the share of drifted columns', async () => {
    const { hub } = await openHub();
    await hub.setReference('churn', churnReference());
    await hub.configure('churn', { window: { kind: 'count', rows: 200 } });
    observeAll(hub, churnRows(200, 10, { tenure: 12 }));
    observeAll(hub, churnRows(200, 11, { tenure: 12, charges: 40 }), { first: 200 });
    const state = MonitoringState.parse(hub.state('churn'));
    expect(state.windows.map((w) => [w.index, w.rows, w.endedAt !== null])).toEqual([[0, 200, true], [1, 200, true]]);
    const [one, two] = state.windows;
    const verdicts = (window: typeof one) => Object.fromEntries(window!.features.map((f) => [f.name, `${f.drift.method}:${f.drift.verdict}`]));
    // 500 reference rows: KS for numbers, chi-square for the plan (Evidently's small-sample choice).
    expect(verdicts(one)).toEqual({ tenure: 'ks:drift', charges: 'ks:no-drift', plan: 'chisquare:no-drift' });
    expect(one!.dataset).toEqual({ drifted: 1, judged: 3, share: 1 / 3, verdict: 'no-drift' });
    expect(verdicts(two)).toEqual({ tenure: 'ks:drift', charges: 'ks:drift', plan: 'chisquare:no-drift' });
    expect(two!.dataset).toMatchObject({ drifted: 2, judged: 3, verdict: 'drift' });
    expect(one!.reference).toMatchObject({ model: 'churn', version: 3, dataset: 'customers@3' });
    expect(one!.prediction).toMatchObject({ name: 'prediction', kind: 'categorical', rows: 200, drift: { verdict: 'no-drift' } });
    const tenure = one!.features.find((f) => f.name === 'tenure')!;
    expect(tenure.distribution.bins).toHaveLength(11);
    expect(tenure.distribution.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(tenure.mean).toBeGreaterThan(30);
    await hub.close();
  });

  it('judges a large reference sent as quantile points with distances (Wasserstein, Jensen–Shannon)', async () => {
    const { hub } = await openHub();
    await hub.setReference('churn', churnReference({ rows: 5000 }));
    await hub.configure('churn', { window: { kind: 'count', rows: 300 } });
    observeAll(hub, churnRows(300, 12, { charges: 30 }));
    const [window] = hub.state('churn').windows;
    expect(Object.fromEntries(window!.features.map((f) => [f.name, `${f.drift.method}:${f.drift.verdict}`]))).toEqual({
      tenure: 'wasserstein:no-drift',
      charges: 'wasserstein:drift',
      plan: 'jensenshannon:no-drift',
    });
    await hub.close();
  });

  it('says "not enough data" for a window under minRows, never "no drift"', async () => {
    const { hub } = await openHub();
    await hub.setReference('churn', churnReference());
    await hub.configure('churn', { window: { kind: 'count', rows: 10 }, minRows: 30 });
    observeAll(hub, churnRows(10, 13));
    const [window] = hub.state('churn').windows;
    expect(window!.endedAt).not.toBeNull();
    for (const feature of window!.features) {
      expect(feature.drift.verdict).toBe('not-enough-data');
      expect(feature.drift.reason).toMatch(/\d+/);
    }
    expect(window!.dataset.verdict).toBe('not-enough-data');
    await hub.close();
  });

  it('judges nothing without a reference for the version, and says how to send one', async () => {
    const { hub } = await openHub();
    await hub.setReference('churn', churnReference({ version: 2 }));
    await hub.configure('churn', { window: { kind: 'count', rows: 50 } });
    observeAll(hub, churnRows(50, 14), { version: '3' });
    const state = hub.state('churn');
    expect(state.reference).toBeNull();
    expect(state.referenceProblem).toBe('No training reference was sent for churn version 3; redeploy it with this Lathe to judge drift.');
    const [window] = state.windows;
    expect(window!.reference).toBeNull();
    expect(window!.features.map((f) => f.name)).toEqual(['tenure', 'charges', 'plan']);
    expect(window!.features.every((f) => f.drift.verdict === 'not-enough-data' && f.drift.reason === state.referenceProblem)).toBe(true);
    expect(window!.dataset.verdict).toBe('not-enough-data');
    await hub.close();
  });

  it('judges a window against the reference of the version that answered most of its rows', async () => {
    const { hub } = await openHub();
    await hub.setReference('churn', churnReference({ version: 3 }));
    await hub.setReference('churn', churnReference({ version: 4 }));
    await hub.configure('churn', { window: { kind: 'count', rows: 100 } });
    observeAll(hub, churnRows(30, 15), { version: '3' });
    observeAll(hub, churnRows(70, 16), { version: '4', first: 30 });
    const [window] = hub.state('churn').windows;
    expect(window!.versions).toEqual({ '3': 30, '4': 70 });
    expect(window!.reference?.version).toBe(4);
    await hub.close();
  });

  it('closes a time window when its clock period ends, also when no request comes to close it', async () => {
    const { hub, clock } = await openHub();
    await hub.configure('churn', { window: { kind: 'time', seconds: 60 } });
    clock.now = START + 10_000;
    observeAll(hub, churnRows(5, 17));
    clock.now = START + 70_000;
    observeAll(hub, churnRows(3, 18), { first: 5 });
    clock.now = START + 200_000;
    const state = hub.state('churn');
    expect(state.windows.map((w) => [w.index, w.rows, w.startedAt, w.endedAt])).toEqual([
      [0, 5, '2026-11-30T12:00:00.000Z', '2026-11-30T12:01:00.000Z'],
      [1, 3, '2026-11-30T12:01:00.000Z', '2026-11-30T12:02:00.000Z'],
    ]);
    await hub.close();
  });

  it('judges a busy time window on a uniform reservoir of its rows, and says so', async () => {
    const { hub, clock } = await openHub();
    await hub.setReference('churn', churnReference());
    await hub.configure('churn', { window: { kind: 'time', seconds: 60 } });
    observeAll(hub, churnRows(TIME_WINDOW_SAMPLE + 500, 28));
    clock.now = START + 60_000;
    const [window] = hub.state('churn').windows;
    expect(window!.rows).toBe(TIME_WINDOW_SAMPLE + 500);
    expect(window!.features[0]!.rows).toBe(TIME_WINDOW_SAMPLE);
    expect(window!.features[0]!.drift.reason).toContain(`judged on a uniform sample of ${TIME_WINDOW_SAMPLE} of the window's ${TIME_WINDOW_SAMPLE + 500} rows`);
    await hub.close();
  });

  it('counts the requests the sample rate leaves out, and records the rest', async () => {
    const draws = [0.1, 0.9, 0.2, 0.8];
    let i = 0;
    const { hub } = await openHub(undefined, () => draws[i++ % draws.length]!);
    await hub.configure('churn', { sampleRate: 0.5 });
    observeAll(hub, churnRows(8, 19));
    const { recorder, windows } = hub.state('churn');
    expect(recorder).toMatchObject({ recorded: 4, sampledOut: 4 });
    expect(windows.at(-1)!.rows).toBe(4);
    await hub.close();
  });
});

describe('monitoring hub: labels, however late', () => {
  it('raises a closed window\'s labelled count and changes its accuracy when labels arrive after it closed', async () => {
    const { hub } = await openHub();
    await hub.setReference('churn', churnReference());
    await hub.configure('churn', { window: { kind: 'count', rows: 20 } });
    const requests = requestsOf(churnRows(25, 20));
    for (const request of requests) hub.observed(request);
    expect(hub.state('churn').windows[0]!.performance).toMatchObject({ labelled: 0, accuracy: null });
    const predicted = (i: number) => (requests[i]!.predictions![0] as { predicted: string }).predicted;
    for (let i = 0; i < 4; i++) expect(hub.labelled('churn', `r${i}`, predicted(i))).toMatchObject({ version: '3', correct: true, late: true });
    expect(hub.state('churn').windows[0]!.performance).toMatchObject({ labelled: 4, accuracy: { value: 1 } });
    const wrong = predicted(4) === 'yes' ? 'no' : 'yes';
    expect(hub.labelled('churn', 'r4', wrong)).toMatchObject({ correct: false, late: true });
    const performance = hub.state('churn').windows[0]!.performance;
    expect(performance.labelled).toBe(5);
    expect(performance.accuracy!.value).toBeCloseTo(0.8, 12);
    expect(performance.accuracy!.low).toBeLessThan(0.8);
    expect(performance.slices.map((s) => s.slice)).toEqual(expect.arrayContaining([expect.stringMatching(/^plan=/)]));
    // A label for the open window is not late.
    expect(hub.labelled('churn', 'r22', predicted(22))).toMatchObject({ late: false });
    await hub.close();
  });

  it('refuses a label of the wrong type naming the classes, an unknown id, and a second label', async () => {
    const { hub } = await openHub();
    await hub.setReference('churn', churnReference());
    observeAll(hub, churnRows(2, 21));
    expect(failureOf(() => hub.labelled('churn', 'r0', 3.5))).toMatchObject({ code: 'INVALID_INPUT', message: 'Model churn is a classifier with classes yes, no; label 3.5 is not one of them.' });
    expect(failureOf(() => hub.labelled('churn', 'nope', 'yes'))).toMatchObject({ code: 'NOT_FOUND' });
    hub.labelled('churn', 'r0', 'yes');
    expect(failureOf(() => hub.labelled('churn', 'r0', 'no'))).toMatchObject({ code: 'CONFLICT' });
    expect(failureOf(() => hub.labelled('made-up', 'r1', 'yes'))).toMatchObject({ code: 'NOT_FOUND', message: 'No prediction of a model named "made-up" was recorded on this agent.' });
    expect(failureOf(() => hub.labelled('../../etc', 'r1', 'yes'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(hub.metricsText()).not.toContain('made-up');
    await hub.close();
  });
});

describe('monitoring hub: performance', () => {
  it('estimates a classifier\'s accuracy from its probabilities (CBPE) before any label arrives, with its band', async () => {
    const { hub } = await openHub();
    await hub.setReference('churn', churnReference({ cbpe: true }));
    await hub.configure('churn', { window: { kind: 'count', rows: 200 } });
    observeAll(hub, churnRows(200, 32));
    const { performance } = hub.state('churn').windows[0]!;
    expect(performance.labelled).toBe(0);
    expect(performance.accuracy).toBeNull();
    // The fixture's confidence is uniform on 0.5 … 0.8 for the class it predicts: about 0.65 right.
    expect(performance.estimate!.value).toBeGreaterThan(0.55);
    expect(performance.estimate!.value).toBeLessThan(0.75);
    expect(performance.estimate!.low).toBeLessThan(performance.estimate!.value);
    expect(performance.estimate!.high).toBeGreaterThan(performance.estimate!.value);
    await hub.close();
  });

  it('measures a regressor by RMSE and MAE with their intervals, and takes only numbers as its labels', async () => {
    const { hub } = await openHub();
    const reference = { ...churnReference(), task: { kind: 'regression' as const }, prediction: null, cbpe: null, testMetric: { name: 'rmse' as const, value: 1 } };
    await hub.setReference('churn', reference);
    await hub.configure('churn', { window: { kind: 'count', rows: 10 } });
    const rows = churnRows(10, 33);
    rows.forEach((row, i) => hub.observed({ model: 'churn', version: '3', requestId: `q${i}`, rows: [row], predictions: [{ predicted: 10 + i }], latencyMs: 2, failed: false }));
    rows.forEach((_, i) => hub.labelled('churn', `q${i}`, 10 + i + (i % 2 === 0 ? 2 : -2)));
    const { performance, prediction } = hub.state('churn').windows[0]!;
    expect(prediction!.drift.reason).toBe('the training run of churn version 3 kept no test predictions to compare with');
    expect(performance).toMatchObject({ labelled: 10, accuracy: null, rmse: { value: 2 }, mae: { value: 2 } });
    expect(performance.rmse!.low).toBeLessThanOrEqual(2);
    expect(failureOf(() => hub.labelled('churn', 'q0', 'high'))).toMatchObject({ code: 'INVALID_INPUT', message: 'Model churn is a regressor: its label is a number; "high" is not one.' });
    await hub.close();
  });

  it('counts failed requests as the window\'s errors and times the answered ones', async () => {
    const { hub } = await openHub();
    observeAll(hub, churnRows(4, 34));
    hub.observed({ model: 'churn', version: '3', requestId: 'broken', rows: [{}], predictions: null, latencyMs: 30_000, failed: true });
    const [window] = hub.state('churn').windows;
    expect(window).toMatchObject({ rows: 4, errors: 1, latency: { p50Ms: 2, p99Ms: 4 } });
    await hub.close();
  });
});

describe('monitoring hub: a restart', () => {
  it('keeps the rows of the window it was counting and continues its index', async () => {
    const first = await openHub();
    await first.hub.setReference('churn', churnReference());
    await first.hub.configure('churn', { window: { kind: 'count', rows: 10 } });
    observeAll(first.hub, churnRows(17, 22));
    await first.hub.close();

    const second = await openHub(first.dir);
    const before = second.hub.state('churn');
    expect(before.windows.map((w) => [w.index, w.rows, w.endedAt === null])).toEqual([[0, 10, false], [1, 7, true]]);
    expect(before.settings.window).toEqual({ kind: 'count', rows: 10 });
    expect(before.reference?.version).toBe(3);
    observeAll(second.hub, churnRows(4, 23), { first: 17 });
    const after = second.hub.state('churn');
    expect(after.windows.map((w) => [w.index, w.rows, w.endedAt === null])).toEqual([[0, 10, false], [1, 10, false], [2, 1, true]]);
    await second.hub.close();
  });

  it('summarises a window that closed but whose summary a kill kept from being written', async () => {
    const first = await openHub();
    await first.hub.configure('churn', { window: { kind: 'count', rows: 10 } });
    observeAll(first.hub, churnRows(13, 24));
    await first.hub.close();
    await rm(`${first.dir}/monitoring/models/churn/windows`, { recursive: true });

    const second = await openHub(first.dir);
    expect(second.hub.state('churn').windows.map((w) => [w.index, w.rows, w.endedAt === null])).toEqual([[0, 10, false], [1, 3, true]]);
    await second.hub.close();
  });

  it('keeps every acknowledged prediction and every window when its process is killed mid-stream', { timeout: 60_000 }, async () => {
    for (const killAfter of [37, 123]) {
      const dir = await tempDir();
      const child = startScript(new URL('./monitoring-hub-kill-child.ts', import.meta.url), [dir]);
      let acked = 0;
      await child.line((line) => {
        acked = Number(/^acked (\d+)$/.exec(line)?.[1] ?? acked);
        return acked >= killAfter;
      });
      child.child.kill('SIGKILL');
      expect(await child.exited).toBe(null);

      const { hub, warnings } = await openHub(dir);
      const { windows, recorder } = hub.state('churn');
      expect(warnings).toEqual([]);
      expect(recorder.recorded).toBeGreaterThanOrEqual(acked);
      // Windows 0, 1, 2 … with none missing, each closed one full, the last one open.
      expect(windows.map((w) => w.index)).toEqual(windows.map((_, i) => i));
      expect(windows.slice(0, -1).every((w) => w.rows === 10 && w.endedAt !== null && w.features.length === 3)).toBe(true);
      expect(windows.reduce((sum, w) => sum + w.rows, 0)).toBe(recorder.recorded);
      expect(windows.at(-1)!.endedAt === null || windows.at(-1)!.rows === 10).toBe(true);
      expect((await readdir(join(dir, 'monitoring', 'models', 'churn', 'windows'))).filter((name) => !name.endsWith('.json'))).toEqual([]);
      await hub.close();
    }
  });

  it('keeps DDM and ADWIN where they were', async () => {
    const first = await openHub();
    await first.hub.setReference('churn', churnReference());
    const requests = requestsOf(churnRows(120, 25));
    for (const request of requests) first.hub.observed(request);
    requests.forEach((request, i) => {
      const predicted = (request.predictions![0] as { predicted: string }).predicted;
      // Right for the first 60, then wrong: the error rate jumps.
      first.hub.labelled('churn', request.requestId, i < 60 ? predicted : predicted === 'yes' ? 'no' : 'yes');
    });
    const concept = first.hub.state('churn').concept;
    expect(concept.ddm.seen).toBeGreaterThan(0);
    expect(concept.ddm.lastDriftAt ?? concept.adwin.lastDriftAt).not.toBeNull();
    await first.hub.close();

    const second = await openHub(first.dir);
    expect(second.hub.state('churn').concept).toEqual(concept);
    await second.hub.close();
  });
});

describe('monitoring hub: a full store', () => {
  it('drops and counts what does not fit, and never throws into serving', async () => {
    const dir = await tempDir();
    const store = PredictionStore.open(join(dir, 'tiny.db'), { maxBytes: 1, retentionMs: 86_400_000 });
    const warnings: string[] = [];
    const hub = await MonitoringHub.open({ dataDir: dir, now: () => START, warn: (text) => warnings.push(text), store });
    const requests = requestsOf(churnRows(20, 26));
    for (const request of requests) expect(() => hub.observed(request)).not.toThrow();
    const { recorder, windows } = hub.state('churn');
    expect(recorder.dropped).toBeGreaterThan(0);
    expect(recorder.droppedBy['store-full']).toBe(recorder.dropped);
    expect(recorder.recorded + recorder.dropped).toBe(20);
    expect(recorder.problem).toMatch(/cap/);
    // The window still counts what was answered; its drift is judged on the rows it holds in memory.
    expect(windows.at(-1)!.rows).toBe(20);
    expect(hub.metricsText()).toContain(`lathe_predictions_dropped_total{model="churn",reason="store-full"} ${recorder.dropped}`);
    await hub.close();
  });
});

describe('monitoring hub: a store that cannot be opened', () => {
  it('serves on, counts every prediction as dropped, refuses labels as unavailable, and opens the store once it can', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'monitoring', 'predictions.db'), { recursive: true });
    const { hub, clock, warnings } = await openHub(dir);
    expect(warnings.join('\n')).toContain('predictions.db cannot be opened');
    observeAll(hub, churnRows(5, 29));
    const broken = hub.state('churn').recorder;
    expect(broken).toMatchObject({ recorded: 0, dropped: 5, droppedBy: { 'disk-error': 5 } });
    expect(broken.problem).toMatch(/cannot be opened.*serving goes on/);
    expect(failureOf(() => hub.labelled('churn', 'r0', 'yes'))).toMatchObject({ code: 'UNAVAILABLE' });

    await rm(join(dir, 'monitoring', 'predictions.db'), { recursive: true });
    clock.now += 60_000;
    observeAll(hub, churnRows(3, 30), { first: 5 });
    expect(hub.state('churn').recorder).toMatchObject({ recorded: 3, dropped: 5, problem: null });
    await hub.close();
  });
});

describe('monitoring hub: a disk that refuses a write', () => {
  it('refuses a reference or settings it could not keep with DISK_ERROR, keeps nothing half-written, and takes them once the disk has room', async () => {
    for (const step of [1, 2, 3, 4, 5]) {
      const { hub, dir } = await openHub();
      const faults = await failNthWrite(join(dir, 'monitoring'), step, 'ENOSPC');
      try {
        await expect(hub.setReference('churn', churnReference())).rejects.toMatchObject({ error: { code: 'DISK_ERROR', message: expect.stringContaining('the disk is full') } });
      } finally {
        faults.restore();
      }
      expect(hub.state('churn').reference).toBeNull();
      const references = join(dir, 'monitoring', 'models', 'churn', 'references');
      expect((await readdir(references).catch(() => [])).filter((name) => !name.endsWith('.json'))).toEqual([]);
      expect((await hub.setReference('churn', churnReference())).version).toBe(3);
      expect(hub.state('churn').reference?.version).toBe(3);
      await hub.close();
    }
    const { hub, dir } = await openHub();
    const faults = await failNthWrite(join(dir, 'monitoring'), 1, 'ENOSPC');
    try {
      await expect(hub.configure('churn', { sampleRate: 0.5 })).rejects.toMatchObject({ error: { code: 'DISK_ERROR' } });
    } finally {
      faults.restore();
    }
    expect(hub.state('churn').settings.sampleRate).toBe(1);
    await hub.close();
  });
});

describe('monitoring hub: /metrics', () => {
  it('escapes label values so that the text stays valid Prometheus exposition', async () => {
    const { hub } = await openHub();
    const reference = churnReference();
    reference.features[0] = { ...reference.features[0]!, name: 'ten"ure\\\nnew' };
    await hub.setReference('churn', reference);
    await hub.configure('churn', { window: { kind: 'count', rows: 50 } });
    observeAll(hub, churnRows(50, 27).map(({ tenure, ...rest }) => ({ ...rest, 'ten"ure\\\nnew': tenure })));
    const text = hub.metricsText();
    expect(text).toContain('lathe_drift_detected{model="churn",feature="ten\\"ure\\\\\\nnew"} 0');
    expect(text.split('\n').filter((line) => line.startsWith('lathe_drift_score{')).length).toBe(3);
    expect(text).toMatch(/^lathe_concept_drift\{model="churn",detector="adwin"\} 0$/m);
    await hub.close();
  });
});
