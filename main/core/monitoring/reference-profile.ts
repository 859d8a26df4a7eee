import type { ColumnReference, ModelTask, ReferenceProfile } from '../../../shared/contract/monitoring.ts';
import type { ModelVersion } from '../../../shared/contract/registry.ts';
import { failure, toLatheError } from '../errors.ts';
import { datasetVersion, readEvaluationTable } from '../gates/evaluation-data.ts';
import { artifactOf, PREDICTIONS_ARTIFACT, readStoredPredictions, signatureOf, type StoredPredictions } from '../gates/stored-predictions.ts';
import type { ColumnReading } from '../training/data/table-columns.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { categoricalReference, countedReference, numericReference } from './column-reference.ts';
import { fitCbpe } from './stats/cbpe.ts';

/**
 * The training reference of a model version (shared/contract/monitoring.ts's ReferenceProfile),
 * as its algorithm:
 *
 * 1. the dataset version its lineage names is read from the store, each byte checked against its
 *    hash as it streams, only the columns the signature says the model reads;
 * 2. per input, in signature order, a column reference (column-reference.ts): numbers (and dates,
 *    as days since 1970, as training encodes them) exact or as quantiles, true/false and text as
 *    category counts;
 * 3. from the run's test predictions: the predictions' own reference (prediction drift) and, for
 *    a classifier, a CBPE model fitted on its probabilities and labels (null when the test split
 *    is too small for CBPE, or training kept no predictions);
 * 4. the task and classes from the signature, the test metric from the version's metrics.
 *
 * Anything that stops the reference being read throws a ReferenceUnreadable failure whose
 * sentence says what and what to do ("the reference penguins@3 cannot be read: …").
 */
export async function buildReferenceProfile(workspace: Workspace, version: ModelVersion, now: Date = new Date()): Promise<ReferenceProfile> {
  const label = `${version.name}@${version.version}`;
  const signature = signatureOf(version);
  const trainedOn = version.lineage.dataset;
  if (!trainedOn || trainedOn.version === null) {
    throw failure('FAILED_PRECONDITION', `${label}'s lineage names no dataset version it was trained on, so there is no reference to judge drift against.`, {
      hint: 'Versions trained by Lathe record it; register one trained from a dataset version.',
    });
  }
  const dataset = `${trainedOn.name}@${trainedOn.version}`;
  const features = await readFeatures(workspace, trainedOn.name, trainedOn.version, trainedOn.contentHash, signature.inputs).catch((error: unknown) => {
    throw unreadable(dataset, error);
  });
  const predictions = await testPredictions(workspace, version);
  const task: ModelTask = signature.task === 'classification' ? { kind: 'classification', classes: [...(signature.classes ?? [])] } : { kind: 'regression' };
  const metricName = signature.task === 'classification' ? 'accuracy' : 'rmse';
  const metric = version.metrics[`test_${metricName}`];
  return {
    schemaVersion: 1,
    model: version.name,
    version: version.version,
    dataset,
    datasetRows: features.rows,
    createdAt: now.toISOString(),
    task,
    features: features.columns,
    prediction: predictions ? predictionReference(signature.target.name, predictions) : null,
    cbpe: predictions?.task === 'classification' ? cbpeOf(predictions) : null,
    testMetric: metric === undefined ? null : { name: metricName, value: metric },
  };
}

type Input = { name: string; encoding: string };

/** How each encoding is read: training's own view of the column. */
function readingFor(input: Input): ColumnReading {
  if (input.encoding === 'standardize') return 'number';
  if (input.encoding === 'epoch-days') return 'datetime';
  if (input.encoding === 'binary') return 'boolean';
  return 'category';
}

async function readFeatures(workspace: Workspace, name: string, number: number, contentHash: string, inputs: readonly Input[]): Promise<{ rows: number; columns: ColumnReference[] }> {
  const read = await datasetVersion(workspace, name, number);
  if (read.manifest.contentHash !== contentHash) {
    throw failure('DATA_DAMAGED', `the version now holds other bytes (${read.manifest.contentHash.slice(0, 19)}…) than the model was trained on (${contentHash.slice(0, 19)}…)`);
  }
  const readings = new Map(inputs.map((input) => [input.name, readingFor(input)]));
  const missing = inputs.filter((input) => !read.profile.some((column) => column.name === input.name)).map((input) => input.name);
  if (missing.length > 0) throw failure('NOT_FOUND', `it has no column ${missing.join(', ')}, which the model reads`);
  const table = await readEvaluationTable(workspace, read, inputs.map((input) => input.name), (column) => readings.get(column.name) ?? 'category');
  const columns = inputs.map((input): ColumnReference => {
    const column = table.columns.get(input.name)!;
    // Each column is let go once summarised: the peak is the table plus one sorted copy.
    table.columns.delete(input.name);
    if (column.reading === 'category') return categoricalReference(input.name, column.codes, column.names);
    if (column.reading === 'boolean') return booleanReference(input.name, column.values);
    return numericReference(input.name, column.values);
  });
  return { rows: table.rows, columns };
}

function booleanReference(name: string, values: Float64Array): ColumnReference {
  let yes = 0;
  let no = 0;
  for (const value of values) {
    if (value === 1) yes += 1;
    else if (value === 0) no += 1;
  }
  return countedReference(name, [['true', yes], ['false', no]], values.length - yes - no);
}

/** The run's test predictions; null when it kept none (a version logged by hand): then no prediction drift nor CBPE. */
async function testPredictions(workspace: Workspace, version: ModelVersion): Promise<StoredPredictions | null> {
  try {
    artifactOf(version, PREDICTIONS_ARTIFACT);
  } catch {
    return null;
  }
  return readStoredPredictions(workspace.blobs, version);
}

function predictionReference(name: string, predictions: StoredPredictions): ColumnReference {
  if (predictions.task === 'regression') return numericReference(name, predictions.predicted);
  const counts = new Float64Array(predictions.classes.length);
  for (const predicted of predictions.predicted) counts[predicted]! += 1;
  return countedReference(name, predictions.classes.map((category, index) => [category, counts[index]!] as [string, number]), 0);
}

/** CBPE from the labelled test rows; null when there are too few for it (NannyML's minimum). */
function cbpeOf(predictions: Extract<StoredPredictions, { task: 'classification' }>): unknown {
  const k = predictions.classes.length;
  const probabilities: number[][] = [];
  const predicted: number[] = [];
  const actual: number[] = [];
  for (let row = 0; row < predictions.rows.length; row += 1) {
    if (predictions.actual[row]! < 0) continue; // a label the model has no class for
    probabilities.push(Array.from(predictions.probabilities.subarray(row * k, row * k + k)));
    predicted.push(predictions.predicted[row]!);
    actual.push(predictions.actual[row]!);
  }
  try {
    return fitCbpe({ probabilities, predicted, actual });
  } catch {
    return null;
  }
}

/** Why the training data could not be read, as one sentence that says what to do. */
function unreadable(dataset: string, error: unknown) {
  const said = toLatheError(error);
  const why =
    said.code === 'NOT_FOUND' && /missing from this machine's store/.test(said.message)
      ? "its bytes are not in this machine's store (run `lathe data pull`)"
      : said.code === 'DATA_DAMAGED'
        ? `its stored bytes are damaged (${lowerFirst(said.message.replace(/\.$/, ''))}; \`lathe data verify\` lists what is damaged)`
        : lowerFirst(said.message.replace(/\.$/, ''));
  return failure(said.code, `the reference ${dataset} cannot be read: ${why}.`, said.hint ? { hint: said.hint } : {});
}

const lowerFirst = (text: string) => (/^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);
