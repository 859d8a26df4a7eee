import { z } from 'zod';
import { ColumnType } from '../../../shared/contract/datasets.ts';
import { featureEncodings } from '../../../shared/training/feature-roles.ts';
import { versionedRecord } from '../storage/versioned-record.ts';

/**
 * The JSON artifacts a training run stores beside its model, each a versioned record (read back
 * by serving, the registry and the Experiments page):
 * - `signature.json`: what the model takes and gives — the table columns it reads (with their
 *   types and encodings), its output, the class names — and where its files are;
 * - `evaluation.json`: the full test report (evaluation/*.ts) with the split and the epochs.
 */
const DatasetRef = z.object({ name: z.string(), version: z.number().int().positive(), contentHash: z.string() });

const SignatureV1 = z.object({
  schemaVersion: z.literal(1),
  task: z.enum(['classification', 'regression']),
  target: z.object({ name: z.string(), type: ColumnType }),
  /** The table columns the model reads, in order; a missing value is allowed in any. */
  inputs: z.array(z.object({ name: z.string(), type: ColumnType, encoding: z.enum(featureEncodings) })),
  /** Classification: probabilities per class, in `classes` order; regression: the prediction in the target's units. */
  outputs: z.array(z.object({ name: z.string(), shape: z.array(z.number().int()), datatype: z.literal('FP32') })),
  classes: z.array(z.string()).nullable(),
  model: z.object({ format: z.literal('tfjs-layers-model'), path: z.string(), weights: z.string(), inputs: z.number().int().positive() }),
  preprocessing: z.string(),
  dataset: DatasetRef,
});
export type Signature = z.infer<typeof SignatureV1>;
export const signatureRecord = versionedRecord<Signature>({ kind: 'model signature', versions: [SignatureV1], migrations: [] });

const ClassificationReport = z.object({
  task: z.literal('classification'),
  rows: z.number().int().nonnegative(),
  accuracy: z.number(),
  perClass: z.array(z.object({ class: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), support: z.number().int().nonnegative() })),
  macro: z.object({ precision: z.number(), recall: z.number(), f1: z.number() }),
  rocAuc: z.number().nullable(),
  rocAucAverage: z.enum(['binary', 'one-vs-rest macro']),
  logLoss: z.number(),
  confusion: z.array(z.array(z.number().int().nonnegative())),
  classes: z.array(z.string()),
});

const RegressionReport = z.object({
  task: z.literal('regression'),
  rows: z.number().int().nonnegative(),
  rmse: z.number(),
  mae: z.number(),
  r2: z.number(),
  residuals: z.array(z.object({ row: z.number().int().nonnegative(), actual: z.number(), predicted: z.number(), residual: z.number() })),
  residualsSampled: z.boolean(),
});

const EvaluationV1 = z.object({
  schemaVersion: z.literal(1),
  dataset: DatasetRef,
  split: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }),
  epochs: z.object({ trained: z.number().int(), best: z.number().int(), stoppedEarly: z.boolean() }),
  backend: z.string(),
  report: z.discriminatedUnion('task', [ClassificationReport, RegressionReport]),
});
export type Evaluation = z.infer<typeof EvaluationV1>;
export const evaluationRecord = versionedRecord<Evaluation>({ kind: 'evaluation report', versions: [EvaluationV1], migrations: [] });
