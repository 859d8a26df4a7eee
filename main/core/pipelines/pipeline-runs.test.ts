import { copyFile, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallName, InputOf, OutputOf, PayloadOf } from '../../../shared/contract/calls.ts';
import { dispatch } from '../dispatch.ts';
import { LatheFailure } from '../errors.ts';
import { createLatheCore } from '../lathe-core.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { sourceResourcesDir } from '../paths.ts';

/** Whole pipeline runs through the core's calls, as `lathe pipeline run` and the Pipelines page make them. */
const tempDir = useTempDirs();

type Progress = PayloadOf<'pipelines:progress'>;

async function workspaceWithPenguinsFile() {
  const fixture = await coreOnNewWorkspace(await tempDir());
  await copyFile(join(sourceResourcesDir(), 'samples/penguins.csv'), join(fixture.workspace, 'penguins.csv'));
  const progress: Progress[] = [];
  fixture.core.events.on((event) => {
    if (event.name === 'pipelines:progress') progress.push(structuredClone(event.payload));
  });
  const save = (steps: unknown[]) => fixture.call('pipelines:save', { workspace: fixture.workspace, text: JSON.stringify({ schemaVersion: 1, name: 'penguins', steps }, null, 2) });
  return { ...fixture, progress, save };
}

const importStep = { id: 'data', kind: 'import', file: 'penguins.csv', dataset: 'penguins' };
const trainStep = { id: 'train', kind: 'train', from: 'data', target: 'Species', params: { model: 'linear', epochs: 2 } };

describe('a pipeline run', () => {
  it('imports and trains in order, recording each step, its log and what it made', async () => {
    const { core, workspace, call, save, progress } = await workspaceWithPenguinsFile();
    try {
      await save([importStep, trainStep]);
      const run = await call('pipelines:run', { workspace, wait: true });

      expect(run).toMatchObject({ status: 'passed', pipeline: 'penguins', failedStep: null, error: null, commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
      expect(run.steps.map((step) => [step.id, step.status])).toEqual([['data', 'passed'], ['train', 'passed']]);
      expect(run.steps[0]!.outputs).toMatchObject({ dataset: 'penguins', version: 1, created: true, rows: 344 });
      expect(run.steps[1]!.outputs).toMatchObject({ runId: expect.stringMatching(/^[0-9a-f]{32}$/), model: 'linear', task: 'classification', test_accuracy: expect.any(Number) });
      expect(run.made.datasets).toEqual([{ name: 'penguins', version: 1, contentHash: expect.stringMatching(/^sha256:/), created: true }]);
      expect(run.made.runs).toEqual([{ runId: run.steps[1]!.outputs.runId, status: 'FINISHED' }]);
      expect(run.steps[0]!.log.join('\n')).toMatch(/Made penguins@1: 344 rows × 7 columns/);
      expect(run.steps[1]!.log.join('\n')).toMatch(/epoch \d of 2/);
      for (const step of run.steps) expect(step.durationMs).toBeGreaterThanOrEqual(0);

      // The training run is the same one the tracking store has, trained on the version the import made.
      const tracked = await call('runs:get', { workspace, runId: String(run.steps[1]!.outputs.runId) });
      expect(tracked.datasets[0]).toMatchObject({ name: 'penguins', contentHash: run.made.datasets[0]!.contentHash });

      // Every step went pending → running → passed, in order, as events.
      const statuses = progress.map((event) => event.run.steps.map((step) => step.status).join(','));
      expect([...new Set(statuses)]).toEqual(['running,pending', 'passed,pending', 'passed,running', 'passed,passed']);
      expect(progress.some((event) => event.log?.step === 'train')).toBe(true);

      // The record is on disk and listed; the runs list has no logs, the detail does.
      expect(await call('pipelines:runs', { workspace })).toEqual([expect.objectContaining({ id: run.id, status: 'passed', steps: [expect.not.objectContaining({ log: expect.anything() }), expect.anything()] })]);
      expect((await call('pipelines:run-detail', { workspace, id: run.id })).steps[1]!.log).toEqual(run.steps[1]!.log);

      // A second run of the same data makes no new version: the import step uses the one there is.
      const again = await call('pipelines:run', { workspace, wait: true });
      expect(again.steps[0]!.outputs).toMatchObject({ version: 1, created: false });
      expect((await call('pipelines:runs', { workspace })).map((r) => r.id)).toEqual([again.id, run.id]);
    } finally {
      await core.close();
    }
  });

  it('is FAILED at the step that fails, keeps what earlier steps made and runs nothing after it', async () => {
    const { core, workspace, call, save, progress } = await workspaceWithPenguinsFile();
    try {
      await save([importStep, { ...trainStep, target: 'Wingspan' }, { id: 'register', kind: 'register', from: 'train', name: 'penguins' }]);
      const run = await call('pipelines:run', { workspace, wait: true });

      expect(run).toMatchObject({ status: 'failed', failedStep: 'train' });
      // Whoever follows the run (the CLI's progress lines, the Pipelines page) sees the failed step with its duration.
      const failedSeen = progress.map((event) => event.run.steps[1]!).find((step) => step.status === 'failed')!;
      expect(failedSeen.durationMs).not.toBeNull();
      expect(failedSeen.endedAt).not.toBeNull();
      expect(run.error?.message).toMatch(/Wingspan/);
      expect(run.steps.map((step) => step.status)).toEqual(['passed', 'failed', 'skipped']);
      expect(run.steps[1]!.log.at(-1)).toMatch(/^Failed: .*Wingspan/);
      expect(run.steps[2]).toMatchObject({ startedAt: null, outputs: {} });
      // The import's version stays; nothing was registered.
      expect((await call('datasets:log', { workspace, name: 'penguins' })).map((v) => v.version)).toEqual([1]);
      expect(await call('models:list', { workspace })).toEqual([]);
    } finally {
      await core.close();
    }
  });

  it('refuses a deploy step when it reaches it: deploy steps are not built yet', async () => {
    const { core, workspace, call, save } = await workspaceWithPenguinsFile();
    try {
      const saved = await save([importStep, { id: 'ship', kind: 'deploy', target: 'staging' }]);
      expect(saved.file.problems).toEqual([expect.objectContaining({ severity: 'warning', path: 'steps.1.kind' })]);
      const run = await call('pipelines:run', { workspace, wait: true });
      expect(run).toMatchObject({ status: 'failed', failedStep: 'ship', error: { code: 'UNAVAILABLE', message: 'Step "ship": deploy steps are not built yet.' } });
      expect(run.steps.map((step) => step.status)).toEqual(['passed', 'failed']);
    } finally {
      await core.close();
    }
  });

  it('stops when cancelled: the training run is killed, the pipeline run ends cancelled', async () => {
    const { core, workspace, call, save, progress } = await workspaceWithPenguinsFile();
    try {
      await save([importStep, { ...trainStep, params: { model: 'linear', epochs: 2000 } }, { id: 'register', kind: 'register', from: 'train', name: 'penguins' }]);
      // Cancel the moment the train step logs its first epoch (driven by the run's own events).
      const cancelled = new Promise<void>((resolve) => {
        core.events.on((event) => {
          if (event.name === 'pipelines:progress' && event.payload.log?.step === 'train' && /epoch/.test(event.payload.log.lines.join(' ')) && event.payload.run.jobId) {
            void call('jobs:cancel', { workspace, jobId: event.payload.run.jobId }).then(() => resolve());
          }
        });
      });
      const started = await call('pipelines:run', { workspace });
      expect(started.status).toBe('running');
      await cancelled;
      const ended = await new Promise<Progress['run']>((resolve) => {
        const check = () => {
          const last = progress.at(-1)?.run;
          if (last && last.status !== 'running') resolve(last);
        };
        core.events.on(check);
        check();
      });
      expect(ended).toMatchObject({ status: 'cancelled', failedStep: 'train' });
      expect(ended.steps.map((step) => step.status)).toEqual(['passed', 'cancelled', 'cancelled']);
      const runId = String(ended.steps[1]!.outputs.runId);
      expect((await call('training:wait', { workspace, runId })).status).toBe('KILLED');
      expect(ended.made.runs).toEqual([{ runId, status: 'KILLED' }]);
    } finally {
      await core.close();
    }
  });

  it('refuses to run a pipeline with errors, naming the line, and one that does not exist', async () => {
    const { core, workspace, call } = await workspaceWithPenguinsFile();
    try {
      await expect(call('pipelines:run', { workspace })).rejects.toMatchObject({ error: { code: 'NOT_FOUND', message: 'This workspace has no lathe.pipeline.json yet.' } });
      const text = JSON.stringify({ schemaVersion: 1, steps: [importStep, { ...trainStep, from: 'later' }] }, null, 2);
      await expect(call('pipelines:save', { workspace, text })).rejects.toMatchObject({
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^lathe\.pipeline\.json line 13 \(steps\.1\.from\): There is no step "later"/), location: { file: 'lathe.pipeline.json', line: 13 } },
      });
      const file = await call('pipelines:get', { workspace });
      expect(file.exists).toBe(false);
      expect(await readFile(join(workspace, 'lathe.pipeline.json'), 'utf8').catch(() => null)).toBeNull();
    } finally {
      await core.close();
    }
  });

  it('runs one at a time in a workspace: a second run is refused while the first goes', async () => {
    const { core, workspace, call, save } = await workspaceWithPenguinsFile();
    try {
      await save([importStep, trainStep]);
      const first = await call('pipelines:run', { workspace });
      await expect(call('pipelines:run', { workspace })).rejects.toMatchObject({ error: { code: 'CONFLICT', message: expect.stringContaining(`Pipeline run ${first.id} of this workspace is still running`) } });
      await call('jobs:cancel', { workspace, jobId: first.jobId! });
    } finally {
      await core.close();
    }
  });

  it('from the browser (lathe serve) imports only files inside the workspace', async () => {
    const root = await tempDir();
    const core = createLatheCore({ frontDoor: 'browser', version: 'test', stateDir: join(root, 'state'), defaultWorkspace: join(root, 'default') });
    const call = async <N extends CallName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> => {
      const result = await dispatch(core.handlers, name, input);
      if (!result.ok) throw new LatheFailure(result.error);
      return result.value as OutputOf<N>;
    };
    try {
      const { path: workspace } = await call('workspace:create', { path: join(root, 'ws') });
      const outside = join(root, 'outside.csv');
      await copyFile(join(sourceResourcesDir(), 'samples/penguins.csv'), outside);
      // A symbolic link inside the workspace that points out of it is outside too.
      await symlink(outside, join(workspace, 'linked.csv'));
      for (const file of [outside, 'linked.csv', '../outside.csv']) {
        await call('pipelines:save', { workspace, text: JSON.stringify({ schemaVersion: 1, steps: [{ ...importStep, file }] }) });
        const run = await call('pipelines:run', { workspace, wait: true });
        expect(run).toMatchObject({ status: 'failed', failedStep: 'data', error: { code: 'FORBIDDEN', message: expect.stringContaining('outside the workspace') } });
      }
      await expect(call('datasets:list', { workspace })).resolves.toEqual([]);
    } finally {
      await core.close();
    }
  });
});
