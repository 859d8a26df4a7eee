import { chmod, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { calls, events as eventSchemas, type CallName, type InputOf, type LatheEvent, type OutputOf } from '../../../shared/contract/calls.ts';
import { dispatch } from '../dispatch.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { gitCli } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { Workspace } from '../workspace/workspace.ts';
import { trackingFor } from './open-tracking.ts';

const tempDir = useTempDirs();

/** A core on a new workspace, and a second process's view of it (another Workspace, another connection) that writes runs. */
async function setup() {
  const fixture = await coreOnNewWorkspace(await tempDir());
  const events: LatheEvent[] = [];
  // Every answer and event must pass the contract's own schema, as the renderer checks them.
  fixture.core.events.on((event) => events.push({ name: event.name, payload: eventSchemas[event.name].payload.parse(event.payload) } as LatheEvent));
  const call = async <N extends CallName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> => calls[name].output.parse(await fixture.call(name, input)) as OutputOf<N>;
  const writer = await Workspace.open(fixture.workspace);
  const tracking = trackingFor(writer, fixture.core.events);
  return { ...fixture, call, events, writer, tracking };
}

describe('the tracking calls', () => {
  it('make and list experiments, refusing a name taken', async () => {
    const { call, workspace, core } = await setup();
    const made = await call('experiments:create', { workspace, name: 'penguins', tags: { team: 'birds' } });
    expect(made).toMatchObject({ id: '1', name: 'penguins', lifecycle: 'active', tags: { team: 'birds' }, activeRuns: 0 });
    expect((await call('experiments:list', { workspace })).map((experiment) => experiment.name)).toEqual(['Default', 'penguins']);
    const again = await dispatch(core.handlers, 'experiments:create', { workspace, name: 'penguins' });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('"penguins" already exists') } });
    const bad = await dispatch(core.handlers, 'experiments:create', { workspace, name: 'x\u202ey' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'name' }] } });
  });

  it('search runs with a filter, an order and pages, and show each small', async () => {
    const { call, workspace, tracking } = await setup();
    for (const [i, model] of ['mlp', 'cnn', 'mlp', 'gbm'].entries()) {
      const run = tracking.createRun({ experiment: 'birds', name: `run-${i}`, params: { model }, startTime: 1000 + i });
      tracking.logMetrics(run.id, [{ key: 'val acc', value: i / 10, step: 1 }, ...Array.from({ length: 50 }, (_, step) => ({ key: 'loss', value: step, step }))]);
    }
    const found = await call('runs:search', {
      workspace,
      filter: "metrics.`val acc` >= 0.1 AND (params.model = 'mlp' OR params.model = 'gbm')",
      orderBy: ['metrics.`val acc` DESC'],
      maxResults: 1,
    });
    expect(found).toMatchObject({ total: 2, nextPageToken: expect.any(String), runs: [{ name: 'run-3', params: { model: 'gbm' } }] });
    expect(found.runs[0]!.metrics).toEqual({ 'val acc': { value: 0.3, step: 1, timestamp: expect.any(Number) }, loss: { value: 49, step: 49, timestamp: expect.any(Number) } });
    expect(JSON.stringify(found.runs[0]).length).toBeLessThan(1000); // no per-point data
    const next = await call('runs:search', { workspace, filter: "metrics.`val acc` >= 0.1 AND (params.model = 'mlp' OR params.model = 'gbm')", orderBy: ['metrics.`val acc` DESC'], maxResults: 1, pageToken: found.nextPageToken });
    expect(next).toEqual({ total: 2, runs: [expect.objectContaining({ name: 'run-2' })] });
  });

  it('answer a filter it cannot read with INVALID_INPUT saying where and what it expected', async () => {
    const { core, workspace } = await setup();
    const result = await dispatch(core.handlers, 'runs:search', { workspace, filter: 'metrics.acc > 0.9 OR OR params.a = 1' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: 'Invalid filter at character 22: expected metrics.<key>, params.<key>, tags.<key> or attributes.<name>; found "OR".\n  metrics.acc > 0.9 OR OR params.a = 1\n                       ^',
        location: { field: 'filter', column: 22 },
      },
    });
    const order = await dispatch(core.handlers, 'runs:search', { workspace, orderBy: ['metrics.acc', 'start_time'] });
    expect(order).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', location: { field: 'orderBy[1]', column: 1 } } });
  });

  it('give one run in full, and a metric history that survives JSON (NaN and infinities as strings)', async () => {
    const { call, workspace, tracking } = await setup();
    const run = tracking.createRun({ name: 'full', gitCommit: 'c'.repeat(40), environment: { backend: 'cpu', node: 'v24' } });
    tracking.logMetrics(run.id, [
      { key: 'loss', value: NaN, step: 0, timestamp: 1 },
      { key: 'loss', value: Infinity, step: 1, timestamp: 2 },
      { key: 'loss', value: 0.5, step: 2, timestamp: 3 },
    ]);
    await tracking.logArtifact(run.id, 'model.onnx', new Uint8Array([7, 7]));
    const detail = await call('runs:get', { workspace, runId: run.id });
    expect(detail).toMatchObject({ name: 'full', gitCommit: 'c'.repeat(40), environment: { backend: 'cpu', node: 'v24' }, artifacts: [{ path: 'model.onnx', bytes: 2 }] });
    const history = await call('runs:metric-history', { workspace, runId: run.id, key: 'loss' });
    const expected = { key: 'loss', steps: [0, 1, 2], values: ['NaN', 'Infinity', 0.5], timestamps: [1, 2, 3], stored: 3, downsampled: false };
    expect(history).toEqual(expected);
    expect(JSON.parse(JSON.stringify(history))).toEqual(expected);
    expect(await call('runs:metric-history', { workspace, runId: run.id, key: 'loss', maxPoints: 2 })).toMatchObject({ steps: [0, 2], stored: 3, downsampled: true });
    const missing = await dispatch((await setup()).core.handlers, 'runs:get', { workspace, runId: 'e'.repeat(32) });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('give many curves in one request, each downsampled, and say which could not be read', async () => {
    const { call, workspace, tracking } = await setup();
    const runs = [0, 1].map((i) => tracking.createRun({ experiment: 'e', name: `r${i}` }));
    for (const [i, run] of runs.entries()) {
      tracking.logMetrics(run.id, Array.from({ length: 500 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1 + i), step })));
    }
    const histories = await call('runs:metric-histories', {
      workspace,
      curves: [...runs.map((run) => ({ runId: run.id, key: 'loss' })), { runId: 'f'.repeat(32), key: 'loss' }],
      maxPoints: 50,
      withoutTimestamps: true,
    });
    expect(histories).toHaveLength(3);
    expect(histories[0]).toMatchObject({ runId: runs[0]!.id, key: 'loss', stored: 500, downsampled: true, timestamps: [] });
    expect((histories[1] as { steps: number[] }).steps).toHaveLength(50);
    expect(histories[2]).toMatchObject({ runId: 'f'.repeat(32), key: 'loss', error: { code: 'NOT_FOUND' } });
  });

  it('delete and restore runs, telling every window', async () => {
    const { call, workspace, tracking, events } = await setup();
    const run = tracking.createRun({ name: 'doomed' });
    tracking.logMetrics(run.id, [{ key: 'm', value: 1 }]);
    expect(await call('runs:delete', { workspace, runId: run.id })).toMatchObject({ id: run.id, lifecycle: 'deleted' });
    expect((await call('runs:search', { workspace })).total).toBe(0);
    expect(await call('runs:restore', { workspace, runId: run.id })).toMatchObject({ lifecycle: 'active' });
    expect(events.map((event) => event.name)).toEqual(['runs:changed', 'runs:metrics', 'runs:changed', 'runs:changed']);
    expect(events.at(-2)).toEqual({ name: 'runs:changed', payload: { workspace, runId: run.id, status: 'RUNNING', lifecycle: 'deleted' } });
  });
});

describe('runs:read-artifact', () => {
  it('gives a text artifact, checked against its hash, and refuses binary, damaged and missing ones, saying which', async () => {
    const { call, core, workspace, tracking, writer } = await setup();
    const run = tracking.createRun();
    const log = await tracking.logArtifact(run.id, 'logs/train.log', new TextEncoder().encode('epoch 1: loss 0.5\n'));
    await tracking.logArtifact(run.id, 'model.bin', new Uint8Array([0x00, 0xff, 0x10]));
    expect(await call('runs:read-artifact', { workspace, runId: run.id, path: 'logs/train.log' })).toEqual({ ...log, text: 'epoch 1: loss 0.5\n' });
    const read = (path: string) => dispatch(core.handlers, 'runs:read-artifact', { workspace, runId: run.id, path });
    expect(await read('model.bin')).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('is not text') } });
    expect(await read('nope.txt')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', hint: 'Its artifacts: logs/train.log, model.bin.' } });
    const blob = writer.blobs.pathOf(log.contentHash);
    await chmod(blob, 0o644);
    await writeFile(blob, 'epoch 1: loss 0.1\n');
    expect(await read('logs/train.log')).toMatchObject({ ok: false, error: { code: 'DATA_DAMAGED' } });
  });
});

describe('artifacts count as stored data that is needed', () => {
  it('store:gc keeps a run artifact, deleted run or not, and store:verify names the run when its bytes go missing', async () => {
    const { call, workspace, tracking, writer } = await setup();
    const run = tracking.createRun({ name: 'keeper' });
    const artifact = await tracking.logArtifact(run.id, 'model/weights.bin', new TextEncoder().encode('weights'));
    tracking.deleteRun(run.id);
    expect(await call('store:gc', { workspace })).toMatchObject({ unreferenced: [], kept: 1, keptBytes: 7 });
    expect(await call('store:verify', { workspace })).toMatchObject({ checked: 1, intact: 1, problems: [] });
    await rm(writer.blobs.pathOf(artifact.contentHash), { force: true });
    const report = await call('store:verify', { workspace });
    expect(report.problems).toEqual([expect.objectContaining({ contentHash: artifact.contentHash, problem: 'missing', usedBy: [`run keeper (${run.id.slice(0, 8)}): model/weights.bin`] })]);
  });
});

describe('a workspace database that cannot be used', () => {
  it('is named in the error when damaged, and git-held data is untouched', async () => {
    const { call, core, workspace } = await coreOnNewWorkspace(await tempDir());
    await writeFile(join(workspace, '.lathe/lathe.db'), 'this is not a database, but it is long enough to have a header '.repeat(100));
    const result = await dispatch(core.handlers, 'runs:search', { workspace });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'DATA_DAMAGED', message: expect.stringContaining(join(workspace, '.lathe/lathe.db')), hint: expect.stringContaining('Move that file aside'), location: { file: join(workspace, '.lathe/lathe.db') } },
    });
    expect(await call('workspace:open', { path: workspace })).toMatchObject({ path: workspace });
    expect(await call('datasets:list', { workspace })).toEqual([]);
    expect(gitCli(workspace, 'status', '--porcelain')).toBe('');
  });

  it('is named in the error when another program holds it locked', { timeout: 20_000 }, async () => {
    const { core, workspace } = await coreOnNewWorkspace(await tempDir());
    const other = new DatabaseSync(join(workspace, '.lathe/lathe.db'));
    try {
      other.exec('PRAGMA locking_mode = EXCLUSIVE; CREATE TABLE IF NOT EXISTS someone_elses (x); BEGIN EXCLUSIVE;');
      const result = await dispatch(core.handlers, 'experiments:list', { workspace });
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', message: expect.stringContaining(`${join(workspace, '.lathe/lathe.db')} is locked by another program`), hint: expect.stringContaining('Close the program') },
      });
    } finally {
      other.close();
    }
    expect(await dispatch(core.handlers, 'experiments:list', { workspace })).toMatchObject({ ok: true });
  });
});
