import type * as Tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Activation } from '../../../../shared/contract/training.ts';
import { SeededRandom } from '../data/seeded-random.ts';
import { buildLayersModel, importLayers, predictRows, saveLayersModel, type TfLayers } from './layers-model.ts';
import { backward, forward, initialParameters, networkLayout, type NetworkShape, type TfCore } from './network.ts';
import { trainNetwork } from './train-loop.ts';

let tf: TfCore;
let tfl: TfLayers;

beforeAll(async () => {
  tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  tfl = await importLayers(); // also registers TensorFlow.js's gradients, for the comparison below
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

function randomMatrix(rows: number, columns: number, seed: number): Float32Array {
  const random = new SeededRandom(seed);
  return Float32Array.from({ length: rows * columns }, () => random.next() * 2 - 1);
}

describe('the written-out backward pass', () => {
  const cases: [Activation, number][] = [
    ['relu', 0],
    ['tanh', 0],
    ['sigmoid', 0],
    ['elu', 0],
    ['selu', 0],
    ['relu', 0.3],
  ];
  it.each(cases)('matches TensorFlow.js\'s own gradient (%s, dropout %s)', (activation, dropout) => {
    const shape: NetworkShape = { inputs: 3, hidden: [5, 4], outputs: 3, activation };
    const layout = networkLayout(shape);
    const rows = 6;
    const x = tf.tensor2d(randomMatrix(rows, 3, 1), [rows, 3]);
    const labels = tf.tensor1d(Int32Array.from([0, 1, 2, 2, 1, 0]), 'int32');
    const truth = tf.cast(tf.oneHot(labels, 3), 'float32') as Tf.Tensor2D;
    const parameters = tf.tensor1d(initialParameters(layout, 5).map((w, i) => w + (i % 7) * 0.01)); // biases non-zero too
    const loss = (p: Tf.Tensor) => tf.mean(tf.neg(tf.sum(tf.mul(truth, tf.logSoftmax(forward(tf, shape, layout, p as Tf.Tensor1D, x, dropout, 99).output)), 1)));
    const automatic = tf.grad(loss)(parameters).dataSync();
    const written = tf.tidy(() => {
      const pass = forward(tf, shape, layout, parameters, x, dropout, 99);
      const outputGradient = tf.div(tf.sub(tf.softmax(pass.output), truth), rows) as Tf.Tensor2D;
      return backward(tf, shape, layout, pass, outputGradient).dataSync();
    });
    expect(written.length).toBe(layout.size);
    for (let i = 0; i < written.length; i++) expect(written[i]).toBeCloseTo(automatic[i]!, 5);
  });
});

describe('the training loop', () => {
  // Two Gaussian blobs, separable: class = sign of x0 + x1.
  const blobs = (rows: number, seed: number) => {
    const x = randomMatrix(rows, 2, seed);
    const y = Float32Array.from({ length: rows }, (_, i) => (x[2 * i]! + x[2 * i + 1]! > 0 ? 1 : 0));
    return { x, y, rows };
  };
  const options = { task: 'classification' as const, epochs: 30, batchSize: 16, learningRate: 0.05, dropout: 0, l2: 0, seed: 3, patience: 0, classWeights: null };

  it('learns, is exactly the same for a seed, and differs for another', () => {
    const shape: NetworkShape = { inputs: 2, hidden: [8], outputs: 2, activation: 'relu' };
    const tensorsBefore = tf.memory().numTensors;
    const seen: Record<string, number>[] = [];
    const first = trainNetwork(tf, shape, blobs(200, 1), blobs(50, 2), { ...options, onEpoch: (_epoch, metrics) => seen.push(metrics) });
    expect(seen).toHaveLength(30);
    expect(seen.at(-1)!.val_accuracy!).toBeGreaterThan(0.9);
    expect(seen.at(-1)!.loss!).toBeLessThan(seen[0]!.loss!);
    const again = trainNetwork(tf, shape, blobs(200, 1), blobs(50, 2), { ...options, onEpoch: () => undefined });
    expect(again.parameters).toEqual(first.parameters);
    const other = trainNetwork(tf, shape, blobs(200, 1), blobs(50, 2), { ...options, seed: 4, onEpoch: () => undefined });
    expect(other.parameters).not.toEqual(first.parameters);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('stops early after `patience` epochs without a better validation loss, keeping the best epoch', () => {
    const shape: NetworkShape = { inputs: 2, hidden: [32, 32], outputs: 2, activation: 'relu' };
    // Labels of the validation rows are the opposite rule: validation loss rises as training fits.
    const validation = blobs(50, 2);
    validation.y = validation.y.map((y) => 1 - y);
    const losses: number[] = [];
    const result = trainNetwork(tf, shape, blobs(200, 1), validation, { ...options, epochs: 200, patience: 3, onEpoch: (_e, m) => losses.push(m.val_loss!) });
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsTrained).toBe(result.bestEpoch + 3);
    expect(Math.min(...losses)).toBe(losses[result.bestEpoch - 1]);
  });

  it('stops at the first non-finite loss, after reporting that epoch, and says what to try', () => {
    const shape: NetworkShape = { inputs: 2, hidden: [], outputs: 2, activation: 'relu' };
    const train = blobs(40, 1);
    train.x[5] = Number.NaN;
    const tensorsBefore = tf.memory().numTensors;
    const seen: number[] = [];
    expect(() => trainNetwork(tf, shape, train, blobs(10, 2), { ...options, onEpoch: (_e, m) => seen.push(m.loss!) })).toThrow(
      expect.objectContaining({ error: expect.objectContaining({ message: expect.stringContaining('diverged at epoch 1 of 30: the training loss became NaN'), hint: expect.stringContaining('lower learning rate') }) }),
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeNaN();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});

describe('the saved model', () => {
  it('predicts what the network computes, and loads back from its model.json and weights', async () => {
    const shape: NetworkShape = { inputs: 4, hidden: [6, 5], outputs: 3, activation: 'tanh' };
    const layout = networkLayout(shape);
    const parameters = initialParameters(layout, 11);
    const x = randomMatrix(7, 4, 3);
    const expected = tf.tidy(() => tf.softmax(forward(tf, shape, layout, tf.tensor1d(parameters), tf.tensor2d(x, [7, 4])).output).dataSync());
    const model = buildLayersModel(tf, tfl, shape, parameters, { softmax: true });
    const predicted = predictRows(tf, model, x, 7, 4, 3);
    for (let i = 0; i < expected.length; i++) expect(predicted[i]).toBeCloseTo(expected[i]!, 6);

    const saved = await saveLayersModel(tf, tfl, model);
    const json = JSON.parse(saved.modelJson) as { format: string; modelTopology: object; weightsManifest: { paths: string[]; weights: Tf.io.WeightsManifestEntry[] }[] };
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: saved.weights.slice().buffer }));
    const again = predictRows(tf, loaded as never, x, 7, 4, 3);
    expect(again).toEqual(predicted);
    model.dispose();
    loaded.dispose();
  });

  it('folds a regression target\'s scale into its last layer, so it predicts in the target\'s units', () => {
    const shape: NetworkShape = { inputs: 2, hidden: [], outputs: 1, activation: 'relu' };
    const parameters = Float32Array.from([0.5, -1, 0.25]); // y = 0.5 a − b + 0.25, standardised
    const model = buildLayersModel(tf, tfl, shape, parameters, { softmax: false, scale: 10, shift: 100 });
    expect(Array.from(predictRows(tf, model, Float32Array.from([2, 1]), 1, 2, 1))).toEqual([102.5]);
    model.dispose();
  });
});
