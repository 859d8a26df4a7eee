import { evaluationRecord, signatureRecord, type Evaluation } from '../artifact-records.ts';
import type { TableColumns } from '../data/table-columns.ts';
import { prepareTrainingData } from '../data/training-data.ts';
import { classificationReport, predictedClasses } from '../evaluation/classification-metrics.ts';
import { regressionReport } from '../evaluation/regression-metrics.ts';
import { checkTrainingMemory, parameterCount, trainingMemoryLimit } from '../model-spec.ts';
import { preprocessingRecord } from '../preprocessing/preprocessing-record.ts';
import type { PreparedData, TrainingOutcome, TrainingWorkerStart } from '../training-messages.ts';
import type { LoadedBackend } from './backends.ts';
import { buildLayersModel, importLayers, predictRows, saveLayersModel } from './layers-model.ts';
import type { NetworkShape, TfCore } from './network.ts';
import { trainNetwork } from './train-loop.ts';

/**
 * The training worker's work once the table is in memory: split and encode it, refuse a model
 * too large for the machine, train, predict the test split with the saved model, and produce
 * every artifact (model, preprocessing, signature, test predictions, evaluation).
 */
export interface TrainTableEvents {
  prepared(prepared: PreparedData): void;
  epoch(epoch: number, metrics: Record<string, number>): void;
}

export async function trainTable(tf: TfCore, backend: LoadedBackend, table: TableColumns, start: Extract<TrainingWorkerStart, { mode: 'train' }>, events: TrainTableEvents): Promise<TrainingOutcome> {
  const { knobs, data: spec } = start;
  const data = prepareTrainingData(table, spec);
  const classification = spec.task === 'classification';
  const outputs = classification ? data.classes!.length : 1;
  const shape: NetworkShape = { inputs: data.width, hidden: knobs.hidden, outputs, activation: knobs.activation };
  checkTrainingMemory({ model: knobs.model, inputs: data.width, hidden: knobs.hidden, outputs, batchSize: knobs.batchSize, rows: table.rows }, start.memoryLimitBytes ?? trainingMemoryLimit(backend.name));
  const rows = { train: data.train.rows.length, validation: data.validation.rows.length, test: data.test.rows.length };
  events.prepared({ rows, classes: data.classes, inputs: data.width, parameters: parameterCount(data.width, knobs.hidden, outputs) });

  const part = (p: typeof data.train) => ({ x: p.x, y: p.y, rows: p.rows.length });
  const target = data.preprocessing.target;
  const trained = trainNetwork(tf, shape, part(data.train), part(data.validation), {
    task: spec.task,
    epochs: knobs.epochs,
    batchSize: knobs.batchSize,
    learningRate: knobs.learningRate,
    dropout: knobs.dropout,
    l2: knobs.l2,
    seed: knobs.seed,
    patience: knobs.earlyStoppingPatience,
    classWeights: classification ? data.classWeights : null,
    targetStd: target.task === 'regression' ? target.std : 1,
    onEpoch: events.epoch,
  });

  const tfl = await importLayers();
  const model = buildLayersModel(tf, tfl, shape, trained.parameters, target.task === 'regression' ? { softmax: false, scale: target.std, shift: target.mean } : { softmax: true });
  const saved = await saveLayersModel(tf, tfl, model);
  const test = data.test;
  const predictions = predictRows(tf, model, test.x, test.rows.length, data.width, outputs);
  model.dispose();

  const lines: string[] = [];
  let report: Evaluation['report'];
  let testMetrics: Record<string, number>;
  if (classification) {
    const classes = data.classes!;
    const evaluation = classificationReport(test.y, predictions, classes);
    const predicted = predictedClasses(predictions, outputs);
    test.rows.forEach((row, i) => {
      const probabilities = Object.fromEntries(classes.map((name, c) => [name, round(predictions[i * outputs + c] as number)]));
      lines.push(JSON.stringify({ row, actual: test.actual[i], predicted: classes[predicted[i] as number], probabilities }));
    });
    report = evaluation;
    testMetrics = { test_accuracy: evaluation.accuracy, test_f1_macro: evaluation.macro.f1, test_log_loss: evaluation.logLoss, ...(evaluation.rocAuc === null ? {} : { test_roc_auc: evaluation.rocAuc }) };
  } else {
    const actual = Float64Array.from(test.actual as number[]);
    const evaluation = regressionReport(actual, predictions, test.rows, knobs.seed);
    test.rows.forEach((row, i) => lines.push(JSON.stringify({ row, actual: actual[i], predicted: predictions[i] })));
    report = evaluation;
    testMetrics = { test_rmse: evaluation.rmse, test_mae: evaluation.mae, test_r2: evaluation.r2 };
  }

  const dataset = start.dataset;
  const signature = signatureRecord.serialize({
    schemaVersion: 1,
    task: spec.task,
    target: spec.target,
    inputs: spec.features.map((feature) => ({ name: feature.name, type: feature.type, encoding: feature.encoding })),
    outputs: [classification ? { name: 'probabilities', shape: [-1, outputs], datatype: 'FP32' } : { name: 'prediction', shape: [-1, 1], datatype: 'FP32' }],
    classes: data.classes,
    model: { format: 'tfjs-layers-model', path: 'model/model.json', weights: 'model/weights.bin', inputs: data.width },
    preprocessing: 'preprocessing.json',
    dataset,
  });
  const epochs = { trained: trained.epochsTrained, best: trained.bestEpoch, stoppedEarly: trained.stoppedEarly };
  const evaluation = evaluationRecord.serialize({ schemaVersion: 1, dataset, split: rows, epochs, backend: backend.name, report });
  const text = (value: string) => new TextEncoder().encode(value);
  return {
    epochsTrained: trained.epochsTrained,
    bestEpoch: trained.bestEpoch,
    stoppedEarly: trained.stoppedEarly,
    testMetrics,
    artifacts: [
      { path: 'model/model.json', bytes: text(saved.modelJson) },
      { path: 'model/weights.bin', bytes: saved.weights },
      { path: 'preprocessing.json', bytes: text(preprocessingRecord.serialize(data.preprocessing)) },
      { path: 'signature.json', bytes: text(signature) },
      { path: 'test-predictions.jsonl', bytes: text(lines.length === 0 ? '' : `${lines.join('\n')}\n`) },
      { path: 'evaluation.json', bytes: text(evaluation) },
    ],
  };
}

/** Probabilities to 6 significant digits: enough to rank and calibrate, a third of the text. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}
