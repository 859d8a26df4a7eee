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
  const classes = signature.classes ?? [];
  const classification = signature.task === 'classification';
  const classIndex = new Map(classes.map((name, index) => [name, index]));
  const k = classes.length;
  const rows = new Growing(Int32Array);
  const actual = classification ? new Growing(Int32Array) : new Growing(Float64Array);
  const predicted = classification ? new Growing(Int32Array) : new Growing(Float64Array);
  const probabilities = new Growing(Float32Array);
  const fast = fastLineReader(signature.task, classes);
  const probabilityRow = new Float64Array(k);
  let line = 0;
  for await (const text of blobLines(blobs, artifact, what)) {
    line += 1;
    if (text.trim() === '') continue;
    const bad = (why: string) => failure('PARSE_ERROR', `${what} line ${line}: ${why}.`, { location: { file: PREDICTIONS_ARTIFACT, line } });
    const record = fast(text, probabilityRow) ?? parseLine(text, classes, probabilityRow, bad);
    if (!Number.isInteger(record.row) || record.row < 0) throw bad('"row" is not a row index');
    rows.push(record.row);
    if (classification) {
      const predictedClass = classIndex.get(String(record.predicted));
      if (predictedClass === undefined) throw bad(`the prediction ${JSON.stringify(record.predicted)} is not one of the model's classes`);
      actual.push(classIndex.get(String(record.actual)) ?? -1);
      predicted.push(predictedClass);
      for (let c = 0; c < k; c += 1) probabilities.push(probabilityRow[c]!);
    } else {
      if (typeof record.actual !== 'number' || typeof record.predicted !== 'number') throw bad('"actual" and "predicted" are not numbers');
      actual.push(record.actual);
      predicted.push(record.predicted);
    }
  }
  if (classification) {
    return { task: 'classification', rows: rows.done(), classes, actual: actual.done() as Int32Array, predicted: predicted.done() as Int32Array, probabilities: probabilities.done() };
  }
  return { task: 'regression', rows: rows.done(), actual: actual.done() as Float64Array, predicted: predicted.done() as Float64Array };
}

interface LineRecord {
  row: number;
  actual: unknown;
  predicted: unknown;
}

/** Any line, by JSON.parse: probabilities by class name (NaN where absent). */
function parseLine(text: string, classes: readonly string[], probabilities: Float64Array, bad: (why: string) => Error): LineRecord {
  let record: { row?: unknown; actual?: unknown; predicted?: unknown; probabilities?: unknown };
  try {
    record = JSON.parse(text) as typeof record;
  } catch (error) {
    throw bad(`not JSON (${(error as Error).message})`);
  }
  if (record === null || typeof record !== 'object') throw bad('not a JSON object');
  const given = (record.probabilities ?? {}) as Record<string, unknown>;
  classes.forEach((name, c) => (probabilities[c] = typeof given[name] === 'number' ? given[name] : Number.NaN));
  return { row: record.row as number, actual: record.actual, predicted: record.predicted };
}

/**
 * The lines training writes, read without building an object per line (a million rows would
 * otherwise make a million objects for the garbage collector): `{"row":N,"actual":…,"predicted":…`
 * then, for a classifier, `,"probabilities":{"A":p,"B":p}` in class order. Anything else (spaces,
 * escapes, another key order) returns null and is read by JSON.parse.
 */
function fastLineReader(task: 'classification' | 'regression', classes: readonly string[]): (text: string, probabilities: Float64Array) => LineRecord | null {
  const keys = classes.map((name, c) => `${c === 0 ? '' : ','}${JSON.stringify(name)}:`);
  return (text, probabilities) => {
    if (!text.startsWith('{"row":')) return null;
    let at = 7;
    const field = (key: string): string | null => {
      if (!text.startsWith(key, at)) return null;
      at += key.length;
      if (text.charCodeAt(at) === 34) {
        const end = text.indexOf('"', at + 1);
        const inner = text.slice(at + 1, end);
        if (end < 0 || inner.includes('\\')) return null;
        at = end + 1;
        return `"${inner}`;
      }
      let end = at;
      while (end < text.length && text.charCodeAt(end) !== 44 && text.charCodeAt(end) !== 125) end += 1;
      const token = text.slice(at, end);
      at = end;
      return token === '' ? null : token;
    };
    const value = (token: string) => (token.charCodeAt(0) === 34 ? token.slice(1) : task === 'regression' ? Number(token) : token);
    const row = field('');
    const actual = row === null ? null : field(',"actual":');
    const predicted = actual === null ? null : field(',"predicted":');
    if (row === null || actual === null || predicted === null || row.charCodeAt(0) === 34) return null;
    if (task === 'classification') {
      if (!text.startsWith(',"probabilities":{', at)) return null;
      at += 18;
      for (let c = 0; c < keys.length; c += 1) {
        const token = field(keys[c]!);
        if (token === null || token.charCodeAt(0) === 34) return null;
        probabilities[c] = Number(token);
      }
      if (text.slice(at) !== '}}') return null;
    } else if (text.slice(at) !== '}') return null;
    const record = { row: Number(row), actual: value(actual), predicted: value(predicted) };
    if (task === 'regression' && !(Number.isFinite(record.actual) && Number.isFinite(record.predicted))) return null;
    return record;
  };
}

type TypedArray = Int32Array | Float32Array | Float64Array;

/** A typed array that doubles as it fills. */
class Growing<T extends TypedArray> {
  #values: T;
  #length = 0;
  readonly #make: new (length: number) => T;
  constructor(make: new (length: number) => T) {
    this.#make = make;
    this.#values = new make(1024);
  }
  push(value: number): void {
    if (this.#length === this.#values.length) {
      const bigger = new this.#make(this.#values.length * 2);
      bigger.set(this.#values as never);
      this.#values = bigger;
    }
    this.#values[this.#length++] = value;
  }
  done(): T {
    return this.#values.slice(0, this.#length) as T;
  }
}
