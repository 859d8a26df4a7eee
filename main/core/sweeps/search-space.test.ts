import { describe, expect, it } from 'vitest';
import { gridPoints, plannedTrials } from './search-space.ts';

describe('grid search', () => {
  it('enumerates exactly the product of the values, the last param changing fastest', () => {
    const points = gridPoints({ activation: { values: ['relu', 'tanh'] }, epochs: { min: 2, max: 4, distribution: 'int_uniform' }, hidden: { values: [[8], [16, 8]] } });
    expect(points).toHaveLength(2 * 3 * 2);
    expect(new Set(points.map((point) => JSON.stringify(point))).size).toBe(12);
    expect(points.slice(0, 3)).toEqual([
      { activation: 'relu', epochs: 2, hidden: [8] },
      { activation: 'relu', epochs: 2, hidden: [16, 8] },
      { activation: 'relu', epochs: 3, hidden: [8] },
    ]);
    expect(points.at(-1)).toEqual({ activation: 'tanh', epochs: 4, hidden: [16, 8] });
  });

  it('stops at the run cap', () => {
    const points = plannedTrials({ method: 'grid', parameters: { learningRate: { values: [0.1, 0.01, 0.001] }, dropout: { values: [0, 0.5] } }, runCap: 4 }, 0);
    expect(points).toHaveLength(4);
  });
});

describe('random search', () => {
  const parameters = {
    learningRate: { min: 1e-4, max: 1e-1, distribution: 'log_uniform' as const },
    dropout: { min: 0.1, max: 0.3 },
    epochs: { min: 2, max: 5, distribution: 'int_uniform' as const },
    activation: { values: ['relu', 'tanh', 'elu'] },
  };

  it('draws the same trials for the same seed, and others for another seed', () => {
    const a = plannedTrials({ method: 'random', parameters, runCap: 20 }, 7);
    const b = plannedTrials({ method: 'random', parameters, runCap: 20 }, 7);
    const c = plannedTrials({ method: 'random', parameters, runCap: 20 }, 8);
    expect(a).toHaveLength(20);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('keeps every draw inside its range, whole numbers for int_uniform, listed values only', () => {
    const trials = plannedTrials({ method: 'random', parameters, runCap: 2000 }, 1);
    for (const trial of trials) {
      expect(trial.learningRate).toBeGreaterThanOrEqual(1e-4);
      expect(trial.learningRate).toBeLessThanOrEqual(1e-1);
      expect(trial.dropout).toBeGreaterThanOrEqual(0.1);
      expect(trial.dropout).toBeLessThan(0.3);
      expect(Number.isInteger(trial.epochs)).toBe(true);
      expect(['relu', 'tanh', 'elu']).toContain(trial.activation);
    }
    expect(new Set(trials.map((trial) => trial.epochs))).toEqual(new Set([2, 3, 4, 5]));
  });

  it('spreads a log-uniform draw evenly over the orders of magnitude, not over the values', () => {
    const trials = plannedTrials({ method: 'random', parameters: { learningRate: { min: 1e-4, max: 1, distribution: 'log_uniform' } }, runCap: 4000 }, 3);
    const perDecade = [0, 0, 0, 0];
    for (const trial of trials) perDecade[Math.min(3, Math.floor(Math.log10(trial.learningRate as number) + 4))]! += 1;
    // Uniform over the values would put ~90% in the last decade; log-uniform puts ~25% in each.
    for (const count of perDecade) expect(count / trials.length).toBeGreaterThan(0.2);
    for (const count of perDecade) expect(count / trials.length).toBeLessThan(0.3);
  });

  it('draws a uniform range evenly over its values', () => {
    const trials = plannedTrials({ method: 'random', parameters: { dropout: { min: 0, max: 0.8 } }, runCap: 4000 }, 4);
    const low = trials.filter((trial) => (trial.dropout as number) < 0.4).length / trials.length;
    expect(low).toBeGreaterThan(0.45);
    expect(low).toBeLessThan(0.55);
  });
});
