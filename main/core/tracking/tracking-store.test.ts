import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { LatheFailure } from '../errors.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { BLOCK_POINTS } from './metric-log.ts';
import { fakeClock, storeOnNewWorkspace } from './testing-store.ts';
import type { TrackingStore } from './tracking-store.ts';

const tempDir = useTempDirs();
const COMMIT = 'a'.repeat(40);
const HASH = `sha256:${'b'.repeat(64)}`;

function failureOf(work: () => unknown) {
  try {
    work();
  } catch (error) {
    if (error instanceof LatheFailure) return error.error;
    throw error;
  }
  throw new Error('expected a failure');
}

async function setup(options: Parameters<typeof storeOnNewWorkspace>[1] = {}) {
  const made = await storeOnNewWorkspace(await tempDir(), options);
  return made;
}

describe('a run as training records it', () => {
  it('keeps its experiment, name, params, tags, datasets, git commit and environment', async () => {
    const { store, events } = await setup();
    const run = store.createRun({
      experiment: 'penguins',
      name: 'mlp-3',
      params: { lr: 0.01, layers: 3, early_stop: true, optimizer: 'adam' },
      tags: { note: 'wider', 'lathe.source': 'training' },
      datasets: [{ name: 'penguins', version: 3, contentHash: HASH }],
      gitCommit: COMMIT,
      environment: { backend: 'cpu', node: process.version, libraries: { onnx: '1.2' } },
    });
    expect(run.id).toMatch(/^[0-9a-f]{32}$/);
    expect(run).toMatchObject({ name: 'mlp-3', experimentName: 'penguins', status: 'RUNNING', endTime: null, lifecycle: 'active' });
    const detail = store.getRun(run.id);
    expect(detail).toMatchObject({
      params: { lr: '0.01', layers: '3', early_stop: 'true', optimizer: 'adam' },
      tags: { note: 'wider' },
      systemTags: { 'lathe.source': 'training' },
      datasets: [{ name: 'penguins', version: 3, contentHash: HASH }],
      gitCommit: COMMIT,
      environment: { backend: 'cpu', node: process.version, libraries: { onnx: '1.2' } },
      artifacts: [],
    });
    expect(store.listExperiments().map((experiment) => [experiment.name, experiment.activeRuns])).toEqual([
      ['Default', 0],
      ['penguins', 1],
    ]);
    expect(events).toEqual([{ name: 'runs:changed', payload: expect.objectContaining({ runId: run.id, status: 'RUNNING', lifecycle: 'active' }) }]);
  });

  it('takes params once: the same value again is fine, another is refused naming the key, both values and the run, and nothing of that call is kept', async () => {
    const { store } = await setup();
    const run = store.createRun({ params: { lr: 0.1 } });
    store.logParams(run.id, { lr: '0.1' });
    const error = failureOf(() => store.logParams(run.id, { epochs: 5, lr: 0.2 }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'params.lr' } });
    expect(error.message).toContain('"lr"');
    expect(error.message).toContain('"0.1"');
    expect(error.message).toContain('"0.2"');
    expect(error.message).toContain(run.id);
    expect(store.getRun(run.id).params).toEqual({ lr: '0.1' });
  });

  it('lets the last tag write win', async () => {
    const { store } = await setup();
    const run = store.createRun({ tags: { stage: 'a' } });
    store.setTags(run.id, { stage: 'b', other: 'x' });
    store.setTags(run.id, { stage: 'c' });
    expect(store.getRun(run.id).tags).toEqual({ stage: 'c', other: 'x' });
  });

  it('keeps metric points as logged, NaN and ±Infinity included, with step 0 and the time of logging by default', async () => {
    const { clock } = fakeClock(1_700_000_000_000);
    const { store } = await setup({ clock });
    const run = store.createRun();
    store.logMetrics(run.id, [{ key: 'loss', value: NaN }, { key: 'loss', value: Infinity, step: 1, timestamp: 5 }, { key: 'loss', value: -Infinity, step: 2, timestamp: 6 }, { key: 'acc', value: -0 }]);
    const loss = store.metricSeries(run.id, 'loss');
    expect(Array.from(loss.values)).toEqual([NaN, Infinity, -Infinity]);
    expect(Array.from(loss.steps)).toEqual([0, 1, 2]);
    expect(Array.from(loss.timestamps)).toEqual([1_700_000_000_000, 5, 6]);
    expect(Object.is(store.metricSeries(run.id, 'acc').values[0], -0)).toBe(true);
    expect(store.getRun(run.id).metrics).toEqual({
      loss: { value: '-Infinity', step: 2, timestamp: 6 },
      acc: { value: 0, step: 0, timestamp: 1_700_000_000_000 },
    });
    expect(store.metricSeries(run.id, 'never-logged').values.length).toBe(0);
  });

  it("takes as latest the last point by step, then timestamp, whatever order they came in (MLflow's latest_metrics)", async () => {
    const { store } = await setup();
    const run = store.createRun();
    store.logMetrics(run.id, [{ key: 'm', value: 1, step: 5, timestamp: 100 }]);
    store.logMetrics(run.id, [{ key: 'm', value: 2, step: 3, timestamp: 900 }]); // an earlier step, logged later
    expect(store.getRun(run.id).metrics.m).toEqual({ value: 1, step: 5, timestamp: 100 });
    store.logMetrics(run.id, [{ key: 'm', value: 3, step: 5, timestamp: 101 }, { key: 'm', value: 4, step: 5, timestamp: 101 }]);
    expect(store.getRun(run.id).metrics.m).toEqual({ value: 4, step: 5, timestamp: 101 });
    const series = store.metricSeries(run.id, 'm');
    expect(Array.from(series.steps)).toEqual([3, 5, 5, 5]);
    expect(Array.from(series.values)).toEqual([2, 1, 3, 4]);
  });

  it('reads back every point of long series logged in batches of any size, in step order', async () => {
    const { store } = await setup();
    const run = store.createRun();
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: BLOCK_POINTS - 50, max: BLOCK_POINTS * 2 + 7 })), { minLength: 1, maxLength: 90 }), fc.boolean(), (sizes, shuffled) => {
        const key = `m${Math.random().toString(36).slice(2)}`;
        const expected: { step: number; value: number; timestamp: number }[] = [];
        let step = 0;
        for (const size of sizes) {
          const batch = Array.from({ length: size }, (_, i) => ({ key, value: Math.sin(step + i) * 1e6, step: shuffled ? (step + i) % 97 : step + i, timestamp: 1e12 + ((step + i) * 7919) % 1000 }));
          step += size;
          store.logMetrics(run.id, batch);
          expected.push(...batch);
        }
        expected.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
        const series = store.metricSeries(run.id, key);
        expect(series.values.length).toBe(expected.length);
        for (let i = 0; i < expected.length; i += 1) {
          if (series.steps[i] !== expected[i]!.step || series.timestamps[i] !== expected[i]!.timestamp) throw new Error(`point ${i} is out of place`);
        }
        if (!shuffled) expect(Array.from(series.values)).toEqual(expected.map((point) => point.value));
      }),
      { numRuns: 25 },
    );
  });

  it('downsamples a history to maxPoints, keeping the first and last point', async () => {
    const { store } = await setup();
    const run = store.createRun();
    store.logMetrics(run.id, Array.from({ length: 5000 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), step })));
    const history = store.metricHistory(run.id, 'loss', { maxPoints: 100 });
    expect(history).toMatchObject({ stored: 5000, downsampled: true });
    expect(history.values.length).toBe(100);
    expect([history.steps[0], history.steps[99]]).toEqual([0, 4999]);
    const whole = store.metricHistory(run.id, 'loss', { maxPoints: 6000 });
    expect(whole).toMatchObject({ stored: 5000, downsampled: false });
    // What it gives back is the caller's: reading another metric (into the store's reused arrays) changes nothing in it.
    store.logMetrics(run.id, Array.from({ length: 5000 }, (_, step) => ({ key: 'acc', value: -step, step: step + 7 })));
    store.metricHistory(run.id, 'acc', { maxPoints: 6000 });
    store.metricHistory(run.id, 'acc', { maxPoints: 10 });
    expect([whole.values[0], whole.steps[4999], history.values[0], history.steps[99]]).toEqual([1, 4999, 1, 4999]);
  });

  it('ends a run with a status and an end time, and says so', async () => {
    const { clock } = fakeClock(2_000);
    const { store, events } = await setup({ clock });
    const run = store.createRun({ startTime: 1_000 });
    store.setStatus(run.id, 'FINISHED');
    expect(store.getRun(run.id)).toMatchObject({ status: 'FINISHED', startTime: 1_000, endTime: 2_000 });
    store.setStatus(run.id, 'KILLED', 1_500);
    expect(store.getRun(run.id)).toMatchObject({ status: 'KILLED', endTime: 1_500 });
    expect(events.filter((event) => event.name === 'runs:changed').map((event) => event.payload.status)).toEqual(['RUNNING', 'FINISHED', 'KILLED']);
  });

  it('deletes softly: a deleted run keeps its data, takes no more writes, and comes back whole', async () => {
    const { store } = await setup();
    const run = store.createRun({ params: { a: 1 } });
    store.logMetrics(run.id, [{ key: 'm', value: 1 }]);
    expect(store.deleteRun(run.id).lifecycle).toBe('deleted');
    expect(failureOf(() => store.logMetrics(run.id, [{ key: 'm', value: 2 }]))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('is deleted') });
    expect(store.restoreRun(run.id)).toMatchObject({ lifecycle: 'active', params: { a: '1' }, metrics: { m: { value: 1 } } });
    store.logMetrics(run.id, [{ key: 'm', value: 2, step: 1 }]);
  });
});

describe('bad input is refused whole, saying what and where', () => {
  async function withRun(): Promise<{ store: TrackingStore; runId: string }> {
    const { store } = await setup();
    return { store, runId: store.createRun().id };
  }

  it.each([
    ['a key over 250 characters', (s: TrackingStore, id: string) => s.logMetrics(id, [{ key: 'k'.repeat(251), value: 1 }]), 'metrics[0].key', 'at most 250 characters'],
    ['a key with other characters', (s: TrackingStore, id: string) => s.setTags(id, { 'a:b': 'x' }), 'tags.a:b', 'letters, digits'],
    ['a key that is not a plain path', (s: TrackingStore, id: string) => s.logParams(id, { 'a/../b': 1 }), 'params.a/../b', '".."'],
    ['an empty key', (s: TrackingStore, id: string) => s.logMetrics(id, [{ key: '', value: 1 }]), 'metrics[0].key', 'cannot be empty'],
    ['a param value over 6000 characters', (s: TrackingStore, id: string) => s.logParams(id, { p: 'x'.repeat(6001) }), 'params.p', 'at most 6000 characters'],
    ['a tag value over 5000 characters', (s: TrackingStore, id: string) => s.setTags(id, { t: 'x'.repeat(5001) }), 'tags.t', 'at most 5000 characters'],
    ['a step that is not whole', (s: TrackingStore, id: string) => s.logMetrics(id, [{ key: 'm', value: 1 }, { key: 'm', value: 1, step: 1.5 }]), 'metrics[1].step', 'whole number'],
    ['a point that is not an object', (s: TrackingStore, id: string) => s.logMetrics(id, [{ key: 'm', value: 1 }, null as never]), 'metrics[1]', 'expected a point'],
    ['a value that is not a number', (s: TrackingStore, id: string) => s.logMetrics(id, [{ key: 'm', value: '1' as unknown as number }]), 'metrics[0].value', 'is a number'],
    ['a timestamp past the safe integers', (s: TrackingStore, id: string) => s.logMetrics(id, [{ key: 'm', value: 1, timestamp: 2 ** 60 }]), 'metrics[0].timestamp', 'whole milliseconds'],
    ['more than 1000 metrics in a batch', (s: TrackingStore, id: string) => s.logBatch(id, { metrics: Array.from({ length: 1001 }, () => ({ key: 'm', value: 1 })) }), 'metrics', 'at most 1000 metrics'],
    ['more than 100 params in a batch', (s: TrackingStore, id: string) => s.logBatch(id, { params: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`p${i}`, i])) }), 'params', 'at most 100 params'],
    ['more than 100 tags in a batch', (s: TrackingStore, id: string) => s.logBatch(id, { tags: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`t${i}`, 'x'])) }), 'tags', 'at most 100 tags'],
    [
      'more than 1000 items in a batch',
      (s: TrackingStore, id: string) =>
        s.logBatch(id, { metrics: Array.from({ length: 950 }, () => ({ key: 'm', value: 1 })), params: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`p${i}`, i])) }),
      'items (metrics, params and tags together)',
      'at most 1000 items',
    ],
    ['an unknown status', (s: TrackingStore, id: string) => s.setStatus(id, 'DONE' as never), 'status', 'RUNNING, SCHEDULED, FINISHED, FAILED, KILLED'],
  ])('%s', async (_, write, field, words) => {
    const { store, runId } = await withRun();
    const error = failureOf(() => write(store, runId));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.location?.field).toBe(field);
    expect(error.message).toContain(words);
    const run = store.getRun(runId);
    expect([run.params, run.tags, run.metrics, run.artifacts]).toEqual([{}, {}, {}, []]);
  });

  it('refuses bad run specs and unknown runs', async () => {
    const { store } = await setup();
    expect(failureOf(() => store.createRun({ gitCommit: 'HEAD' }))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'gitCommit' } });
    expect(failureOf(() => store.createRun({ environment: { notes: 'x'.repeat(20_000) } }))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'environment' } });
    expect(failureOf(() => store.createRun({ name: 'a\u001b[2Jb' }))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'name' } });
    expect(failureOf(() => store.createRun({ experiment: '' }))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'experiment' } });
    expect(failureOf(() => store.createRun({ status: 'FINISHED' as never }))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'status' } });
    expect(failureOf(() => store.createRun({ datasets: [{ name: 'd', version: 0, contentHash: HASH }] }))).toMatchObject({ location: { field: 'datasets[0].version' } });
    expect(failureOf(() => store.logMetrics('f'.repeat(32), [{ key: 'm', value: 1 }]))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no run') });
    expect(failureOf(() => store.getRun('not an id'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(store.searchRuns().total).toBe(0);
    expect(failureOf(() => store.createExperiment('Default'))).toMatchObject({ code: 'CONFLICT', message: 'An experiment named "Default" already exists.' });
  });
});

describe('runs:metrics events', () => {
  it('go out at most once per run per 250 ms, each carrying every point since the last', async () => {
    const { clock, advance, pendingTimers } = fakeClock();
    const { store, events } = await setup({ clock });
    const run = store.createRun();
    const other = store.createRun();
    const metricEvents = () => events.filter((event) => event.name === 'runs:metrics').map((event) => event.payload as { runId: string; points: { key: string; step: number; value: unknown }[] });

    store.logMetrics(run.id, [{ key: 'loss', value: 1, step: 0 }]); // after a quiet spell: at once
    expect(metricEvents()).toHaveLength(1);
    advance(100);
    store.logMetrics(run.id, [{ key: 'loss', value: 0.5, step: 1 }, { key: 'acc', value: NaN, step: 1 }]);
    advance(100);
    store.logMetrics(run.id, [{ key: 'loss', value: 0.25, step: 2 }]);
    store.logMetrics(other.id, [{ key: 'loss', value: 9, step: 0 }]); // another run has its own allowance
    expect(metricEvents().map((event) => event.runId)).toEqual([run.id, other.id]);
    advance(49);
    expect(metricEvents()).toHaveLength(2);
    advance(1); // 250 ms after the first
    expect(metricEvents()).toHaveLength(3);
    expect(metricEvents()[2]).toEqual({
      workspace: expect.any(String),
      runId: run.id,
      points: [
        { key: 'loss', step: 1, value: 0.5, timestamp: expect.any(Number) },
        { key: 'acc', step: 1, value: 'NaN', timestamp: expect.any(Number) },
        { key: 'loss', step: 2, value: 0.25, timestamp: expect.any(Number) },
      ],
    });
    expect(pendingTimers()).toBe(0);
    advance(1000);
    expect(metricEvents()).toHaveLength(3);
  });

  it('send what is held back when the run ends, and never a point the database refused', async () => {
    const { clock, advance } = fakeClock();
    const { store, events } = await setup({ clock });
    const run = store.createRun();
    store.logMetrics(run.id, [{ key: 'm', value: 1 }]);
    advance(10);
    store.logMetrics(run.id, [{ key: 'm', value: 2, step: 1 }]);
    expect(() => store.logMetrics(run.id, [{ key: 'm', value: 3, step: 0.5 }])).toThrow(LatheFailure);
    store.setStatus(run.id, 'FINISHED');
    const points = events.filter((event) => event.name === 'runs:metrics').flatMap((event) => (event.payload as { points: { value: unknown }[] }).points.map((point) => point.value));
    expect(points).toEqual([1, 2]);
  });
});

describe('artifacts', () => {
  it('stores bytes or a stream in the blob store and lists them on the run', async () => {
    const { store, workspace } = await setup();
    const run = store.createRun();
    const weights = await store.logArtifact(run.id, 'model/weights.bin', new Uint8Array([1, 2, 3]));
    async function* lines() {
      yield new TextEncoder().encode('epoch,loss\n');
      yield new TextEncoder().encode('1,0.5\n');
    }
    const log = await store.logArtifact(run.id, 'logs/train.csv', lines());
    expect(weights).toEqual({ path: 'model/weights.bin', contentHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), bytes: 3 });
    expect(store.getRun(run.id).artifacts).toEqual([log, weights]);
    expect(await readFile(workspace.blobs.pathOf(log.contentHash), 'utf8')).toBe('epoch,loss\n1,0.5\n');
    const again = await store.logArtifact(run.id, 'model/weights.bin', new Uint8Array([4]));
    expect(store.getRun(run.id).artifacts.find((artifact) => artifact.path === 'model/weights.bin')).toEqual(again);
  });

  it.each([
    ['empty', ''],
    ['absolute', '/etc/passwd'],
    ['a drive letter', 'C:/x'],
    ['a backslash', 'a\\b'],
    ['an empty part', 'a//b'],
    ['a "." part', 'a/./b'],
    ['climbing out', '../x'],
    ['a NUL', 'a\u0000b'],
    ['over 1000 characters', 'x'.repeat(1001)],
  ])('refuses a path that is %s before storing any byte', async (_, path) => {
    const { store, workspace } = await setup();
    const run = store.createRun();
    await expect(store.logArtifact(run.id, path, new Uint8Array([1]))).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', location: { field: 'path' } } });
    const stored: string[] = [];
    for await (const blob of workspace.blobs.list()) stored.push(blob.hash);
    expect(stored).toEqual([]);
  });
});

describe('runs left RUNNING by a process that is gone', () => {
  it('become FAILED, ending at their last sign of life; runs others drive are left alone', async () => {
    const dead = new Set([111]);
    const owner = (pid: number, host = 'here') => ({ pid, host, isAlive: (p: number) => !dead.has(p) });
    const root = await tempDir();
    const { workspace, store: asDead } = await storeOnNewWorkspace(root, { owner: owner(111) });
    const abandoned = asDead.createRun({ name: 'abandoned', startTime: 1_000 });
    asDead.logMetrics(abandoned.id, [{ key: 'loss', value: 1, timestamp: 5_000 }, { key: 'loss', value: 2, step: 1, timestamp: 7_000 }]);
    const finished = asDead.createRun({ name: 'finished' });
    asDead.setStatus(finished.id, 'FINISHED', 9);
    const external = asDead.createRun({ name: 'mlflow client', drivenBy: 'outside-client' });
    const { TrackingStore } = await import('./tracking-store.ts');
    const alive = new TrackingStore({ dir: workspace.dir, db: workspace.db, blobs: workspace.blobs, lock: workspace.lock, owner: owner(222) }).createRun({ name: 'alive' });
    const elsewhere = new TrackingStore({ dir: workspace.dir, db: workspace.db, blobs: workspace.blobs, lock: workspace.lock, owner: owner(111, 'another-host') }).createRun({ name: 'elsewhere' });

    const events: unknown[] = [];
    const next = new TrackingStore({ dir: workspace.dir, db: workspace.db, blobs: workspace.blobs, lock: workspace.lock, owner: owner(333), emit: (event) => events.push(event) });
    expect(next.recoverAbandonedRuns()).toEqual([{ id: abandoned.id, pid: 111, endTime: 7_000 }]);
    expect(next.getRun(abandoned.id)).toMatchObject({ status: 'FAILED', endTime: 7_000, systemTags: { 'lathe.failure': expect.stringContaining('Process 111 on here ended') } });
    expect(events).toEqual([{ name: 'runs:changed', payload: expect.objectContaining({ runId: abandoned.id, status: 'FAILED' }) }]);
    for (const run of [alive, elsewhere, external]) expect(next.getRun(run.id).status).toBe('RUNNING');
    expect(next.getRun(finished.id)).toMatchObject({ status: 'FINISHED', endTime: 9 });
    expect(next.recoverAbandonedRuns()).toEqual([]);
  });
});
