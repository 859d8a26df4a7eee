import { continuousKnobs, wholeNumberKnobs, type Distribution, type SweepableKnob } from '../../../../shared/contract/sweeps.ts';

/**
 * The "New sweep" form as typed (every field text, as inputs hold it), and the spec it writes.
 * The spec is then checked by the contract's own schema, so the form shows exactly the problems
 * main would refuse, each at its JSON path.
 */
export interface ParamDraft {
  name: SweepableKnob;
  mode: 'values' | 'range';
  /** Values as typed: `0.1, 0.01`; `relu, tanh`; hidden layers as `16; 32,16` (one shape per `;`). */
  values: string;
  min: string;
  max: string;
  distribution: Distribution;
}

export interface SweepDraft {
  name: string;
  dataset: string;
  target: string;
  model: 'mlp' | 'linear';
  epochs: string;
  method: 'grid' | 'random';
  metric: string;
  goal: 'minimize' | 'maximize';
  params: ParamDraft[];
  runCap: string;
  parallel: string;
  early: 'none' | 'median' | 'hyperband';
  minSteps: string;
  minIter: string;
  eta: string;
  seed: string;
}

export const emptyDraft: SweepDraft = {
  name: '',
  dataset: '',
  target: '',
  model: 'mlp',
  epochs: '5',
  method: 'random',
  metric: 'val_loss',
  goal: 'minimize',
  params: [{ name: 'learningRate', mode: 'range', values: '0.01, 0.001', min: '0.0001', max: '0.1', distribution: 'log_uniform' }],
  runCap: '8',
  parallel: '',
  early: 'none',
  minSteps: '3',
  minIter: '1',
  eta: '3',
  seed: '',
};

/** A new param row, set up the way that knob is usually searched. */
export function newParam(name: SweepableKnob): ParamDraft {
  if (continuousKnobs.includes(name)) return { name, mode: 'range', values: '', min: name === 'learningRate' ? '0.0001' : '0', max: name === 'learningRate' ? '0.1' : '0.5', distribution: name === 'learningRate' ? 'log_uniform' : 'uniform' };
  if (wholeNumberKnobs.includes(name)) return { name, mode: 'range', values: '', min: name === 'batchSize' ? '16' : '1', max: name === 'batchSize' ? '128' : '10', distribution: 'int_uniform' };
  const values: Record<string, string> = { hidden: '16; 32,16', activation: 'relu, tanh', classWeights: 'none, balanced' };
  return { name, mode: 'values', values: values[name] ?? '', min: '', max: '', distribution: 'uniform' };
}

/** A typed number, or the text itself (so the schema names what is wrong with it). */
function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

export function parseValues(param: ParamDraft): unknown[] {
  if (param.name === 'hidden') {
    return param.values
      .split(/[;|]/)
      .map((shape) => shape.trim())
      .filter(Boolean)
      .map((shape) => shape.split(/[,\s]+/).filter(Boolean).map(numberOrText));
  }
  const items = param.values.split(',').map((item) => item.trim()).filter(Boolean);
  return continuousKnobs.includes(param.name) || wholeNumberKnobs.includes(param.name) ? items.map(numberOrText) : items;
}

/** The spec the form says, as JSON would hold it: empty optional fields are left out. */
export function specOfDraft(draft: SweepDraft): Record<string, unknown> {
  const optional = (text: string) => (text.trim() === '' ? undefined : numberOrText(text));
  const spec: Record<string, unknown> = {
    ...(draft.name.trim() ? { name: draft.name.trim() } : {}),
    train: {
      kind: 'builtin',
      dataset: draft.dataset,
      target: draft.target,
      model: draft.model,
      ...(draft.params.some((param) => param.name === 'epochs') || draft.epochs.trim() === '' ? {} : { fixed: { epochs: numberOrText(draft.epochs) } }),
    },
    method: draft.method,
    metric: { name: draft.metric, goal: draft.goal },
    parameters: Object.fromEntries(
      draft.params.map((param) => [
        param.name,
        param.mode === 'values' ? { values: parseValues(param) } : { min: numberOrText(param.min), max: numberOrText(param.max), distribution: param.distribution },
      ]),
    ),
  };
  for (const [key, text] of [['runCap', draft.runCap], ['parallel', draft.parallel], ['seed', draft.seed]] as const) {
    const value = optional(text);
    if (value !== undefined) spec[key] = value;
  }
  if (draft.early === 'median') spec.earlyTerminate = { type: 'median', minSteps: numberOrText(draft.minSteps) };
  if (draft.early === 'hyperband') spec.earlyTerminate = { type: 'hyperband', minIter: numberOrText(draft.minIter), eta: numberOrText(draft.eta) };
  return spec;
}

/** The JSON path a form field writes (problems at or under it are shown beside the field). */
export const fieldPaths = {
  name: 'name',
  dataset: 'train.dataset',
  target: 'train.target',
  model: 'train.model',
  epochs: 'train.fixed.epochs',
  method: 'method',
  metric: 'metric.name',
  goal: 'metric.goal',
  runCap: 'runCap',
  parallel: 'parallel',
  seed: 'seed',
  early: 'earlyTerminate',
} as const;

/** The problems at a path or under it. */
export function problemsAt<P extends { path: string }>(problems: readonly P[], path: string): P[] {
  return problems.filter((problem) => problem.path === path || problem.path.startsWith(`${path}.`));
}

/** The spec as JSON a person edits: two-space indents, and lists of numbers on one line (`[16, 8]`). */
export function specText(spec: unknown): string {
  return JSON.stringify(spec, null, 2).replace(/\[\s+([^[\]{}"]*?)\s+\]/g, (_whole, inner: string) => `[${inner.split(/,\s+/).join(', ')}]`);
}
