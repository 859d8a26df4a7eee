import { describe, expect, it } from 'vitest';
import { LatheFailure } from '../../core/errors.ts';
import { checkLabel } from './feedback-label.ts';

const classifier = { kind: 'classification' as const, classes: ['yes', 'no'] };

function refusal(act: () => unknown): LatheFailure['error'] {
  try {
    act();
  } catch (error) {
    if (error instanceof LatheFailure) return error.error;
  }
  throw new Error('expected a refusal');
}

describe('a feedback label', () => {
  it('is one of the classifier\'s classes, however it was typed', () => {
    expect(checkLabel('churn', classifier, 'yes')).toBe('yes');
    expect(checkLabel('flag', { kind: 'classification', classes: ['0', '1'] }, 1)).toBe('1');
    expect(checkLabel('flag', { kind: 'classification', classes: ['0', '1'] }, true)).toBe('1');
    expect(checkLabel('flag', { kind: 'classification', classes: ['False', 'True'] }, false)).toBe('False');
  });

  it('names the classes when it is not one of them, and the field it came in', () => {
    expect(refusal(() => checkLabel('churn', classifier, 3.5))).toMatchObject({ code: 'INVALID_INPUT', message: 'Model churn is a classifier with classes yes, no; label 3.5 is not one of them.', location: { field: 'label' } });
    expect(refusal(() => checkLabel('churn', classifier, 'Yes', 'labels[2]'))).toMatchObject({ location: { field: 'labels[2]' } });
  });

  it('is a finite number for a regressor', () => {
    expect(checkLabel('price', { kind: 'regression' }, 12.5)).toBe(12.5);
    expect(refusal(() => checkLabel('price', { kind: 'regression' }, 'cheap'))).toMatchObject({ message: 'Model price is a regressor: its label is a number; "cheap" is not one.' });
  });
});
