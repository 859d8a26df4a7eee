import type * as Tf from '@tensorflow/tfjs-core';
import type * as Tfl from '@tensorflow/tfjs-layers';
import { networkLayout, type NetworkShape, type TfCore } from './network.ts';

/**
 * The trained parameters as a TensorFlow.js Layers model — dense layers, softmax on the last
 * for classification, the regression target's scale folded into the last layer so the model
 * outputs the target's own units — saved in TensorFlow.js's format (model.json + weights.bin,
 * loadable with tf.loadLayersModel). The test split is predicted with this very model, so the
 * evaluation describes the saved artifact, not a copy of it.
 */
export type TfLayers = typeof Tfl;

export interface SavedModel {
  modelJson: string;
  weights: Uint8Array;
}

export async function importLayers(): Promise<TfLayers> {
  return import('@tensorflow/tfjs-layers');
}

export function buildLayersModel(tf: TfCore, tfl: TfLayers, shape: NetworkShape, parameters: Float32Array, output: { softmax: true } | { softmax: false; scale: number; shift: number }): Tfl.Sequential {
  const layout = networkLayout(shape);
  const model = tfl.sequential({ name: 'lathe_model' });
  const last = layout.layers.length - 1;
  layout.layers.forEach((layer, l) => {
    const activation = l < last ? shape.activation : output.softmax ? 'softmax' : 'linear';
    model.add(tfl.layers.dense({ units: layer.outputs, activation, name: l < last ? `hidden_${l + 1}` : 'output', ...(l === 0 ? { inputShape: [layer.inputs] } : {}) }));
  });
  const weights = tf.tidy(() =>
    layout.layers.flatMap((layer, l) => {
      let kernel = parameters.slice(layer.kernelOffset, layer.biasOffset);
      let bias = parameters.slice(layer.biasOffset, layer.biasOffset + layer.outputs);
      if (l === last && !output.softmax) {
        kernel = kernel.map((w) => w * output.scale);
        bias = bias.map((b) => b * output.scale + output.shift);
      }
      return [tf.tensor2d(kernel, [layer.inputs, layer.outputs]), tf.tensor1d(bias)];
    }),
  );
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

export async function saveLayersModel(tf: TfCore, tfl: TfLayers, model: Tfl.Sequential): Promise<SavedModel> {
  let saved: SavedModel | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      saved = { modelJson: `${JSON.stringify(json)}\n`, weights };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
  if (!saved) throw new Error('The model was not saved');
  return saved;
}

/** The model's outputs for rows × width inputs, in chunks: rows × outputs. */
export function predictRows(tf: TfCore, model: Tfl.Sequential, x: Float32Array, rows: number, width: number, outputs: number): Float32Array {
  const result = new Float32Array(rows * outputs);
  const chunk = 8192;
  for (let start = 0; start < rows; start += chunk) {
    const n = Math.min(chunk, rows - start);
    const values = tf.tidy(() => (model.predict(tf.tensor2d(x.subarray(start * width, (start + n) * width), [n, width])) as Tf.Tensor).dataSync());
    result.set(values, start * outputs);
  }
  return result;
}
