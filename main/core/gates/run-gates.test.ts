import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateReport } from '../../../shared/contract/gates.ts';
import { listenToPhases } from '../base/phases.ts';
import { failure, LatheFailure } from '../errors.ts';
import { resolveModelVersion } from '../registry/resolve-model-version.ts';
import { Workspace } from '../workspace/workspace.ts';
import { bundleServing } from './bundle-serving.ts';
import { fakeServing, gatedWorkspace } from './gates-fixture.ts';
import { runGates, type GateRunRequest } from './run-gates.ts';
import type { ServingTarget } from './serving-target.ts';

/**
 * Whole gate runs on penguins: v1 (the champion) is a decent linear model, v2 one that barely
 * trained, both on the same test rows. Every gate that must fail does fail, with its sentence.
 */
let root: string;
let fixture: Awaited<ReturnType<typeof gatedWorkspace>>;
let workspace: Workspace;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lathe-gates-'));
  fixture = await gatedWorkspace(root);
  workspace = await Workspace.open(fixture.workspace);
}, 120_000);

afterAll(async () => {
  await workspace?.close();
  await fixture?.core.close();
  await rm(root, { recursive: true, force: true });
});

/** Run gates in-process with a serving target (the core's calls have none yet). */
const gates = (request: GateRunRequest, serving: ServingTarget | null = null) => runGates({ workspace, resolve: (ref) => resolveModelVersion(workspace, ref), serving }, { record: false, ...request });
const find = (report: GateReport, id: string) => report.checks.find((c) => c.id === id);
const refusal = async (promise: Promise<unknown>) => {
  const thrown = await promise.then(() => null, (error: unknown) => error);
  expect(thrown).toBeInstanceOf(LatheFailure);
  return (thrown as LatheFailure).error;
};

describe('a gate run', () => {
  it('passes the champion on its own test rows: data, thresholds, slices, and a faithful serving runtime', async () => {
    // A latency budget no machine misses, so the outcome does not depend on timing.
    await fixture.saveSpec({ model: { require: ['accuracy >= 0.8'], slices: { minSupport: 5, floor: 0.5 } }, integration: { p50Ms: 60_000, p99Ms: 60_000 } });
    const report = await gates({ ref: 'penguins-species@1' }, fakeServing(fixture.workspace));
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.outcome).not.toBe('fail');
    expect(report.data).toMatchObject({ name: 'penguins', version: 1, testSplit: true });
    expect(find(report, 'data.schema')).toMatchObject({ status: 'pass' });
    expect(find(report, 'model.threshold.accuracy')?.sentence).toMatch(/^accuracy is 0\.\d+ on the \d+ test rows of penguins@1, meeting >= 0.8\.$/);
    expect(find(report, 'model.baseline')).toMatchObject({ status: 'skip' });
    expect(find(report, 'model.slices')?.sentence).toMatch(/worst is (Island|Sex) = /);
    expect(find(report, 'integration.predictions')).toMatchObject({ status: 'pass' });
    expect(find(report, 'integration.latency')).toMatchObject({ status: 'pass' });
  });

  it('fails a threshold the version does not meet, from the spec or from --require', async () => {
    await fixture.saveSpec({ model: { require: ['accuracy >= 0.999999'] } });
    const report = await gates({ ref: 'penguins-species@2', against: 'none', require: ['f1_macro>=0.99'] });
    expect(report.outcome).toBe('fail');
    expect(find(report, 'model.threshold.accuracy')).toMatchObject({ status: 'fail', details: { from: 'spec' } });
    expect(find(report, 'model.threshold.accuracy')?.sentence).toMatch(/short of >= 0.999999/);
    expect(find(report, 'model.threshold.f1_macro')).toMatchObject({ status: 'fail', details: { from: '--require' } });
  });

  it('fails a challenger that is significantly worse than the champion on the same rows (McNemar), with the effect size', async () => {
    await fixture.saveSpec({});
    const report = await gates({ ref: 'penguins-species@2' }, fakeServing(fixture.workspace));
    expect(report.baseline).toBe('penguins-species@1');
    const baseline = find(report, 'model.baseline')!;
    expect(baseline.status).toBe('fail');
    expect(baseline.sentence).toMatch(/penguins-species@2 is worse than penguins-species@1 on the same \d+ rows: accuracy .* \(−\d+(\.\d+)? points\).*McNemar's exact test p [=<] .* < 0.05\./);
    expect(baseline.details).toMatchObject({ pWorse: expect.any(Number), accuracyDifference: expect.any(Number) });
    expect((baseline.details as { pWorse: number }).pWorse).toBeLessThan(0.05);
    // The other way round the champion is no worse than the weak version.
    const reverse = await gates({ ref: 'penguins-species@1', against: 'penguins-species@2' });
    expect(find(reverse, 'model.baseline')).toMatchObject({ status: 'pass' });
  });

  it('fails a slice below the floor', async () => {
    await fixture.saveSpec({ model: { slices: { columns: ['Island'], minSupport: 3, floor: 0.999 } } });
    const report = await gates({ ref: 'penguins-species@2', against: 'none' });
    const slices = find(report, 'model.slices')!;
    expect(slices.status).toBe('fail');
    expect(slices.sentence).toMatch(/^Accuracy falls below the floor of 0.999 on Island = "(Biscoe|Dream|Torgersen)" \(/);
  });

  it('fails training/serving skew: a runtime whose preprocessing differs on some rows', async () => {
    await fixture.saveSpec({});
    const skewed = fakeServing(fixture.workspace, {
      skew: (row, answer) => (row % 3 === 0 && 'probabilities' in answer ? { probabilities: [...answer.probabilities].reverse() } : answer),
    });
    const report = await gates({ ref: 'penguins-species@1' }, skewed);
    const predictions = find(report, 'integration.predictions')!;
    expect(predictions.status).toBe('fail');
    expect(predictions.sentence).toMatch(/^Training\/serving skew: the runtime's predictions differ from training's on \d+ of \d+ test rows/);
    expect(report.outcome).toBe('fail');
  });

  it('fails a bundle the runtime refuses (a tampered bundle), naming why', async () => {
    await fixture.saveSpec({});
    const tampered = fakeServing(fixture.workspace, { refuse: failure('DATA_DAMAGED', 'penguins-species-1.lathe: part model/weights.bin does not match its SHA-256 in the manifest.') });
    const report = await gates({ ref: 'penguins-species@1' }, tampered);
    expect(find(report, 'integration.bundle')).toMatchObject({ status: 'fail', sentence: expect.stringContaining('model/weights.bin does not match its SHA-256'), details: { code: 'DATA_DAMAGED' } });
    expect(find(report, 'integration.predictions')).toMatchObject({ status: 'skip' });
  });

  it('loads the real signed bundle in the serving runtime, which predicts the test rows as training did', async () => {
    await fixture.saveSpec({});
    const report = await gates({ ref: 'penguins-species@1' }, bundleServing(workspace, { stateDir: join(root, 'state'), latheVersion: 'test' }));
    expect(find(report, 'integration.bundle')).toMatchObject({ status: 'pass' });
    expect(find(report, 'integration.predictions')).toMatchObject({ status: 'pass', details: { differing: 0 } });
    expect(find(report, 'integration.latency')?.details).toMatchObject({ requests: 200, p50Ms: expect.any(Number), p99Ms: expect.any(Number) });
  });

  it('fails a tampered bundle: the serving runtime verifies it and refuses, naming the part', async () => {
    await fixture.saveSpec({});
    const flipLastByte = async (file: string) => {
      // The last part's bytes sit before the tar's two zero blocks and its padding: flip one in the last 2 KiB that is not zero.
      const handle = await open(file, 'r+');
      try {
        const size = (await stat(file)).size;
        const tail = Buffer.alloc(4096);
        await handle.read(tail, 0, tail.length, size - tail.length);
        const at = tail.findLastIndex((byte) => byte !== 0);
        tail[at] = tail[at]! ^ 0x01;
        await handle.write(tail, at, 1, size - tail.length + at);
      } finally {
        await handle.close();
      }
    };
    const report = await gates({ ref: 'penguins-species@1' }, bundleServing(workspace, { stateDir: join(root, 'state'), latheVersion: 'test', beforeLoad: flipLastByte }));
    const bundle = find(report, 'integration.bundle')!;
    expect(bundle).toMatchObject({ status: 'fail', details: { code: 'DATA_DAMAGED' } });
    expect(bundle.sentence).toMatch(/^The serving runtime refused penguins-species@1's bundle: .* did not verify: part [^:]+: SHA-256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}\./);
    expect(report.outcome).toBe('fail');
  });

  it('skips integration, saying why, when no serving runtime is available', async () => {
    await fixture.saveSpec({});
    const report = await gates({ ref: 'penguins-species@1' });
    expect(find(report, 'integration.bundle')).toMatchObject({ status: 'skip', sentence: expect.stringMatching(/No serving runtime/) });
  });
});

describe('gate runs through the core', () => {
  it('are kept with the version and listed newest first (gates:results)', async () => {
    const { call } = fixture;
    await fixture.saveSpec({});
    const first = await call('gates:run', { workspace: fixture.workspace, ref: 'penguins-species@2' });
    const second = await call('gates:run', { workspace: fixture.workspace, ref: 'penguins-species@2', against: 'none' });
    expect(first.outcome).toBe('fail');
    const results = await call('gates:results', { workspace: fixture.workspace, ref: 'penguins-species@2' });
    expect(results.map((r) => r.id).slice(0, 2)).toEqual([second.id, first.id]);
    expect(results[1]).toEqual(first);
    const log = await workspace.git.history(`models/penguins-species/gate-runs/2/${first.id}.json`);
    expect(log[0]?.message).toMatch(/^Gates fail for penguins-species@2 against penguins-species@1/);
  });

  it('run as a job: listed with its progress, and a cancel stops it before the next checks, keeping no report', async () => {
    const { call } = fixture;
    await fixture.saveSpec({});
    const before = await call('gates:results', { workspace: fixture.workspace, ref: 'penguins-species@2' });
    // Hold the run at its first group of checks, cancel it there, then let it go on.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atCheck = new Promise<void>((resolve) => (reached = resolve));
    listenToPhases(async (phase) => {
      if (phase !== 'gates:check') return;
      listenToPhases(null);
      reached();
      await held;
    });
    try {
      const running = call('gates:run', { workspace: fixture.workspace, ref: 'penguins-species@2' }).then(() => null, (error: unknown) => error);
      await atCheck;
      const job = (await call('jobs:list', { workspace: fixture.workspace })).find((j) => j.kind === 'gates' && j.status === 'running')!;
      expect(job).toMatchObject({ title: 'Gates of penguins-species@2', ref: 'penguins-species@2', progress: { unit: 'steps', total: 3, done: 0 } });
      await call('jobs:cancel', { workspace: fixture.workspace, jobId: job.id });
      release();
      expect(await running).toMatchObject({ error: { code: 'CANCELLED', message: 'The gates of penguins-species@2 were cancelled; no report was kept.' } });
    } finally {
      listenToPhases(null);
      release();
    }
    expect(await call('gates:results', { workspace: fixture.workspace, ref: 'penguins-species@2' })).toEqual(before);
    const finished = await call('gates:run', { workspace: fixture.workspace, ref: 'penguins-species@2', against: 'none' });
    expect((await call('jobs:list', { workspace: fixture.workspace })).find((j) => j.ref === 'penguins-species@2' && j.status === 'finished')).toMatchObject({ kind: 'gates', progress: { done: 3, message: finished.summary } });
  });

    it('gates:init writes the defaults once and keeps an existing spec', async () => {
    const { call } = fixture;
    const reset = await call('gates:init', { workspace: fixture.workspace, name: 'penguins-species', replace: true });
    expect(reset).toMatchObject({ created: true, path: 'models/penguins-species/gates.json', spec: { model: { baseline: { alias: 'champion', significance: 0.05 } } } });
    const again = await call('gates:init', { workspace: fixture.workspace, name: 'penguins-species' });
    expect(again).toMatchObject({ created: false, commit: null });
  });
});

describe('bad input is refused, saying what and where', () => {
  const save = (text: string) => fixture.call('gates:save', { workspace: fixture.workspace, name: 'penguins-species', text });

  it('a spec that is not JSON: the line and column', async () => {
    const error = await refusal(save('{\n  "schemaVersion": 1,\n  "model": { "require": ["accuracy >= 0.9" }\n}\n'));
    expect(error).toMatchObject({ code: 'PARSE_ERROR', location: { file: 'models/penguins-species/gates.json', line: 3 } });
    expect(error.message).toMatch(/^models\/penguins-species\/gates\.json is not valid JSON \(line 3, column \d+\)/);
  });

  it('a spec with an unknown field or a wrong value: the JSON path and its line', async () => {
    const unknown = await refusal(save('{\n  "schemaVersion": 1,\n  "model": {\n    "treshold": 0.9\n  }\n}\n'));
    expect(unknown).toMatchObject({ code: 'PARSE_ERROR', location: { line: 4, field: 'model.treshold' } });
    expect(unknown.message).toBe('models/penguins-species/gates.json line 4: model.treshold: unknown field "treshold".');
    const wrong = await refusal(save('{\n  "schemaVersion": 1,\n  "data": {\n    "minRows": -3\n  }\n}\n'));
    expect(wrong).toMatchObject({ location: { line: 4, field: 'data.minRows' } });
    const alias = await refusal(save('{\n  "schemaVersion": 1,\n  "model": {\n    "baseline": {\n      "alias": "Champion"\n    }\n  }\n}\n'));
    expect(alias).toMatchObject({ location: { line: 5, field: 'model.baseline.alias' } });
    expect(alias.message).toMatch(/"Champion" is not an alias name/);
  });

  it('a threshold naming an unknown metric: in the spec (with its line) and on the command line', async () => {
    const error = await refusal(save('{\n  "schemaVersion": 1,\n  "model": {\n    "require": [\n      "accuracy >= 0.9",\n      "acuracy >= 0.9"\n    ]\n  }\n}\n'));
    expect(error).toMatchObject({ code: 'PARSE_ERROR', location: { line: 6, field: 'model.require[1]' } });
    expect(error.message).toMatch(/"acuracy" is not a metric a gate knows/);
    // A metric of the other task: known to gates, but not to a classifier.
    await fixture.saveSpec({ model: { require: ['rmse <= 3'] } });
    const wrongTask = await refusal(gates({ ref: 'penguins-species@1' }));
    expect(wrongTask).toMatchObject({ code: 'INVALID_INPUT', location: { file: 'models/penguins-species/gates.json', field: 'model.require[0]' } });
    expect(wrongTask.message).toMatch(/line \d+: model\.require\[0\]: "rmse" is not a metric of a classification model; its metrics are accuracy, /);
    await fixture.saveSpec({});
    const flag = await refusal(gates({ ref: 'penguins-species@1', require: ['accuracy>=0.5', 'r2>=0.5'] }));
    expect(flag).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'require[1]' } });
  });

  it('a slice column the data does not have', async () => {
    await fixture.saveSpec({ model: { slices: { columns: ['Island', 'Iland'] } } });
    const error = await refusal(gates({ ref: 'penguins-species@1' }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'model.slices.columns[1]' } });
    expect(error.message).toMatch(/"Iland" is not a column of penguins@1; its columns are /);
    await fixture.saveSpec({ model: { slices: { columns: ['Flipper Length (mm)'] } } });
    expect(await refusal(gates({ ref: 'penguins-species@1' }))).toMatchObject({ message: expect.stringMatching(/model\.slices\.columns\[0\]: "Flipper Length \(mm\)" is a (integer|number) column of penguins@1; slices are made of text or true\/false columns\./) });
    await fixture.saveSpec({});
  });

  it('a baseline that is a version of another model', async () => {
    await fixture.call('models:register', { workspace: fixture.workspace, runId: fixture.runs.good, name: 'other-model' });
    const error = await refusal(gates({ ref: 'penguins-species@2', against: 'other-model@1' }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'against' } });
    expect(error.message).toBe('--against other-model@1 is a version of the model "other-model", not of "penguins-species": a gate compares versions of one model, on the same test rows.');
  });

  it('a --data reference that is not NAME@V', async () => {
    expect(await refusal(gates({ ref: 'penguins-species@1', data: 'penguins@first' }))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'data' }, message: expect.stringMatching(/^--data "penguins@first": the version after @ must be a whole number/) });
    expect(await refusal(gates({ ref: 'penguins-species@1', data: 'pinguins@1' }))).toMatchObject({ code: 'NOT_FOUND', message: 'There is no dataset named "pinguins" in this workspace.' });
  });

  it('a version or alias that does not exist', async () => {
    expect(await refusal(gates({ ref: 'penguins-species@9' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(gates({ ref: 'penguins-species@1', against: 'penguins-species@nightly' }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});
