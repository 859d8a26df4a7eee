import type { ModelTask } from '../../../shared/contract/monitoring.ts';
import { failure } from '../../core/errors.ts';

/**
 * A label from the feedback endpoint, checked against what the model predicts: a classifier's
 * label must be one of its classes (true/false are taken for a class spelled that way, or for
 * 1/0), a regressor's a finite number. The task comes from the version's training reference;
 * without one, from what the model answered (classes are strings, numbers are a regressor's).
 */
export type FeedbackLabel = string | number | boolean;

export function checkLabel(model: string, task: ModelTask | { kind: 'classification' | 'regression'; classes?: undefined }, label: FeedbackLabel, field = 'label'): string | number {
  if (task.kind === 'regression') {
    if (typeof label === 'number' && Number.isFinite(label)) return label;
    throw failure('INVALID_INPUT', `Model ${model} is a regressor: its label is a number; ${describe(label)} is not one.`, { hint: 'Send the true value as a JSON number.', location: { field } });
  }
  if (typeof label === 'number' && !Number.isFinite(label)) throw failure('INVALID_INPUT', `The label ${String(label)} is not a class.`, { location: { field } });
  const classes = task.classes;
  if (!classes) return typeof label === 'boolean' ? String(label) : label;
  const text = String(label);
  if (classes.includes(text)) return text;
  if (typeof label === 'boolean') {
    const spelled = classes.find((name) => name.toLowerCase() === text) ?? classes.find((name) => name === (label ? '1' : '0'));
    if (spelled !== undefined) return spelled;
  }
  const shown = classes.length > 20 ? `${classes.slice(0, 20).join(', ')} … (${classes.length} in all)` : classes.join(', ');
  throw failure('INVALID_INPUT', `Model ${model} is a classifier with classes ${shown}; label ${describe(label)} is not one of them.`, {
    hint: 'Send the true class exactly as the model names it.',
    location: { field },
  });
}

function describe(label: FeedbackLabel): string {
  return typeof label === 'string' ? JSON.stringify(label.length > 60 ? `${label.slice(0, 60)}…` : label) : String(label);
}
