import { totalmem } from 'node:os';
import type { Activation, BackendName, ModelKind, TrainingKnobs } from '../../../shared/contract/training.ts';
import type { TrainingTask } from '../../../shared/training/infer-task.ts';
import { failure } from '../errors.ts';
import { TEST_FRACTION, VALIDATION_FRACTION } from './data/data-split.ts';
import { MAX_CATEGORIES } from './preprocessing/preprocessing-record.ts';

/**
 * Every knob of a training run with its default resolved — what the run records as params, and
 * what a reproduction reads back — and the memory a model would need to train.
 */
export interface ResolvedKnobs {
  model: ModelKind;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Empty for the linear model. */
  hidden: number[];
  activation: Activation;
  dropout: number;
  l2: number;
  seed: number;
  earlyStoppingPatience: number;
  classWeights: 'balanced' | 'none';
  backend: 'auto' | BackendName;
}

export const DEFAULT_SEED = 42;

export function resolveKnobs(knobs: TrainingKnobs, context: { task: TrainingTask; trainRows: number }): ResolvedKnobs {
  const linear = knobs.model === 'linear';
  if (linear) {
    for (const field of ['hidden', 'activation', 'dropout'] as const) {
      if (knobs[field] !== undefined) {
        throw failure('INVALID_INPUT', `${field} applies to the MLP only; the linear model has no hidden layers.`, {
          hint: 'Leave it out, or train with model "mlp".',
          location: { field },
        });
      }
    }
  }
  if (knobs.classWeights === 'balanced' && context.task !== 'classification') {
    throw failure('INVALID_INPUT', 'classWeights "balanced" weighs classes, so it applies to classification only.', { location: { field: 'classWeights' } });
  }
  return {
    model: knobs.model,
    epochs: knobs.epochs ?? (context.trainRows > 20_000 ? 30 : 100),
    batchSize: knobs.batchSize ?? defaultBatchSize(context.trainRows),
    learningRate: knobs.learningRate ?? (linear ? 0.01 : 0.003),
    hidden: linear ? [] : [...(knobs.hidden ?? [64, 32])],
    activation: knobs.activation ?? 'relu',
    dropout: knobs.dropout ?? 0,
    l2: knobs.l2 ?? (linear ? 0 : 1e-4),
    seed: knobs.seed ?? DEFAULT_SEED,
    earlyStoppingPatience: knobs.earlyStoppingPatience ?? 10,
    classWeights: knobs.classWeights ?? 'none',
    backend: knobs.backend ?? 'auto',
  };
}

/** 32 rows for small tables, up to 256 for large ones (a power of two near rows / 64). */
function defaultBatchSize(trainRows: number): number {
  return Math.min(256, Math.max(32, 2 ** Math.round(Math.log2(Math.max(1, trainRows) / 64))));
}

/** What the run records: every knob (the MLP's own only for the MLP), and how the data was split and encoded. */
export function knobParams(knobs: ResolvedKnobs): Record<string, string | number> {
  const params: Record<string, string | number> = {
    model: knobs.model,
    epochs: knobs.epochs,
    batchSize: knobs.batchSize,
    learningRate: knobs.learningRate,
    optimizer: 'adam',
    l2: knobs.l2,
    seed: knobs.seed,
    earlyStoppingPatience: knobs.earlyStoppingPatience,
    classWeights: knobs.classWeights,
    backend: knobs.backend,
    testFraction: TEST_FRACTION,
    validationFraction: VALIDATION_FRACTION,
    maxCategories: MAX_CATEGORIES,
  };
  if (knobs.model === 'mlp') Object.assign(params, { hidden: knobs.hidden.join(','), activation: knobs.activation, dropout: knobs.dropout });
  return params;
}

/** The knobs a run recorded, as training:start takes them (for a reproduction). */
export function knobsFromParams(params: Record<string, string>): TrainingKnobs {
  const number = (key: string) => (params[key] === undefined ? undefined : Number(params[key]));
  const model = params.model === 'linear' ? 'linear' : 'mlp';
  return {
    model,
    epochs: number('epochs'),
    batchSize: number('batchSize'),
    learningRate: number('learningRate'),
    l2: number('l2'),
    seed: number('seed'),
    earlyStoppingPatience: number('earlyStoppingPatience'),
    classWeights: params.classWeights === 'balanced' ? 'balanced' : 'none',
    backend: (params.backend as TrainingKnobs['backend']) ?? 'auto',
    ...(model === 'mlp'
      ? { hidden: (params.hidden ?? '64,32').split(',').map(Number), activation: (params.activation as Activation) ?? 'relu', dropout: number('dropout') }
      : {}),
  };
}

export function parameterCount(inputs: number, hidden: readonly number[], outputs: number): number {
  const widths = [inputs, ...hidden, outputs];
  let count = 0;
  for (let l = 0; l + 1 < widths.length; l++) count += (widths[l] as number) * (widths[l + 1] as number) + (widths[l + 1] as number);
  return count;
}

/**
 * Bytes training needs, roughly: parameters four times over (weights, gradient, Adam's two
 * moments) plus the best epoch's copy; a batch's activations a few times over (forward,
 * backward, temporaries); and the inputs of every row twice (JavaScript's copy and the epoch's
 * shuffled one).
 */
export function trainingBytes(spec: { inputs: number; hidden: readonly number[]; outputs: number; batchSize: number; rows: number }): number {
  const parameters = parameterCount(spec.inputs, spec.hidden, spec.outputs);
  const widths = spec.inputs + spec.hidden.reduce((sum, units) => sum + units, 0) + spec.outputs;
  return 4 * (5 * parameters + 4 * spec.batchSize * widths + 2 * spec.rows * spec.inputs);
}

/** WebAssembly's memory is 32-bit: TensorFlow.js's WASM backend cannot hold more than this. */
const WASM_MEMORY_BYTES = 2 * 1024 ** 3;

/** Training may use 40% of the machine's memory (and no more than WebAssembly can address on `wasm`). */
export function trainingMemoryLimit(backend: BackendName | 'auto', machineBytes = totalmem()): number {
  const share = Math.floor(machineBytes * 0.4);
  return backend === 'wasm' ? Math.min(share, WASM_MEMORY_BYTES) : share;
}

export function checkTrainingMemory(spec: Parameters<typeof trainingBytes>[0] & { model: ModelKind }, limit: number): void {
  const need = trainingBytes(spec);
  if (need <= limit) return;
  const parameters = parameterCount(spec.inputs, spec.hidden, spec.outputs);
  const shape = spec.model === 'mlp' ? `An MLP with hidden layers ${spec.hidden.join(',')}` : 'A linear model';
  throw failure('TOO_LARGE', `${shape} on ${spec.inputs.toLocaleString('en')} inputs has ${parameters.toLocaleString('en')} parameters and would need about ${gib(need)} to train; training may use at most ${gib(limit)} here.`, {
    hint: spec.model === 'mlp' ? 'Use fewer or smaller hidden layers (e.g. 64,32), or a smaller batch size.' : 'Use fewer columns or a smaller batch size.',
    location: { field: spec.model === 'mlp' ? 'hidden' : 'batchSize' },
  });
}

function gib(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.ceil(bytes / 1024 ** 2)} MiB`;
}
