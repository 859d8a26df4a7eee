import type * as Tf from '@tensorflow/tfjs-core';
import { failure } from '../../errors.ts';
import { SeededRandom } from '../data/seeded-random.ts';
import { backward, forward, initialParameters, kernelMask, networkLayout, type NetworkShape, type TfCore } from './network.ts';

/**
 * Training as a loop of our own (not model.fit): each epoch shuffles the training rows with the
 * seed, uploads them batch by batch, and steps Adam on the flat parameter vector; the training
 * loss, accuracy or MAE accumulate on the backend and are read once per epoch, with the
 * validation pass. Early stopping watches the validation loss and restores the best epoch's
 * parameters. A loss that is NaN or infinite stops training with a failure naming the epoch.
 *
 * Losses are Keras's: softmax cross-entropy (each row weighted by its class's weight, then the
 * mean over rows) or the mean squared error of the standardised target, plus l2 · Σ kernel².
 * The reported loss adds the L2 term of the parameters at the end of the epoch.
 */
export interface LoopPart {
  /** Inputs, row-major: rows × inputs. */
  x: Float32Array;
  /** Class indices, or standardised targets. */
  y: Float32Array;
  rows: number;
}

export interface LoopOptions {
  task: 'classification' | 'regression';
  epochs: number;
  batchSize: number;
  learningRate: number;
  dropout: number;
  l2: number;
  seed: number;
  /** Epochs without a better validation loss before stopping; 0: never stop early. */
  patience: number;
  /** Per class (classification): the weight of its rows in the loss. */
  classWeights: readonly number[] | null;
  /** Regression: the target's standard deviation, to report MAE in its units. */
  targetStd?: number;
  /** Called after every epoch with its metrics (NaN included). */
  onEpoch(epoch: number, metrics: Record<string, number>): void;
}

export interface LoopResult {
  /** The parameters of the best epoch (by validation loss), or of the last. */
  parameters: Float32Array;
  epochsTrained: number;
  bestEpoch: number;
  stoppedEarly: boolean;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;
const EVAL_CHUNK = 8192;
/** Keras's epsilon: probabilities are clipped to [CLIP, 1 − CLIP] in the loss. */
const CLIP = 1e-7;

export function trainNetwork(tf: TfCore, shape: NetworkShape, train: LoopPart, validation: LoopPart, options: LoopOptions): LoopResult {
  const layout = networkLayout(shape);
  const classification = options.task === 'classification';
  const k = shape.outputs;
  const d = shape.inputs;
  const shuffleRandom = new SeededRandom(options.seed + 1);
  const dropoutRandom = new SeededRandom(options.seed + 2);

  const variable = (initial: Tf.Tensor1D) => {
    const made = tf.variable(initial);
    initial.dispose(); // the variable holds the data; the first tensor is no longer needed
    return made;
  };
  const parameters = variable(tf.tensor1d(initialParameters(layout, options.seed)));
  const m = variable(tf.zeros([layout.size]));
  const v = variable(tf.zeros([layout.size]));
  const mask = tf.tensor1d(kernelMask(layout));
  const constants = {
    beta1: tf.scalar(BETA1),
    oneMinusBeta1: tf.scalar(1 - BETA1),
    beta2: tf.scalar(BETA2),
    oneMinusBeta2: tf.scalar(1 - BETA2),
    epsilon: tf.scalar(EPSILON),
    kernelMask: mask,
    l2Mask: options.l2 > 0 ? tf.mul(mask, 2 * options.l2) : null,
  };
  const kept = [parameters, m, v, ...Object.values(constants).filter((t): t is Tf.Tensor => t !== null)];
  let best: Tf.Tensor1D | null = null;

  const order = Int32Array.from({ length: train.rows }, (_, i) => i);
  const xEpoch = new Float32Array(train.rows * d);
  const yEpoch = new Float32Array(train.rows);
  /** Per batch size, a row of ones: the bias gradient is that row times the output gradient. */
  const onesRows = new Map<number, Tf.Tensor2D>();
  const sumOverRows = (gradient: Tf.Tensor2D) => {
    const rows = gradient.shape[0];
    let ones = onesRows.get(rows);
    if (!ones) onesRows.set(rows, (ones = tf.keep(tf.ones([1, rows]))));
    return tf.matMul(ones, gradient);
  };
  let step = 0;
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let epochsTrained = 0;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      shuffleRandom.shuffle(order);
      gatherRows(train, order, d, xEpoch, yEpoch);
      let sums = tf.zeros([2]); // [Σ row losses, Σ correct rows or Σ |error|]
      for (let start = 0; start < train.rows; start += options.batchSize) {
        const rows = Math.min(options.batchSize, train.rows - start);
        step++;
        const alpha = (options.learningRate * Math.sqrt(1 - BETA2 ** step)) / (1 - BETA1 ** step);
        const dropoutSeed = options.dropout > 0 ? dropoutRandom.nextUint32() : 0;
        const next = tf.tidy(() => {
          const x = tf.tensor2d(xEpoch.subarray(start * d, (start + rows) * d), [rows, d]);
          const y = yEpoch.subarray(start, start + rows);
          const pass = forward(tf, shape, layout, parameters, x, options.dropout, dropoutSeed);
          const { rowLosses, outputGradient, second } = classification ? crossEntropy(tf, pass.output, y, k, options.classWeights) : squaredError(tf, pass.output, y, options.targetStd ?? 1);
          let gradient = backward(tf, shape, layout, pass, outputGradient, sumOverRows);
          if (constants.l2Mask) gradient = tf.add(gradient, tf.mul(constants.l2Mask, parameters));
          m.assign(tf.add(tf.mul(constants.beta1, m), tf.mul(constants.oneMinusBeta1, gradient)));
          v.assign(tf.add(tf.mul(constants.beta2, v), tf.mul(constants.oneMinusBeta2, tf.square(gradient))));
          parameters.assign(tf.sub(parameters, tf.mul(tf.scalar(alpha), tf.div(m, tf.add(tf.sqrt(v), constants.epsilon)))));
          return tf.add(sums, tf.stack([tf.sum(rowLosses), second]));
        });
        sums.dispose();
        sums = next;
      }
      const penalty = options.l2 > 0 ? tf.tidy(() => tf.mul(tf.sum(tf.square(tf.mul(constants.kernelMask, parameters))), options.l2)) : tf.scalar(0);
      const validationSums = evaluate(tf, shape, layout, parameters, validation, classification, options.targetStd ?? 1);
      const read = tf.tidy(() => tf.concat([sums, tf.reshape(penalty, [1]), validationSums]));
      const [lossSum, secondSum, l2Term, validationLossSum, validationSecondSum] = read.dataSync() as Float32Array;
      tf.dispose([read, sums, penalty, validationSums]);
      const loss = (lossSum as number) / train.rows + (l2Term as number);
      const validationLoss = validation.rows === 0 ? Number.NaN : (validationLossSum as number) / validation.rows + (l2Term as number);
      const metrics: Record<string, number> = classification
        ? { loss, accuracy: (secondSum as number) / train.rows, val_loss: validationLoss, val_accuracy: (validationSecondSum as number) / validation.rows }
        : { loss, mae: (secondSum as number) / train.rows, val_loss: validationLoss, val_mae: (validationSecondSum as number) / validation.rows };
      epochsTrained = epoch;
      options.onEpoch(epoch, metrics);
      if (!Number.isFinite(loss) || (validation.rows > 0 && !Number.isFinite(validationLoss))) throw diverged(epoch, options.epochs, loss, validationLoss, options.learningRate);

      const watched = validation.rows > 0 ? validationLoss : loss;
      if (watched < bestLoss) {
        bestLoss = watched;
        bestEpoch = epoch;
        best?.dispose();
        best = tf.clone(parameters) as Tf.Tensor1D;
      } else if (options.patience > 0 && epoch - bestEpoch >= options.patience) {
        stoppedEarly = true;
        break;
      }
    }
    const chosen = best ?? parameters;
    return { parameters: chosen.dataSync() as Float32Array, epochsTrained, bestEpoch: bestEpoch || epochsTrained, stoppedEarly };
  } finally {
    best?.dispose();
    tf.dispose([...kept, ...onesRows.values()]);
  }
}

/** The training rows in the epoch's order (a small function of its own, so it is compiled as a tight loop). */
function gatherRows(train: LoopPart, order: Int32Array, d: number, x: Float32Array, y: Float32Array): void {
  const from = train.x;
  for (let i = 0; i < order.length; i++) {
    const row = order[i] as number;
    const source = row * d;
    const target = i * d;
    for (let j = 0; j < d; j++) x[target + j] = from[source + j] as number;
    y[i] = train.y[row] as number;
  }
}

/**
 * Row losses, the gradient with respect to the logits, and the number of rows predicted right.
 * The loss is Keras's categorical cross-entropy of the probabilities clipped to [1e-7, 1 − 1e-7];
 * the gradient, softmax − truth, is exact.
 */
function crossEntropy(tf: TfCore, logits: Tf.Tensor2D, y: Float32Array, k: number, classWeights: readonly number[] | null) {
  const rows = y.length;
  const labels = Int32Array.from(y);
  const oneHot = new Float32Array(rows * k);
  for (let i = 0; i < rows; i++) oneHot[i * k + (labels[i] as number)] = 1;
  const truth = tf.tensor2d(oneHot, [rows, k]);
  const probabilities = tf.softmax(logits);
  let rowLosses = tf.neg(tf.sum(tf.mul(truth, tf.log(tf.clipByValue(probabilities, CLIP, 1 - CLIP))), 1));
  let scale: Tf.Tensor | number = 1 / rows;
  if (classWeights) {
    const weights = tf.tensor1d(Float32Array.from(labels, (label) => classWeights[label] as number));
    rowLosses = tf.mul(rowLosses, weights);
    scale = tf.reshape(tf.div(weights, rows), [rows, 1]);
  }
  const outputGradient = tf.mul(tf.sub(probabilities, truth), scale) as Tf.Tensor2D;
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(labels, 'int32')), 'float32'));
  return { rowLosses, outputGradient, second: correct };
}

/** Row losses, the gradient with respect to the outputs, and Σ |error| in the target's units. */
function squaredError(tf: TfCore, output: Tf.Tensor2D, y: Float32Array, targetStd: number) {
  const rows = y.length;
  const error = tf.sub(output, tf.tensor2d(y, [rows, 1]));
  return { rowLosses: tf.square(error), outputGradient: tf.mul(error, 2 / rows) as Tf.Tensor2D, second: tf.mul(tf.sum(tf.abs(error)), targetStd) };
}

/** [Σ row losses, Σ correct or Σ |error|] over a part, without dropout or class weights (as Keras validates). */
function evaluate(tf: TfCore, shape: NetworkShape, layout: ReturnType<typeof networkLayout>, parameters: Tf.Tensor1D, part: LoopPart, classification: boolean, targetStd: number): Tf.Tensor1D {
  let sums = tf.zeros([2]) as Tf.Tensor1D;
  const d = shape.inputs;
  for (let start = 0; start < part.rows; start += EVAL_CHUNK) {
    const rows = Math.min(EVAL_CHUNK, part.rows - start);
    const next = tf.tidy(() => {
      const x = tf.tensor2d(part.x.subarray(start * d, (start + rows) * d), [rows, d]);
      const y = part.y.subarray(start, start + rows);
      const { output } = forward(tf, shape, layout, parameters, x);
      const result = classification ? crossEntropy(tf, output, y, shape.outputs, null) : squaredError(tf, output, y, targetStd);
      return tf.add(sums, tf.stack([tf.sum(result.rowLosses), result.second])) as Tf.Tensor1D;
    });
    sums.dispose();
    sums = next;
  }
  return sums;
}

function diverged(epoch: number, epochs: number, loss: number, validationLoss: number, learningRate: number) {
  const what = !Number.isFinite(loss) ? `the training loss became ${loss}` : `the validation loss became ${validationLoss}`;
  return failure('INVALID_INPUT', `Training diverged at epoch ${epoch} of ${epochs}: ${what}. The metrics of the epochs before it are kept.`, {
    hint: `Try a lower learning rate (this run used ${learningRate}; try ${Number((learningRate / 10).toPrecision(2))}), or a smaller l2 penalty, then train again.`,
    location: { field: 'learningRate' },
  });
}
