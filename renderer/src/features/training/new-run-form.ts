import type { TrainingPlan, TrainingStartInput } from '../../../../shared/contract/training.ts';

type TrainingTask = TrainingPlan['task'];
type ModelKind = TrainingStartInput['model'];

/** The wizard's fields as a person types them (text), and how they become the call's input. */
export interface NewRunForm {
  dataset: string;
  version: number | null;
  target: string;
  task: TrainingTask | 'auto';
  model: ModelKind;
  epochs: string;
  batchSize: string;
  learningRate: string;
  hidden: string;
  dropout: string;
  seed: string;
  patience: string;
  classWeights: 'balanced' | 'none';
  experiment: string;
  runName: string;
}

export function emptyForm(dataset = ''): NewRunForm {
  return { dataset, version: null, target: '', task: 'auto', model: 'mlp', epochs: '', batchSize: '', learningRate: '', hidden: '64,32', dropout: '', seed: '', patience: '', classWeights: 'balanced', experiment: '', runName: '' };
}

export type FormProblems = Partial<Record<keyof NewRunForm, string>>;

/**
 * The input for training:start, or what is wrong with the form, field by field. Empty knobs are
 * left out: main picks defaults that fit the model and the data, and records them as params.
 */
export function toStartInput(form: NewRunForm): { input: Omit<TrainingStartInput, 'workspace'> } | { problems: FormProblems } {
  const problems: FormProblems = {};
  const whole = (field: keyof NewRunForm, text: string) => {
    if (text.trim() === '') return undefined;
    if (!/^\d+$/.test(text.trim())) problems[field] = 'a whole number';
    return Number(text);
  };
  const decimal = (field: keyof NewRunForm, text: string) => {
    if (text.trim() === '') return undefined;
    const n = Number(text);
    if (!Number.isFinite(n)) problems[field] = 'a number, like 0.001';
    return n;
  };
  if (!form.dataset) problems.dataset = 'choose a dataset';
  if (!form.target) problems.target = 'choose the column to predict';
  const epochs = whole('epochs', form.epochs);
  const batchSize = whole('batchSize', form.batchSize);
  const seed = whole('seed', form.seed);
  const patience = whole('patience', form.patience);
  const learningRate = decimal('learningRate', form.learningRate);
  const dropout = form.model === 'mlp' ? decimal('dropout', form.dropout) : undefined;
  let hidden: number[] | undefined;
  if (form.model === 'mlp' && form.hidden.trim() !== '') {
    const parts = form.hidden.split(',').map((part) => part.trim());
    if (parts.some((part) => !/^\d+$/.test(part))) problems.hidden = 'layer sizes separated by commas, like 64,32';
    else hidden = parts.map(Number);
  }
  if (Object.keys(problems).length > 0) return { problems };
  const input: Omit<TrainingStartInput, 'workspace'> = {
    dataset: form.dataset,
    target: form.target,
    model: form.model,
    ...(form.version ? { version: form.version } : {}),
    ...(form.task !== 'auto' ? { task: form.task } : {}),
    ...(epochs !== undefined ? { epochs } : {}),
    ...(batchSize !== undefined ? { batchSize } : {}),
    ...(learningRate !== undefined ? { learningRate } : {}),
    ...(hidden ? { hidden } : {}),
    ...(dropout !== undefined ? { dropout } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(patience !== undefined ? { earlyStoppingPatience: patience } : {}),
    classWeights: form.classWeights,
    ...(form.experiment.trim() ? { experiment: form.experiment.trim() } : {}),
    ...(form.runName.trim() ? { runName: form.runName.trim() } : {}),
  };
  return { input };
}
