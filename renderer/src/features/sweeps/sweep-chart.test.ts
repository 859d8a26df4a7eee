import { describe, expect, it } from 'vitest';
import { SweepSpec, type Sweep } from '../../../../shared/contract/sweeps.ts';
import { chartAxes } from './sweep-chart.tsx';

function sweep(goal: 'minimize' | 'maximize'): Sweep {
  const spec = SweepSpec.parse({
    train: { kind: 'builtin', dataset: 'penguins', target: 'Species' },
    method: 'random',
    metric: { name: goal === 'minimize' ? 'val_loss' : 'val_accuracy', goal },
    parameters: { learningRate: { min: 0.0001, max: 0.1, distribution: 'log_uniform' }, hidden: { values: [[8], [16, 8]] } },
    runCap: 2,
  });
  const trial = (number: number, learningRate: number, hidden: number[], metric: number | null) => ({ number, runId: null, params: { learningRate, hidden }, status: 'FINISHED' as const, stoppedBy: null, metric, step: 2, error: null });
  return {
    id: 'sweep-20261130T000000Z-abcdef', name: 's', status: 'finished', method: 'random', metric: spec.metric, planned: 2, parallel: 1, seed: 1,
    counts: { running: 0, finished: 2, stopped: 0, failed: 0 }, best: null, experiment: 'penguins', createdAt: '', endedAt: null, error: null, spec,
    trials: [trial(1, 0.001, [8], 0.5), trial(2, 0.05, [16, 8], 0.2)],
  };
}

describe('the sweep chart', () => {
  it('has an axis per searched param and the metric last; a log-uniform param on a log axis', () => {
    const axes = chartAxes(sweep('minimize'), {});
    expect(axes.map((axis) => axis.key)).toEqual(['learningRate', 'hidden', 'val_loss']);
    expect(axes[0]).toMatchObject({ kind: 'numeric', log: true });
    expect(axes[1]).toMatchObject({ kind: 'categorical', categories: ['8', '16,8'] });
  });

  it('puts the best trial at the top: a metric to minimize is flipped, one to maximize is not', () => {
    expect(chartAxes(sweep('minimize'), {})[2]!.flipped).toBe(true);
    expect(chartAxes(sweep('maximize'), {})[2]!.flipped).toBe(false);
    expect(chartAxes(sweep('minimize'), { val_loss: { flipped: false } })[2]!.flipped).toBe(false);
  });
});
