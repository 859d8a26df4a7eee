import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateReport } from '../../../shared/contract/gates.ts';
import type { ModelKind } from '../../../shared/contract/training.ts';
import { sourceResourcesDir } from '../paths.ts';
import { resolveModelVersion } from '../registry/resolve-model-version.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Workspace } from '../workspace/workspace.ts';
import { bundleServing } from './bundle-serving.ts';
import { runGates, type GateRunRequest } from './run-gates.ts';

/**
 * Gates of a regressor (penguins' body mass): the paired bootstrap decides "no worse", a version
 * tested on other rows is compared through the serving runtime, and --data judges another
 * dataset version's rows (its values outside the training range, a column gone).
 */
let root: string;
let fixture: Awaited<ReturnType<typeof coreOnNewWorkspace>>;
let workspace: Workspace;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lathe-gates-'));
  fixture = await coreOnNewWorkspace(root);
  const { call } = fixture;
  const ws = fixture.workspace;
  // Penguins whose body mass is known (training needs a target on every row).
  const csv = (await readFile(join(sourceResourcesDir(), 'samples/penguins.csv'), 'utf8')).trim().split('\n').filter((line) => !/^([^,]*,){5}(NA)?,/.test(line));
  await call('datasets:import-file', { workspace: ws, path: await fixture.file('penguins.csv', `${csv.join('\n')}\n`), name: 'penguins' });
  const train = async (knobs: { model: ModelKind; epochs: number; learningRate: number; seed: number }) => {
    const started = await call('training:start', { workspace: ws, dataset: 'penguins', target: 'Body Mass (g)', ...knobs });
    await call('training:wait', { workspace: ws, runId: started.runId });
    await call('models:register', { workspace: ws, runId: started.runId, name: 'body-mass' });
  };
  await train({ model: 'linear', epochs: 60, learningRate: 0.05, seed: 1 }); // v1: decent
  await train({ model: 'linear', epochs: 1, learningRate: 0.0001, seed: 1 }); // v2: barely trained, same test rows
  await train({ model: 'linear', epochs: 60, learningRate: 0.05, seed: 2 }); // v3: decent, other test rows
  // penguins@2: every flipper 100 mm longer, and no Sex column.
  const shifted = csv.map((line, i) => {
    const cells = line.split(',');
    if (i > 0 && cells[4] !== '' && cells[4] !== 'NA') cells[4] = String(Number(cells[4]) + 100);
    return cells.slice(0, 6).join(',');
  });
  await call('datasets:import-file', { workspace: ws, path: await fixture.file('penguins-shifted.csv', `${shifted.join('\n')}\n`), name: 'penguins' });
  // penguins@3: no body mass at all, so nothing to score predictions against.
  const unlabelled = csv.map((line) => line.split(',').slice(0, 5).concat(line.split(',').slice(6)).join(','));
  await call('datasets:import-file', { workspace: ws, path: await fixture.file('penguins-unlabelled.csv', `${unlabelled.join('\n')}\n`), name: 'penguins' });
  workspace = await Workspace.open(ws);
}, 180_000);

afterAll(async () => {
  await workspace?.close();
  await fixture?.core.close();
  await rm(root, { recursive: true, force: true });
});

const serving = () => bundleServing(workspace, { stateDir: join(root, 'state'), latheVersion: 'test' });
const gates = (request: GateRunRequest) => runGates({ workspace, resolve: (ref) => resolveModelVersion(workspace, ref), serving: serving() }, { record: false, ...request });
const find = (report: GateReport, id: string) => report.checks.find((c) => c.id === id)!;

describe('gates of a regressor', () => {
  it('fail a version whose error is higher by a paired bootstrap interval above 0, with the effect size', async () => {
    const report = await gates({ ref: 'body-mass@2', against: 'body-mass@1' });
    const baseline = find(report, 'model.baseline');
    expect(baseline.status).toBe('fail');
    expect(baseline.sentence).toMatch(/^body-mass@2 errs more than body-mass@1 on the same \d+ rows: MAE [\d.]+ against [\d.]+ \(\+[\d.]+, \+[\d.]+%\); the 90\.0% interval \+[\d.]+ … \+[\d.]+ lies above 0 \(one-sided 0\.05\)\.$/);
    expect(baseline.details).toMatchObject({ error: 'mae', interval: { confidence: 0.9, resamples: 1000, seed: 1 } });
    const reverse = await gates({ ref: 'body-mass@1', against: 'body-mass@2' });
    expect(find(reverse, 'model.baseline').status).toBe('pass');
  });

  it('compare a version tested on other rows through the serving runtime, on the candidate rows', async () => {
    const report = await gates({ ref: 'body-mass@3', against: 'body-mass@1' });
    const baseline = find(report, 'model.baseline');
    expect(baseline.status).not.toBe('fail');
    expect(baseline.sentence).toMatch(/on the same \d+ rows/);
    expect(find(report, 'integration.predictions').status).toBe('pass');
  });

  it('judge another dataset version with --data: values outside the training range and a missing column fail', async () => {
    const report = await gates({ ref: 'body-mass@1', against: 'none', data: 'penguins@2', require: ['mae <= 100000'] });
    expect(report.data).toEqual({ name: 'penguins', version: 2, rows: 342, testSplit: false });
    expect(find(report, 'data.schema')).toMatchObject({ status: 'fail', sentence: 'penguins@2 lacks Sex, which the model reads.' });
    expect(find(report, 'data.ranges').status).toBe('fail');
    expect(find(report, 'data.ranges').sentence).toMatch(/^Values fall outside the training range \(±10\.0% of it\) in Flipper Length \(mm\) \(\d+(\.\d)?% of rows outside [\d.]+ … [\d.]+\)/);
    // The model is judged on penguins@2's rows, predicted by the serving runtime.
    expect(find(report, 'model.threshold.mae')).toMatchObject({ status: 'pass', sentence: expect.stringMatching(/on the 342 rows of penguins@2, meeting <= 100000\.$/) });
  });

  it('skip the model checks, saying why, on a dataset version without the target column', async () => {
    const report = await gates({ ref: 'body-mass@1', against: 'none', data: 'penguins@3' });
    expect(find(report, 'data.schema').status).toBe('pass');
    expect(find(report, 'model.metrics')).toMatchObject({ status: 'skip', sentence: 'penguins@3 has no "Body Mass (g)" column, so there is nothing to score body-mass@1\'s predictions against.' });
  });

  it('refuse stored predictions whose bytes were altered (DATA_DAMAGED), instead of judging them', async () => {
    const version = await resolveModelVersion(workspace, 'body-mass@2');
    const predictions = version.artifacts.find((artifact) => artifact.path === 'test-predictions.jsonl')!;
    const path = workspace.blobs.pathOf(predictions.contentHash);
    const bytes = await readFile(path, 'utf8');
    await chmod(path, 0o644);
    await writeFile(path, bytes.replace(/"predicted":\d/, '"predicted":9'));
    const thrown = await gates({ ref: 'body-mass@2', against: 'none' }).then(() => null, (error: unknown) => error);
    expect(thrown).toMatchObject({ error: { code: 'DATA_DAMAGED' } });
  });
});
