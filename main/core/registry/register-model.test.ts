import { writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { calls } from '../../../shared/contract/calls.ts';
import { gitCli, gitFsck } from '../testing/git-cli.ts';
import { useTrainedWorkspace, type TrainedWorkspace } from '../testing/trained-workspace.ts';
import { refusal } from '../testing/refusal.ts';

/** Registering real trained runs (penguins, linear, 3 epochs): one workspace for the file, one model name per test. */
const trained = useTrainedWorkspace(2, 'lathe-registry-');
let t: TrainedWorkspace;
beforeAll(() => {
  t = trained();
});


const git = (...args: string[]) => gitCli(t.workspace, ...args);

describe('models:register', () => {
  it("records a run's model as version 1 with its lineage, test metrics, signature and artifacts by hash, in one commit", async () => {
    const { call, workspace, runIds } = t;
    const run = await call('runs:get', { workspace, runId: runIds[0]! });
    const headBefore = git('rev-parse', 'HEAD').trim();
    const version = calls['models:register'].output.parse(await call('models:register', { workspace, runId: run.id, name: 'penguin-species', description: 'Species from beak and flipper size' }));

    expect(version).toMatchObject({ name: 'penguin-species', version: 1, description: 'Species from beak and flipper size', aliases: [] });
    expect(version.lineage.run).toMatchObject({ id: run.id, name: 'penguins-1', experimentName: 'penguins', status: 'FINISHED', gitCommit: run.gitCommit });
    expect(version.lineage.dataset).toEqual({ name: 'penguins', version: 1, contentHash: run.datasets[0]!.contentHash });
    expect(version.lineage.workspaceCommit).toBe(headBefore);
    expect(version.lineage.environment).toEqual(run.environment);
    expect(version.lineage.params).toMatchObject({ model: 'linear', epochs: '3', seed: '1', target: 'Species' });
    expect(version.lineage.tags).toMatchObject({ 'lathe.source': 'training', 'lathe.backend': run.environment!.backend, 'lathe.model': 'linear' });
    expect(version.metrics.test_accuracy).toBe(run.metrics.test_accuracy!.value);
    expect(version.signature).toMatchObject({ task: 'classification', target: { name: 'Species' }, classes: ['Adelie', 'Chinstrap', 'Gentoo'] });
    // The artifacts are the run's, by hash: no bytes were copied.
    expect(version.artifacts).toEqual([...run.artifacts].sort((a, b) => a.path.localeCompare(b.path)));

    // One commit, with the registry's files and trailers, and nothing else.
    expect(git('rev-list', '--count', `${headBefore}..HEAD`).trim()).toBe('1');
    expect(git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(['models/penguin-species/model.json', 'models/penguin-species/versions/1.json']);
    const message = git('log', '-1', '--format=%B');
    expect(message).toContain(`Register penguin-species@1 from run penguins-1`);
    expect(message).toContain('Lathe-Model: penguin-species\nLathe-Version: 1\nLathe-Action: register\nLathe-Run: ' + run.id);
    gitFsck(workspace);

    // Read back, the version is the same.
    expect(await call('models:get-version', { workspace, ref: 'penguin-species@1' })).toEqual(version);
    expect(await call('models:get-version', { workspace, ref: 'penguin-species@latest' })).toEqual(version);
    expect(t.seen.some((event) => event.name === 'models:changed' && event.payload.name === 'penguin-species')).toBe(true);
  });

  it('numbers versions from 1 counting up, and lists and shows them', async () => {
    const { call, workspace, runIds } = t;
    const first = await call('models:register', { workspace, runId: runIds[0]!, name: 'counted' });
    const second = await call('models:register', { workspace, runId: runIds[1]!, name: 'counted', description: 'seed 2' });
    // The same run may become a version of a second model (MLflow allows it too).
    const other = await call('models:register', { workspace, runId: runIds[0]!, name: 'counted-too' });
    expect([first.version, second.version, other.version]).toEqual([1, 2, 1]);

    const shown = await call('models:show', { workspace, name: 'counted' });
    expect(shown.versions).toBe(2);
    expect(shown.versionList.map((v) => [v.version, v.runId, v.description])).toEqual([
      [2, runIds[1], 'seed 2'],
      [1, runIds[0], ''],
    ]);
    const listed = await call('models:list', { workspace });
    expect(listed.find((model) => model.name === 'counted')).toMatchObject({ versions: 2, latest: { version: 2, dataset: { name: 'penguins', version: 1 } }, aliases: {} });
    expect(listed.map((model) => model.name)).toEqual([...listed.map((model) => model.name)].sort());
  });

  it('gives concurrent registrations in one process distinct numbers', async () => {
    const { call, workspace, runIds } = t;
    const made = await Promise.all([0, 1, 0, 1].map((i) => call('models:register', { workspace, runId: runIds[i]!, name: 'at-once' })));
    expect(made.map((version) => version.version).sort()).toEqual([1, 2, 3, 4]);
    expect(git('log', '--format=%s', '--', 'models/at-once').trim().split('\n')).toHaveLength(4);
  });

  it('refuses runs that did not finish, runs without a model, deleted runs and unknown runs, each saying why', async () => {
    const { call, workspace, tracking } = t;
    const withStatus = (status: 'FAILED' | 'KILLED' | 'RUNNING') => {
      const run = tracking.createRun({ name: `a ${status} run` });
      if (status !== 'RUNNING') tracking.setStatus(run.id, status);
      return run.id;
    };
    const failed = await refusal(call('models:register', { workspace, runId: withStatus('FAILED'), name: 'refused' }));
    expect(failed).toMatchObject({ code: 'FAILED_PRECONDITION', message: expect.stringContaining('FAILED, so its model is not one to ship'), location: { field: 'runId' } });
    expect((await refusal(call('models:register', { workspace, runId: withStatus('KILLED'), name: 'refused' }))).message).toContain('was KILLED before it finished');
    expect((await refusal(call('models:register', { workspace, runId: withStatus('RUNNING'), name: 'refused' }))).message).toContain('is still running');

    const empty = tracking.createRun({ name: 'no model' });
    tracking.setStatus(empty.id, 'FINISHED');
    expect(await refusal(call('models:register', { workspace, runId: empty.id, name: 'refused' }))).toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringContaining('has no model to register: it holds no signature.json or preprocessing.json'),
      hint: expect.stringContaining('no artifacts at all'),
    });

    const deleted = await call('training:start', { workspace, dataset: 'penguins', target: 'Species', model: 'linear', epochs: 1 });
    await call('training:wait', { workspace, runId: deleted.runId });
    await call('runs:delete', { workspace, runId: deleted.runId });
    expect(await refusal(call('models:register', { workspace, runId: deleted.runId, name: 'refused' }))).toMatchObject({ code: 'FAILED_PRECONDITION', hint: expect.stringContaining(`lathe runs restore ${deleted.runId}`) });

    expect(await refusal(call('models:register', { workspace, runId: 'f'.repeat(32), name: 'refused' }))).toMatchObject({ code: 'NOT_FOUND', location: { field: 'runId' } });
    expect(await refusal(call('models:register', { workspace, runId: 'not-a-run', name: 'refused' }))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await refusal(call('models:register', { workspace, runId: t.runIds[0]!, name: '../escape' }))).toMatchObject({ code: 'INVALID_INPUT', issues: expect.arrayContaining([expect.objectContaining({ path: 'name' })]) });
    expect(await refusal(call('models:register', { workspace, runId: t.runIds[0]!, name: 'x', description: 'bad\u0000text' }))).toMatchObject({ code: 'INVALID_INPUT' });

    expect(await refusal(call('models:get-version', { workspace, ref: 'refused@1' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(git('ls-tree', '-d', '--name-only', 'HEAD', 'models/')).not.toContain('refused');
  });

  it('refuses a name that differs from a registered one only in case', async () => {
    const { call, workspace, runIds } = t;
    await call('models:register', { workspace, runId: runIds[0]!, name: 'CaseModel' });
    expect(await refusal(call('models:register', { workspace, runId: runIds[0]!, name: 'casemodel' }))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('"CaseModel" already exists') });
  });

  it('refuses a run whose stored model bytes are damaged, and registers nothing', async () => {
    const { call, workspace, writer } = t;
    const started = await call('training:start', { workspace, dataset: 'penguins', target: 'Species', model: 'linear', epochs: 1, seed: 9 });
    await call('training:wait', { workspace, runId: started.runId });
    const run = await call('runs:get', { workspace, runId: started.runId });
    const weights = run.artifacts.find((artifact) => artifact.path === 'model/weights.bin')!;
    const path = writer.blobs.pathOf(weights.contentHash);
    const { chmod } = await import('node:fs/promises');
    await chmod(path, 0o644);
    await writeFile(path, Buffer.alloc(weights.bytes, 7));
    const head = git('rev-parse', 'HEAD');

    const damaged = await refusal(call('models:register', { workspace, runId: run.id, name: 'damaged' }));
    expect(damaged).toMatchObject({ code: 'DATA_DAMAGED', message: expect.stringContaining('model/weights.bin') });
    expect(git('rev-parse', 'HEAD')).toBe(head);
  });
});
