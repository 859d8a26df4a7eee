import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../dispatch.ts';
import { EventHub } from '../events.ts';
import { JobRegistry } from '../jobs/job-registry.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { trainingCalls } from './training-calls.ts';
import { refusal } from '../testing/refusal.ts';

/** Planning, refusals and the backend check: everything here is decided before any training starts. */
const tempDir = useTempDirs();


async function workspaceWith(files: Record<string, string>) {
  const root = await tempDir();
  const fixture = await coreOnNewWorkspace(root);
  await fixture.call('datasets:import-sample', { workspace: fixture.workspace });
  for (const [name, text] of Object.entries(files)) {
    await fixture.call('datasets:import-file', { workspace: fixture.workspace, path: await fixture.file(`${name}.csv`, text), name });
  }
  return { ...fixture, root };
}

const rows = (count: number, row: (i: number) => string) => Array.from({ length: count }, (_, i) => row(i)).join('\n');

describe('training:plan', () => {
  it('says what training the penguins would do before anything runs', async () => {
    const { core, workspace, call } = await workspaceWith({});
    try {
      const plan = await call('training:plan', { workspace, dataset: 'penguins', target: 'Species' });
      expect(plan.task).toBe('classification');
      expect(plan.taskWhy).toContain('text');
      expect(plan.classes).toEqual([
        { name: 'Adelie', count: 152 },
        { name: 'Chinstrap', count: 68 },
        { name: 'Gentoo', count: 124 },
      ]);
      expect(plan.features.map((f) => [f.name, f.encoding])).toEqual([
        ['Island', 'one-hot'],
        ['Beak Length (mm)', 'standardize'],
        ['Beak Depth (mm)', 'standardize'],
        ['Flipper Length (mm)', 'standardize'],
        ['Body Mass (g)', 'standardize'],
        ['Sex', 'one-hot'],
      ]);
      expect(plan.dropped).toEqual([]);
      expect(plan.rows).toBe(344);
      expect(plan.split.train + plan.split.validation + plan.split.test).toBe(344);
      expect(plan.warnings).toContain('"Sex" is missing in 10 rows: filled with the most frequent value of the training rows, with an input that says it was missing.');
    } finally {
      await core.close();
    }
  });

  it('leaves out identifiers, constants and empty columns, saying why, and infers regression for numbers', async () => {
    const { core, workspace, call } = await workspaceWith({
      houses: `id,code,country,empty,rooms,built,price\n${rows(60, (i) => `${i + 1},H-${i * 7919},NO,,${1 + (i % 5)},20${10 + (i % 9)}-0${1 + (i % 9)}-1${i % 9},${100 + i * 3.5}`)}`,
    });
    try {
      const plan = await call('training:plan', { workspace, dataset: 'houses', target: 'price' });
      expect(plan.task).toBe('regression');
      expect(plan.features.map((f) => [f.name, f.type, f.encoding])).toEqual([
        ['rooms', 'integer', 'standardize'],
        ['built', 'datetime', 'epoch-days'],
      ]);
      expect(plan.dropped.map((d) => d.name)).toEqual(['id', 'code', 'country', 'empty']);
      expect(plan.dropped[0]!.why).toContain('a row number');
      expect(plan.dropped[1]!.why).toContain('an identifier');
      expect(plan.dropped[2]!.why).toContain('constant: the same value ("NO")');
      expect(plan.dropped[3]!.why).toBe('every value is missing');
      expect(plan.warnings.some((w) => w.startsWith('"id" is left out'))).toBe(true);
      // A whole-number column with few values is classes unless the caller says otherwise.
      expect((await call('training:plan', { workspace, dataset: 'houses', target: 'rooms' })).task).toBe('classification');
      expect((await call('training:plan', { workspace, dataset: 'houses', target: 'rooms', task: 'regression' })).taskWhy).toBe('you chose regression');
    } finally {
      await core.close();
    }
  });
});

describe('bad input is refused before a run exists, naming the field', () => {
  it('refuses targets that cannot work and knobs out of range', async () => {
    const { core, workspace, call } = await workspaceWith({
      constant: `kind,x\n${rows(20, (i) => `same,${i}`)}`,
      ids: `id,label\n${rows(30, (i) => `user-${i}-${i * 31},${i % 2 ? 'yes' : 'no'}`)}`,
    });
    const start = { workspace, dataset: 'penguins', target: 'Species', model: 'linear' as const };
    try {
      const noColumn = await refusal(call('training:plan', { workspace, dataset: 'penguins', target: 'species' }));
      expect(noColumn).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'target' } });
      expect(noColumn.message).toContain('penguins@1 has no column named "species" (did you mean "Species"?). Its columns are: "Species", "Island", "Beak Length (mm)"');

      const missing = await refusal(call('training:start', { ...start, target: 'Sex' }));
      expect(missing).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'target' } });
      expect(missing.message).toContain('"Sex" is missing in 10 of 344 rows');
      expect(missing.hint).toContain('Import a version without those rows');

      const oneClass = await refusal(call('training:start', { ...start, dataset: 'constant', target: 'kind' }));
      expect(oneClass).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'target' } });
      expect(oneClass.message).toContain('one value in every row');

      const noFeatures = await refusal(call('training:start', { ...start, dataset: 'ids', target: 'label' }));
      expect(noFeatures).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'target' } });
      expect(noFeatures.message).toContain('No column of ids@1 can be a feature for "label": "id" is an identifier');

      const textRegression = await refusal(call('training:start', { ...start, task: 'regression' }));
      expect(textRegression).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'task' } });

      for (const [knobs, field] of [
        [{ learningRate: 0 }, 'learningRate'],
        [{ learningRate: -0.1 }, 'learningRate'],
        [{ epochs: 0 }, 'epochs'],
        [{ epochs: 100_001 }, 'epochs'],
        [{ epochs: 2.5 }, 'epochs'],
        [{ batchSize: 0 }, 'batchSize'],
        [{ dropout: 1 }, 'dropout'],
      ] as const) {
        const result = await dispatch(core.handlers, 'training:start', { ...start, model: 'mlp', ...knobs });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error).toMatchObject({ code: 'INVALID_INPUT', issues: [expect.objectContaining({ path: field })] });
      }
      const lr = await dispatch(core.handlers, 'training:start', { ...start, learningRate: 0 });
      expect(!lr.ok && lr.error.message).toContain('learningRate: learningRate must be above 0 (try 0.001 for an MLP, 0.01 for linear)');

      const hidden = await refusal(call('training:start', { ...start, hidden: [8] }));
      expect(hidden).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'hidden' } });
      expect(hidden.message).toContain('the linear model has no hidden layers');

      const balanced = await refusal(call('training:start', { ...start, target: 'Beak Depth (mm)', classWeights: 'balanced' }));
      expect(balanced.code).toBe('INVALID_INPUT');

      expect((await call('runs:search', { workspace })).total).toBe(0); // nothing was started
    } finally {
      await core.close();
    }
  });

  it('refuses a version whose stored bytes were altered, saying how to repair them', async () => {
    const { core, workspace, call } = await workspaceWith({});
    try {
      const { version } = await call('datasets:show', { workspace, name: 'penguins' });
      const blob = join(workspace, '.lathe/objects/sha256', version.contentHash.slice(7, 9), version.contentHash.slice(9));
      await chmod(blob, 0o644);
      const bytes = await readFile(blob);
      bytes[200] = bytes[200]! ^ 0x01;
      await writeFile(blob, bytes);
      const damaged = await refusal(call('training:start', { workspace, dataset: 'penguins', target: 'Species', model: 'linear' }));
      expect(damaged).toMatchObject({ code: 'DATA_DAMAGED', hint: expect.stringContaining('Import the original file again') });
      expect((await call('runs:search', { workspace })).total).toBe(0);
    } finally {
      await core.close();
    }
  });

  it('refuses a model too large for the memory training may use, before it starts', async () => {
    const root = await tempDir();
    const fixture = await coreOnNewWorkspace(root);
    await fixture.call('datasets:import-sample', { workspace: fixture.workspace });
    await fixture.core.close();
    const workspaces = new OpenWorkspaces();
    const { handlers } = trainingCalls({ workspaces, events: new EventHub(), jobs: new JobRegistry(), memoryLimitBytes: 64 * 1024 ** 2 });
    try {
      const result = await dispatch(handlers, 'training:start', { workspace: fixture.workspace, dataset: 'penguins', target: 'Species', model: 'mlp', hidden: [4096, 4096] });
      expect(result).toMatchObject({ ok: false, error: { code: 'TOO_LARGE', location: { field: 'hidden' } } });
      if (!result.ok) {
        expect(result.error.message).toMatch(/^An MLP with hidden layers 4096,4096 on 17 inputs has 16,867,331 parameters and would need about 326 MiB to train; training may use at most 64 MiB here\.$/);
        expect(result.error.hint).toContain('fewer or smaller hidden layers');
      }
    } finally {
      await workspaces.closeAll();
    }
  });
});

describe('app:doctor', () => {
  it('lists every backend, found or not and why, and which one training would use', async () => {
    const { core, call } = await coreOnNewWorkspace(await tempDir());
    try {
      const report = await call('app:doctor', {});
      expect(report.backends.map((b) => b.name)).toEqual(['node-gpu', 'node', 'wasm', 'cpu']);
      const byName = Object.fromEntries(report.backends.map((b) => [b.name, b]));
      expect(byName.wasm).toMatchObject({ available: true, version: '4.22.0' });
      expect(byName.cpu).toMatchObject({ available: true });
      for (const native of [byName.node!, byName['node-gpu']!]) {
        if (!native.available) expect(native.detail).toMatch(/^(not installed|installed, native library missing|installed with its native library, but no NVIDIA GPU|installed with its native library; not loaded here)/);
      }
      expect(report.selected).toBe(report.backends.find((b) => b.available)!.name);
      expect(report.backends.filter((b) => b.selected)).toHaveLength(1);
      expect(report.machine.cores).toBeGreaterThan(0);
      expect(report.trainingMemoryLimitBytes).toBeGreaterThan(0);
    } finally {
      await core.close();
    }
  });
});
