import { describe, expect, it } from 'vitest';
import { SweepSpec, type Sweep } from '../../../shared/contract/sweeps.ts';
import { plannedTrials } from './search-space.ts';
import { runSweep, type SweepDrive } from './sweep-controller.ts';
import { ScriptedTrainer } from './testing/scripted-trainer.ts';

function newSweep(spec: Partial<SweepSpec>, parallel: number): Sweep {
  const full = SweepSpec.parse({
    train: { kind: 'builtin', dataset: 'penguins', target: 'Species' },
    method: 'grid',
    metric: { name: 'val_loss', goal: 'minimize' },
    parameters: { learningRate: { values: [0.1, 0.01, 0.001, 0.0001] } },
    ...spec,
  });
  return {
    id: 'sweep-20261130T000000Z-abcdef',
    name: 'test sweep',
    status: 'running',
    method: full.method,
    metric: full.metric,
    planned: 0,
    parallel,
    seed: 1,
    counts: { running: 0, finished: 0, stopped: 0, failed: 0 },
    best: null,
    experiment: 'penguins',
    createdAt: new Date(0).toISOString(),
    endedAt: null,
    error: null,
    spec: full,
    trials: [],
  };
}

function drive(trainer: ScriptedTrainer, overrides: Partial<SweepDrive> = {}) {
  const saved: Sweep[] = [];
  const emitted: Sweep[] = [];
  const abort = new AbortController();
  const options: SweepDrive = {
    trainer,
    watched: { name: 'val_loss', goal: 'minimize' },
    save: async (sweep) => void saved.push(sweep),
    emit: (sweep) => void emitted.push(sweep),
    signal: abort.signal,
    now: () => 1000,
    ...overrides,
  };
  return { options, saved, emitted, abort };
}

/** A loss curve that falls from `start` by 10% an epoch. */
const falling = (start: number, epochs = 5) => Array.from({ length: epochs }, (_, i) => start * 0.9 ** i);

describe('a sweep', () => {
  it('runs every grid point once, as runs tagged with the sweep, and names the best', async () => {
    const sweep = newSweep({}, 2);
    const trainer = new ScriptedTrainer({ metric: 'val_loss', curveOf: (params) => falling(params.learningRate === 0.01 ? 0.2 : 1) });
    const { options, saved } = drive(trainer);
    const done = await runSweep(sweep, plannedTrials(sweep.spec, 0), options);
    expect(done.status).toBe('finished');
    expect(trainer.launches.map((launch) => launch.params.learningRate)).toEqual([0.1, 0.01, 0.001, 0.0001]);
    expect(trainer.launches.every((launch) => launch.tags['lathe.sweep'] === sweep.id)).toBe(true);
    expect(done.trials.map((trial) => trial.status)).toEqual(['FINISHED', 'FINISHED', 'FINISHED', 'FINISHED']);
    expect(done.counts).toEqual({ running: 0, finished: 4, stopped: 0, failed: 0 });
    expect(done.best).toMatchObject({ number: 2, params: { learningRate: 0.01 } });
    expect(done.best?.metric).toBeCloseTo(0.2 * 0.9 ** 4);
    expect(saved.at(-1)).toEqual(done);
  });

  it('never runs more trials at once than parallel, and does run that many', async () => {
    const sweep = newSweep({ parameters: { seed: { min: 1, max: 7, distribution: 'int_uniform' } } }, 3);
    const trainer = new ScriptedTrainer({ metric: 'val_loss', curveOf: () => falling(1, 2), hold: true });
    const running = runSweep(sweep, plannedTrials(sweep.spec, 0), drive(trainer).options);
    for (let ended = 0; ended < 7; ended += 1) {
      await trainer.holding(Math.min(3, 7 - ended));
      expect(trainer.active).toBeLessThanOrEqual(3);
      trainer.release();
    }
    const done = await running;
    expect(trainer.maxActive).toBe(3);
    expect(done.trials).toHaveLength(7);
    expect(done.counts.finished).toBe(7);
  });

  it('tells the front doors of metric points at most every 250 ms, and of a trial’s end at once', async () => {
    const sweep = newSweep({ parameters: { learningRate: { values: [0.1] } } }, 1);
    const trainer = new ScriptedTrainer({ metric: 'val_loss', curveOf: () => falling(1, 50) });
    const { options, emitted, saved } = drive(trainer); // the clock stands still: every point comes within 250 ms
    const done = await runSweep(sweep, plannedTrials(sweep.spec, 0), options);
    expect(emitted.filter((told) => told.trials[0]?.step !== null && told.trials[0]?.status === 'RUNNING')).toHaveLength(1);
    expect(emitted.at(-1)?.trials[0]).toMatchObject({ status: 'FINISHED', step: 50 });
    expect(saved.length).toBeLessThan(5);
    expect(done.trials[0]?.metric).toBeCloseTo(0.9 ** 49);
  });

  it('stops a clearly bad trial early (median stopping): KILLED, stopped_by median, its points kept', async () => {
    const sweep = newSweep({ earlyTerminate: { type: 'median', minSteps: 2 } }, 1);
    // Trials 1–3 learn; trial 4 (learning rate 0.0001) barely moves.
    const trainer = new ScriptedTrainer({ metric: 'val_loss', curveOf: (params, number) => (number === 4 ? [3, 2.9, 2.8, 2.7, 2.6] : falling(1 - number * 0.1)) });
    const done = await runSweep(sweep, plannedTrials(sweep.spec, 0), drive(trainer).options);
    expect(done.status).toBe('finished');
    expect(trainer.stops).toEqual(new Map([[4, 'median']]));
    expect(done.trials[3]).toMatchObject({ status: 'KILLED', stoppedBy: 'median', metric: 2.9, step: 2 });
    expect(done.counts).toEqual({ running: 0, finished: 3, stopped: 1, failed: 0 });
    expect(done.best?.number).toBe(3);
  });

  it('stops trials behind the rung with Hyperband', async () => {
    const sweep = newSweep({ earlyTerminate: { type: 'hyperband', minIter: 1, eta: 2 } }, 1);
    const trainer = new ScriptedTrainer({ metric: 'val_loss', curveOf: (_params, number) => falling(number === 1 ? 0.5 : number === 2 ? 2 : 0.4) });
    const done = await runSweep(sweep, plannedTrials(sweep.spec, 0), drive(trainer).options);
    expect(done.trials.map((trial) => trial.stoppedBy)).toEqual([null, 'hyperband', null, null]);
    expect(done.trials[1]).toMatchObject({ status: 'KILLED', step: 1 });
  });

  it('cancel stops every running trial, starts no more, and ends the sweep cancelled', async () => {
    const sweep = newSweep({ parameters: { seed: { min: 1, max: 6, distribution: 'int_uniform' } } }, 2);
    const trainer = new ScriptedTrainer({ metric: 'val_loss', curveOf: () => falling(1, 3), hold: true });
    const { options, abort, saved } = drive(trainer);
    const running = runSweep(sweep, plannedTrials(sweep.spec, 0), options);
    await trainer.holding(2);
    abort.abort();
    const done = await running;
    expect(done.status).toBe('cancelled');
    expect(trainer.launches.length).toBeLessThan(4);
    expect(done.trials.filter((trial) => trial.status === 'KILLED').every((trial) => trial.stoppedBy === 'cancel')).toBe(true);
    expect(done.trials.map((trial) => [trial.status, trial.stoppedBy])).toEqual([
      ['KILLED', 'cancel'],
      ['KILLED', 'cancel'],
    ]);
    expect(saved.at(-1)?.status).toBe('cancelled');
  });

  it('fails when a trial cannot start, stopping the others and starting no more', async () => {
    const sweep = newSweep({}, 2);
    const gone = Object.assign(new Error('gone'), {});
    const trainer = new ScriptedTrainer({ metric: 'val_loss', curveOf: () => falling(1, 3), hold: true, failStart: (number) => (number === 2 ? gone : null) });
    const done = await runSweep(sweep, plannedTrials(sweep.spec, 0), drive(trainer).options);
    expect(done.status).toBe('failed');
    expect(done.error?.message).toMatch(/gone/);
    expect(done.trials.map((trial) => trial.status)).toEqual(['KILLED', 'FAILED']);
    expect(trainer.launches).toHaveLength(1);
  });

  it('stops its trials when the sweep record cannot be saved (a full disk), and says so', async () => {
    const sweep = newSweep({}, 2);
    const trainer = new ScriptedTrainer({ metric: 'val_loss', curveOf: () => falling(1, 50) });
    let saves = 0;
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    const done = await runSweep(sweep, plannedTrials(sweep.spec, 0), drive(trainer, { save: async () => { if (++saves > 1) throw full; } }).options);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('DISK_ERROR');
    expect(done.trials.every((trial) => trial.status !== 'RUNNING')).toBe(true);
    expect(trainer.launches.length).toBeLessThan(4);
    expect(done.trials.filter((trial) => trial.status === 'KILLED').every((trial) => trial.stoppedBy === 'cancel')).toBe(true);
  });
});
