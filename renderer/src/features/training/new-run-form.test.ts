import { describe, expect, it } from 'vitest';
import { emptyForm, toStartInput } from './new-run-form.ts';

describe('the New run form', () => {
  it('leaves empty knobs to main and sends what the person typed', () => {
    const form = { ...emptyForm('penguins'), target: 'Species', epochs: '40', learningRate: '0.003', hidden: '128, 64', seed: '7' };
    expect(toStartInput(form)).toEqual({
      input: { dataset: 'penguins', target: 'Species', model: 'mlp', epochs: 40, learningRate: 0.003, hidden: [128, 64], seed: 7, classWeights: 'balanced' },
    });
  });

  it('sends no MLP knobs for a linear model, and the task only when chosen', () => {
    const form = { ...emptyForm('penguins'), target: 'Species', model: 'linear' as const, hidden: 'nonsense', dropout: 'x', task: 'regression' as const };
    expect(toStartInput(form)).toEqual({ input: { dataset: 'penguins', target: 'Species', model: 'linear', task: 'regression', classWeights: 'balanced' } });
  });

  it('says what is wrong, field by field', () => {
    const form = { ...emptyForm(), epochs: '2.5', learningRate: 'fast', hidden: '64,,32' };
    expect(toStartInput(form)).toEqual({
      problems: { dataset: 'choose a dataset', target: 'choose the column to predict', epochs: 'a whole number', learningRate: 'a number, like 0.001', hidden: 'layer sizes separated by commas, like 64,32' },
    });
  });
});
