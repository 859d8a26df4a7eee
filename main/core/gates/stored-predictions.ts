import { failure } from '../errors.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { label, type GatedSignature, type GatedVersion } from './gated-version.ts';

/**
 * A version's test predictions as training stored them (`test-predictions.jsonl`, one JSON
 * object per test row: its row index in the dataset version, the actual value, the prediction
 * and, for a classifier, each class's probability), read into typed arrays. The bytes are
 * checked against their hash as they stream; a line that does not parse is refused with its
 * line number.
 */
export const PREDICTIONS_ARTIFACT = 'test-predictions.jsonl';

export type StoredPredictions =
  | { task: 'classification'; rows: Int32Array; classes: readonly string[]; actual: Int32Array; predicted: Int32Array; probabilities: Float32Array }
  | { task: 'regression'; rows: Int32Array; actual: Float64Array; predicted: Float64Array };

export function artifactOf(version: GatedVersion, path: string) {
  const artifact = version.artifacts.find((candidate) => candidate.path === path);
  if (!artifact) {
    throw failure('NOT_FOUND', `${label(version)} has no ${path} among its artifacts, so its gates cannot run.`, {
      hint: `Register a version trained by this Lathe (its runs store ${path}); run ${version.lineage.run.id} may have been logged by hand.`,
    });
  }
  return artifact;
}

export function signatureOf(version: GatedVersion): GatedSignature {
  if (!version.signature) {
    throw failure('NOT_FOUND', `${label(version)} has no signature (signature.json), so the gates cannot tell what it reads and predicts.`, {
      hint: 'Register a version trained by Lathe, whose runs store a signature.',
    });
  }
  return version.signature;
}

/** Each line of a blob, as text, hash-checked as it streams. */
export async function* blobLines(blobs: BlobStore, artifact: { contentHash: string; bytes: number }, what: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  for await (const chunk of blobs.readVerified(artifact.contentHash, artifact.bytes, what)) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop()!;
    yield* lines;
  }
  pending += decoder.decode();
  if (pending !== '') yield pending;
}

export async function readStoredPredictions(blobs: BlobStore, version: GatedVersion): Promise<StoredPredictions> {
  const signature = signatureOf(version);
  const artifact = artifactOf(version, PREDICTIONS_ARTIFACT);
  const what = `${label(version)}'s ${PREDICTIONS_ARTIFACT}`;
  const rows: number[] = [];
  const actualValues: (string | number)[] = [];
  const predictedValues: (string | number)[] = [];
  const classes = signature.classes ?? [];
  const classIndex = new Map(classes.map((name, index) => [name, index]));
  const probabilities: number[] = [];
  let line = 0;
  for await (const text of blobLines(blobs, artifact, what)) {
    line += 1;
    if (text.trim() === '') continue;
    const bad = (why: string) => failure('PARSE_ERROR', `${what} line ${line}: ${why}.`, { location: { file: PREDICTIONS_ARTIFACT, line } });
    let record: { row?: unknown; actual?: unknown; predicted?: unknown; probabilities?: unknown };
    try {
      record = JSON.parse(text) as typeof record;
    } catch (error) {
      throw bad(`not JSON (${(error as Error).message})`);
    }
    if (!Number.isInteger(record.row) || (record.row as number) < 0) throw bad('"row" is not a row index');
    rows.push(record.row as number);
    if (signature.task === 'classification') {
      const actual = classIndex.get(String(record.actual));
      const predicted = classIndex.get(String(record.predicted));
      if (predicted === undefined) throw bad(`the prediction ${JSON.stringify(record.predicted)} is not one of the model's classes`);
      actualValues.push(actual ?? -1);
      predictedValues.push(predicted);
      const given = (record.probabilities ?? {}) as Record<string, unknown>;
      for (const name of classes) probabilities.push(typeof given[name] === 'number' ? (given[name] as number) : Number.NaN);
    } else {
      if (typeof record.actual !== 'number' || typeof record.predicted !== 'number') throw bad('"actual" and "predicted" are not numbers');
      actualValues.push(record.actual);
      predictedValues.push(record.predicted);
    }
  }
  if (signature.task === 'classification') {
    return { task: 'classification', rows: Int32Array.from(rows), classes, actual: Int32Array.from(actualValues as number[]), predicted: Int32Array.from(predictedValues as number[]), probabilities: Float32Array.from(probabilities) };
  }
  return { task: 'regression', rows: Int32Array.from(rows), actual: Float64Array.from(actualValues as number[]), predicted: Float64Array.from(predictedValues as number[]) };
}
