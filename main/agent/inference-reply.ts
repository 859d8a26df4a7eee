import type { Prediction, ServedModel } from '../core/serving/serving-messages.ts';
import { datatypeFor } from './inference-request.ts';

/**
 * Predictions as the Open Inference Protocol v2 returns them: for a classifier the class label
 * (BYTES, one per row, named after the target) and every class's probability as a second output
 * `probabilities` of shape [N, C] in the order of `parameters.classes`; for a regressor the value
 * (FP32). Model metadata says the same of inputs and outputs before any request is made.
 */
export interface V2Output {
  name: string;
  shape: number[];
  datatype: string;
  data: (string | number)[];
  parameters?: Record<string, unknown>;
}

export function v2Outputs(model: ServedModel, predictions: readonly Prediction[]): V2Output[] {
  const n = predictions.length;
  if (!model.classes) return [{ name: model.target, shape: [n], datatype: 'FP32', data: predictions.map((p) => p.predicted as number) }];
  const classes = model.classes;
  const probabilities: number[] = [];
  for (const prediction of predictions) {
    const p = 'probabilities' in prediction ? prediction.probabilities : {};
    for (const name of classes) probabilities.push(p[name] ?? 0);
  }
  return [
    { name: model.target, shape: [n], datatype: 'BYTES', data: predictions.map((p) => String(p.predicted)) },
    { name: 'probabilities', shape: [n, classes.length], datatype: 'FP32', data: probabilities, parameters: { classes } },
  ];
}

/** KServe v1: `{"predictions": [label or value, …]}`. */
export function v1Reply(predictions: readonly Prediction[]): { predictions: (string | number)[] } {
  return { predictions: predictions.map((p) => p.predicted) };
}

export function modelMetadata(name: string, versions: readonly string[], model: ServedModel) {
  return {
    name,
    versions,
    platform: 'lathe-tfjs',
    inputs: model.inputs.map((input) => ({ name: input.name, datatype: datatypeFor(input.type), shape: [-1], parameters: { column_type: input.type } })),
    outputs: model.classes
      ? [
          { name: model.target, datatype: 'BYTES', shape: [-1] },
          { name: 'probabilities', datatype: 'FP32', shape: [-1, model.classes.length], parameters: { classes: model.classes } },
        ]
      : [{ name: model.target, datatype: 'FP32', shape: [-1] }],
  };
}
