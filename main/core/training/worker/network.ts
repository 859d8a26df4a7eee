import type * as Tf from '@tensorflow/tfjs-core';
import type { Activation } from '../../../../shared/contract/training.ts';
import { SeededRandom } from '../data/seeded-random.ts';

/**
 * The networks Lathe trains — dense layers, the linear model being one with no hidden layer —
 * with their forward and backward passes written out, on one flat vector of parameters.
 *
 * Why not tf.layers' model.fit or tf.grads: on small tabular batches the time goes into
 * per-operation overhead, not arithmetic. Writing the backward pass out avoids the gradient
 * tape's bookkeeping and lets every product take the backends' fast path (the WASM backend's
 * matMul with transposeA/transposeB is about ten times slower than transposing first); keeping
 * all parameters in one vector makes Adam a dozen operations per step instead of a dozen per
 * layer. network.test.ts checks these gradients against TensorFlow.js's automatic ones.
 *
 * Layout: for each layer, its kernel (inputs × outputs, row-major) then its bias.
 */
export type TfCore = typeof Tf;

export interface NetworkShape {
  inputs: number;
  hidden: readonly number[];
  outputs: number;
  activation: Activation;
}

export interface LayerSlot {
  inputs: number;
  outputs: number;
  kernelOffset: number;
  biasOffset: number;
}

export interface NetworkLayout {
  layers: LayerSlot[];
  size: number;
}

export function networkLayout(shape: NetworkShape): NetworkLayout {
  const widths = [shape.inputs, ...shape.hidden, shape.outputs];
  const layers: LayerSlot[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const inputs = widths[l] as number;
    const outputs = widths[l + 1] as number;
    layers.push({ inputs, outputs, kernelOffset: offset, biasOffset: offset + inputs * outputs });
    offset += inputs * outputs + outputs;
  }
  return { layers, size: offset };
}

/** Glorot-uniform kernels (as Keras's Dense) and zero biases, from the seed alone: the same on every backend. */
export function initialParameters(layout: NetworkLayout, seed: number): Float32Array {
  const random = new SeededRandom(seed);
  const parameters = new Float32Array(layout.size);
  for (const layer of layout.layers) {
    const limit = Math.sqrt(6 / (layer.inputs + layer.outputs));
    for (let i = 0; i < layer.inputs * layer.outputs; i++) parameters[layer.kernelOffset + i] = (random.next() * 2 - 1) * limit;
  }
  return parameters;
}

/** 1 at kernel entries, 0 at biases: L2 applies to kernels only (as Keras's kernelRegularizer). */
export function kernelMask(layout: NetworkLayout): Float32Array {
  const mask = new Float32Array(layout.size);
  for (const layer of layout.layers) mask.fill(1, layer.kernelOffset, layer.biasOffset);
  return mask;
}

export interface ForwardPass {
  /** Logits (classification) or values (regression): rows × outputs. */
  output: Tf.Tensor2D;
  /** Each layer's input (x, then each hidden layer's output after dropout). */
  inputs: Tf.Tensor2D[];
  /** Each hidden layer's activation before dropout (for its derivative). */
  activations: Tf.Tensor2D[];
  /** Each hidden layer's dropout mask, already divided by the keep rate; null without dropout. */
  masks: (Tf.Tensor2D | null)[];
  kernels: Tf.Tensor2D[];
}

/** Weights as views of the flat vector (call inside tf.tidy). */
export function layerTensors(tf: TfCore, layout: NetworkLayout, parameters: Tf.Tensor1D): { kernels: Tf.Tensor2D[]; biases: Tf.Tensor1D[] } {
  const kernels: Tf.Tensor2D[] = [];
  const biases: Tf.Tensor1D[] = [];
  for (const layer of layout.layers) {
    kernels.push(tf.reshape(tf.slice(parameters, layer.kernelOffset, layer.inputs * layer.outputs), [layer.inputs, layer.outputs]));
    biases.push(tf.slice(parameters, layer.biasOffset, layer.outputs));
  }
  return { kernels, biases };
}

/**
 * The forward pass (call inside tf.tidy). With `dropout` > 0 and `dropoutSeed`, hidden outputs
 * are dropped at that rate (and the rest scaled up), as in training.
 */
export function forward(tf: TfCore, shape: NetworkShape, layout: NetworkLayout, parameters: Tf.Tensor1D, x: Tf.Tensor2D, dropout = 0, dropoutSeed = 0): ForwardPass {
  const { kernels, biases } = layerTensors(tf, layout, parameters);
  const inputs: Tf.Tensor2D[] = [x];
  const activations: Tf.Tensor2D[] = [];
  const masks: (Tf.Tensor2D | null)[] = [];
  let h = x;
  const last = layout.layers.length - 1;
  for (let l = 0; l < last; l++) {
    const activation = activate(tf, shape.activation, h, kernels[l]!, biases[l]!);
    activations.push(activation);
    if (dropout > 0) {
      const keep = tf.step(tf.sub(tf.randomUniform(activation.shape, 0, 1, 'float32', dropoutSeed + l), dropout));
      const mask = tf.div(keep, 1 - dropout) as Tf.Tensor2D;
      masks.push(mask);
      h = tf.mul(activation, mask);
    } else {
      masks.push(null);
      h = activation;
    }
    inputs.push(h);
  }
  const output = tf.fused.matMul({ a: h, b: kernels[last]!, bias: biases[last]! }) as Tf.Tensor2D;
  return { output, inputs, activations, masks, kernels };
}

function activate(tf: TfCore, activation: Activation, h: Tf.Tensor2D, kernel: Tf.Tensor2D, bias: Tf.Tensor1D): Tf.Tensor2D {
  switch (activation) {
    case 'relu':
    case 'elu':
    case 'sigmoid':
      return tf.fused.matMul({ a: h, b: kernel, bias, activation }) as Tf.Tensor2D;
    case 'tanh':
      return tf.tanh(tf.fused.matMul({ a: h, b: kernel, bias })) as Tf.Tensor2D;
    case 'selu':
      return tf.selu(tf.fused.matMul({ a: h, b: kernel, bias })) as Tf.Tensor2D;
  }
}

const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

/** The activation's derivative, from its output h. */
function derivative(tf: TfCore, activation: Activation, h: Tf.Tensor2D): Tf.Tensor2D {
  switch (activation) {
    case 'relu':
      return tf.step(h);
    case 'sigmoid':
      return tf.mul(h, tf.sub(1, h));
    case 'tanh':
      return tf.sub(1, tf.square(h));
    case 'elu': // 1 where h > 0, else h + 1
      return tf.sub(tf.add(h, 1), tf.mul(tf.step(h), h));
    case 'selu': // scale where h > 0, else h + scale·alpha
      return tf.add(tf.mul(tf.step(h), tf.sub(SELU_SCALE - SELU_SCALE * SELU_ALPHA, h)), tf.add(h, SELU_SCALE * SELU_ALPHA));
  }
}

/**
 * The gradient of the loss with respect to every parameter, as one flat vector, given the
 * gradient with respect to the output (call inside tf.tidy). `sumOverRows` sums a gradient over
 * the batch for the biases; the training loop passes a product with a row of ones, which the
 * WASM backend computes several times faster than its column sum.
 */
export function backward(tf: TfCore, shape: NetworkShape, layout: NetworkLayout, pass: ForwardPass, outputGradient: Tf.Tensor2D, sumOverRows: (d: Tf.Tensor2D) => Tf.Tensor = (d) => tf.sum(d, 0)): Tf.Tensor1D {
  const pieces: Tf.Tensor[] = [];
  let d = outputGradient;
  for (let l = layout.layers.length - 1; l >= 0; l--) {
    const input = pass.inputs[l]!;
    // Transposing first keeps every product on the backends' plain (fast) matMul path.
    const kernelGradient = tf.matMul(tf.transpose(input), d);
    const biasGradient = tf.reshape(sumOverRows(d), [-1]);
    pieces.push(biasGradient, tf.reshape(kernelGradient, [-1]));
    if (l > 0) {
      let dh = tf.matMul(d, tf.transpose(pass.kernels[l]!));
      const mask = pass.masks[l - 1];
      if (mask) dh = tf.mul(dh, mask);
      d = tf.mul(dh, derivative(tf, shape.activation, pass.activations[l - 1]!));
    }
  }
  return tf.concat(pieces.reverse()) as Tf.Tensor1D;
}
