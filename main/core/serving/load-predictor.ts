import type * as Tf from '@tensorflow/tfjs-core';
import { LatheFailure } from '../errors.ts';
import { predictedClasses } from '../training/evaluation/classification-metrics.ts';
import { signatureRecord, type Signature } from '../training/artifact-records.ts';
import { encodeRecords, inputWidth } from '../training/preprocessing/encode-features.ts';
import { preprocessingRecord, type Preprocessing } from '../training/preprocessing/preprocessing-record.ts';
import { importLayers, predictRows } from '../training/worker/layers-model.ts';
import type { TfCore } from '../training/worker/network.ts';
import type { Prediction, ServedModel } from './serving-messages.ts';

/**
 * A verified bundle's parts as a predictor: the preprocessing training fitted (applied by the
 * same code, encodeRecords, that training's encoding shares), and the TensorFlow.js layers model
 * training saved, loaded from memory. Rows in, one prediction per row out: for classification the
 * class with the highest probability and every class's probability, for regression the number.
 */
export const SERVED_PARTS = ['model/model.json', 'model/weights.bin', 'preprocessing.json', 'signature.json'] as const;

export interface Predictor {
  model: ServedModel;
  predict(rows: readonly Readonly<Record<string, unknown>>[]): Prediction[];
}

export async function loadPredictor(tf: TfCore, parts: Map<string, Uint8Array>, file: string): Promise<Predictor> {
  const text = (path: string) => new TextDecoder().decode(parts.get(path));
  const where = (path: string) => `${path} in ${file}`;
  const preprocessing: Preprocessing = preprocessingRecord.parse(text('preprocessing.json'), where('preprocessing.json'));
  const signature: Signature = signatureRecord.parse(text('signature.json'), where('signature.json'));
  const width = inputWidth(preprocessing);
  const classification = preprocessing.target.task === 'classification';
  const classes = preprocessing.target.task === 'classification' ? preprocessing.target.classes : null;
  const outputs = classes ? classes.length : 1;
  if (signature.model.inputs !== width || signature.task !== preprocessing.target.task) {
    throw new LatheFailure({
      code: 'DATA_DAMAGED',
      message: `${file}: signature.json and preprocessing.json disagree (the signature says ${signature.task} with ${signature.model.inputs} inputs, the preprocessing gives ${preprocessing.target.task} with ${width}).`,
      location: { file },
    });
  }

  const tfl = await importLayers();
  let topology: Tf.io.ModelArtifacts;
  try {
    const json = JSON.parse(text('model/model.json')) as { modelTopology: object; weightsManifest: { weights: Tf.io.WeightsManifestEntry[] }[] };
    const weights = parts.get('model/weights.bin')!;
    topology = {
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      // The verified part was read into a buffer of its own: handed over whole, not copied.
      weightData: (weights.byteOffset === 0 && weights.byteLength === weights.buffer.byteLength ? weights.buffer : weights.slice().buffer) as ArrayBuffer,
    };
  } catch (error) {
    throw new LatheFailure({ code: 'PARSE_ERROR', message: `${where('model/model.json')} is not a TensorFlow.js layers model: ${(error as Error).message}`, location: { file } });
  }
  const model = (await tfl.loadLayersModel(tf.io.fromMemory(topology))) as Parameters<typeof predictRows>[1];
  const modelOutputs = (model.outputs[0]?.shape.at(-1) ?? 0) as number;
  const modelInputs = (model.inputs[0]?.shape.at(-1) ?? 0) as number;
  if (modelInputs !== width || modelOutputs !== outputs) {
    throw new LatheFailure({ code: 'DATA_DAMAGED', message: `${file}: the model takes ${modelInputs} inputs and gives ${modelOutputs} outputs; its preprocessing writes ${width} and expects ${outputs}.`, location: { file } });
  }

  return {
    model: { task: preprocessing.target.task, target: preprocessing.target.name, inputs: signature.inputs.map(({ name, type }) => ({ name, type })), classes },
    predict(rows) {
      const x = encodeRecords(preprocessing, rows);
      const y = predictRows(tf, model, x, rows.length, width, outputs);
      if (!classification) return rows.map((_, i) => ({ predicted: y[i] as number }));
      const predicted = predictedClasses(y, outputs); // the class training's evaluation picks
      return rows.map((_, i) => ({
        predicted: classes![predicted[i] as number]!,
        probabilities: Object.fromEntries(classes!.map((name, c) => [name, y[i * outputs + c] as number])),
      }));
    },
  };
}
