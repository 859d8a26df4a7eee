import { describe, expect, it } from 'vitest';
import type { LatheEvent } from '../../../shared/contract/calls.ts';
import type { Sweep } from '../../../shared/contract/sweeps.ts';
import { startScript } from '../testing/child-process.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { refusal } from '../testing/refusal.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

const tempDir = useTempDirs();

/** A small sweep of the built-in MLP on the penguins sample. */
function penguinsSweep(overrides: Record<string, unknown> = {}, fixed: Record<string, unknown> = {}) {
  return {
    train: { kind: 'builtin' as const, dataset: 'penguins', target: 'Species', fixed: { epochs: 2, hidden: [8], ...fixed } },
    method: 'grid' as const,
    metric: { name: 'val_loss', goal: 'minimize' as const },
    parameters: { learningRate: { values: [0.01, 0.003] } },
    parallel: 2,
    ...overrides,
  };
}

async function penguinsWorkspace() {
  const root = await tempDir();
  const fixture = await coreOnNewWorkspace(root);
  await fixture.call('datasets:import-sample', { workspace: fixture.workspace });
  return { ...fixture, root };
}

describe('sweeps of the built-in models', () => {
  it('run each trial as a run tagged with the sweep, keep the record, and name the best run', { timeout: 120_000 }, async () => {
    const { core, call, workspace, root } = await penguinsWorkspace();
    try {
      const sweep = await call('sweeps:create', { workspace, spec: penguinsSweep(), wait: true });
      expect(sweep).toMatchObject({ status: 'finished', planned: 2, parallel: 2, counts: { finished: 2, running: 0, stopped: 0, failed: 0 }, experiment: 'penguins' });
      expect(sweep.spec.train).toMatchObject({ kind: 'builtin', version: 1 });
      const best = sweep.trials.reduce((a, b) => (b.metric! < a.metric! ? b : a));
      expect(sweep.best).toMatchObject({ number: best.number, runId: best.runId, metric: best.metric });
      for (const trial of sweep.trials) {
        const run = await call('runs:get', { workspace, runId: trial.runId! });
        expect(run.status).toBe('FINISHED');
        expect(run.systemTags).toMatchObject({ 'lathe.sweep': sweep.id, 'lathe.sweep.trial': String(trial.number) });
        expect(Number(run.params.learningRate)).toBe(trial.params.learningRate);
        expect(run.params.epochs).toBe('2');
        expect(trial.metric).toBe(run.metrics.val_loss!.value);
      }
      // Another process (a restart) reads it from disk the same.
      const { core: later, call: callLater } = await coreOnNewWorkspace(root);
      try {
        expect(await callLater('sweeps:get', { workspace, id: sweep.id })).toEqual(sweep);
        expect((await callLater('sweeps:list', { workspace })).map((listed) => [listed.id, listed.status])).toEqual([[sweep.id, 'finished']]);
      } finally {
        await later.close();
      }
    } finally {
      await core.close();
    }
  });

  it('cancel stops the running trials (KILLED, stopped_by cancel, their epochs kept) and starts no more', { timeout: 120_000 }, async () => {
    const { core, call, workspace } = await penguinsWorkspace();
    try {
      const trained = new Promise<Sweep>((resolve) => {
        const off = core.events.on((event: LatheEvent) => {
          if (event.name !== 'sweeps:progress' || !event.payload.sweep.trials.some((trial) => trial.step !== null)) return;
          off();
          resolve(event.payload.sweep);
        });
      });
      const created = await call('sweeps:create', { workspace, spec: penguinsSweep({ parameters: { learningRate: { values: [0.01, 0.003, 0.001] } } }, { epochs: 5000, earlyStoppingPatience: 0 }) });
      expect(created.status).toBe('running');
      const { id } = await trained;
      const cancelled = await call('sweeps:cancel', { workspace, id });
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.trials.length).toBeLessThanOrEqual(2);
      for (const trial of cancelled.trials) {
        expect(trial).toMatchObject({ status: 'KILLED', stoppedBy: 'cancel' });
        const run = await call('runs:get', { workspace, runId: trial.runId! });
        expect(run.status).toBe('KILLED');
        expect(run.systemTags['lathe.stopped_by']).toBe('cancel');
      }
      expect(cancelled.trials.some((trial) => trial.step !== null)).toBe(true);
      expect((await call('sweeps:get', { workspace, id })).status).toBe('cancelled');
    } finally {
      await core.close();
    }
  });

  it('refuses a metric the model does not log, a goal that seeks the worst model, and a dataset that is not there, naming the field', { timeout: 60_000 }, async () => {
    const { core, call, workspace } = await penguinsWorkspace();
    try {
      const unknown = await refusal(call('sweeps:create', { workspace, spec: penguinsSweep({ metric: { name: 'test_rmse', goal: 'minimize' } }) }));
      expect(unknown).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'spec.metric.name' } });
      expect(unknown.message).toMatch(/do not log "test_rmse"; they log loss, accuracy, val_loss, val_accuracy, test_accuracy/);
      const backwards = await refusal(call('sweeps:create', { workspace, spec: penguinsSweep({ metric: { name: 'val_accuracy', goal: 'minimize' } }) }));
      expect(backwards).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'spec.metric.goal' }, hint: 'Set metric.goal to "maximize".' });
      const missing = await refusal(call('sweeps:create', { workspace, spec: { ...penguinsSweep(), train: { ...penguinsSweep().train, dataset: 'pengiuns' } } }));
      expect(missing).toMatchObject({ code: 'NOT_FOUND', location: { field: 'spec.train.dataset' } });
      const empty = await refusal(call('sweeps:create', { workspace, spec: penguinsSweep({ parameters: {} }) }));
      expect(empty.issues).toEqual([{ path: 'spec.parameters', message: 'the search space is empty: give at least one param to search' }]);
      expect(await call('sweeps:list', { workspace })).toEqual([]);
      expect((await refusal(call('sweeps:get', { workspace, id: 'sweep-20260101T000000Z-000000' }))).code).toBe('NOT_FOUND');
    } finally {
      await core.close();
    }
  });
});

describe('a process killed while its sweep runs', () => {
  it('leaves the sweep interrupted (not running forever), its trials and their runs FAILED, and a new sweep may start', { timeout: 120_000 }, async () => {
    const { core, workspace, root } = await penguinsWorkspace();
    await core.close();

    const child = startScript(new URL('./testing/sweep-crash-child.ts', import.meta.url), [workspace]);
    const id = (await child.line((line) => line.startsWith('training ') || line.startsWith('failed '))).replace(/^training /, '');
    child.child.kill('SIGKILL');
    expect(await child.exited).toBe(null);

    const { core: after, call } = await coreOnNewWorkspace(root);
    try {
      const sweep = await call('sweeps:get', { workspace, id });
      expect(sweep).toMatchObject({ status: 'interrupted', error: { code: 'CANCELLED', message: expect.stringMatching(/ended after \d of 3 trials/) } });
      expect(sweep.trials.length).toBeGreaterThan(0);
      for (const trial of sweep.trials) {
        expect(trial.status).toBe('FAILED');
        if (trial.runId) expect((await call('runs:get', { workspace, runId: trial.runId })).status).toBe('FAILED');
      }
      expect((await refusal(call('sweeps:cancel', { workspace, id: 'sweep-20260101T000000Z-000000' }))).code).toBe('NOT_FOUND');
      expect((await call('sweeps:cancel', { workspace, id })).status).toBe('interrupted');
      const again = await call('sweeps:create', { workspace, spec: penguinsSweep({ parameters: { learningRate: { values: [0.01] } } }), wait: true });
      expect(again.status).toBe('finished');
    } finally {
      await after.close();
    }
  });
});
