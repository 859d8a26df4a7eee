import { trackingKeyProblem, trackingLimits, type DatasetInput, type RunEnvironment } from '../../../shared/contract/runs.ts';
import { unsafeCharacter } from '../../../shared/contract/text-fields.ts';
import { failure } from '../errors.ts';
import type { MetricColumns } from './metric-blocks.ts';

/**
 * What in-process writers (training) and, later, MLflow clients hand the store, checked once
 * where it enters: keys, values, steps and timestamps, and MLflow's limits. A refusal is an
 * INVALID_INPUT that names the field, the limit or the value, and nothing of the write is kept.
 */

/** A point as a writer logs it; step defaults to 0, timestamp to now. */
export interface MetricPointInput {
  key: string;
  value: number;
  step?: number;
  timestamp?: number;
}

export type ParamValue = string | number | boolean;

/** A run as training starts it (TrackingStore.createRun). */
export interface NewRun {
  /** The experiment's name; made when it does not exist yet. Default: "Default". */
  experiment?: string;
  name?: string;
  params?: Record<string, ParamValue>;
  tags?: Record<string, string>;
  datasets?: DatasetInput[];
  /** The workspace's git commit when the run starts. */
  gitCommit?: string | null;
  environment?: RunEnvironment | null;
  /** RUNNING (default) or SCHEDULED. */
  status?: 'RUNNING' | 'SCHEDULED';
  /** Milliseconds since 1970; default now. */
  startTime?: number;
  user?: string;
  /**
   * Who drives the run: this process (default; a run it leaves RUNNING when it dies becomes
   * FAILED), or an outside client such as an MLflow client over REST (never marked FAILED here).
   */
  drivenBy?: 'this-process' | 'outside-client';
}

/** The points of one batch grouped by key, in columns, each key's in the order logged. */
export type PointsByKey = Map<string, MetricColumns>;

const checkedKeys = new Set<string>();

export function checkKey(key: unknown, field: string): string {
  if (typeof key === 'string' && checkedKeys.has(key)) return key;
  const problem = typeof key === 'string' ? trackingKeyProblem(key) : 'a key is text';
  if (problem) throw invalid(`${field}: ${problem}; got ${quote(key)}.`, field);
  if (checkedKeys.size > 10_000) checkedKeys.clear();
  checkedKeys.add(key as string);
  return key as string;
}

export function groupPoints(points: readonly MetricPointInput[], now: number, field = 'metrics'): PointsByKey {
  if (!Array.isArray(points)) throw invalid(`${field}: expected a list of points.`, field);
  const indicesByKey = new Map<string, number[]>();
  for (let i = 0; i < points.length; i += 1) {
    const point = points[i]!;
    if (typeof point !== 'object' || point === null) throw invalid(`${field}[${i}]: expected a point like {"key": "loss", "value": 0.5, "step": 3}.`, `${field}[${i}]`);
    const key = checkKey(point.key, `${field}[${i}].key`);
    if (typeof point.value !== 'number') throw invalid(`${field}[${i}].value: a metric value is a number (NaN and ±Infinity are allowed); got ${quote(point.value)}.`, `${field}[${i}].value`);
    if (point.step !== undefined && !Number.isSafeInteger(point.step)) throw invalid(`${field}[${i}].step: a step is a whole number; got ${quote(point.step)}.`, `${field}[${i}].step`);
    if (point.timestamp !== undefined && !Number.isSafeInteger(point.timestamp)) {
      throw invalid(`${field}[${i}].timestamp: a timestamp is whole milliseconds since 1970; got ${quote(point.timestamp)}.`, `${field}[${i}].timestamp`);
    }
    let indices = indicesByKey.get(key);
    if (!indices) indicesByKey.set(key, (indices = []));
    indices.push(i);
  }
  const grouped: PointsByKey = new Map();
  for (const [key, indices] of indicesByKey) {
    const n = indices.length;
    const columns = { steps: new Float64Array(n), values: new Float64Array(n), timestamps: new Float64Array(n) };
    for (let j = 0; j < n; j += 1) {
      const point = points[indices[j]!]!;
      columns.steps[j] = point.step ?? 0;
      columns.values[j] = point.value;
      columns.timestamps[j] = point.timestamp ?? now;
    }
    grouped.set(key, columns);
  }
  return grouped;
}

export function checkParams(params: Readonly<Record<string, ParamValue>>, field = 'params'): [string, string][] {
  return Object.entries(params ?? {}).map(([key, raw]) => {
    checkKey(key, `${field}.${key}`);
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      throw invalid(`${field}.${key}: a param's value is text, a number or true/false; got ${quote(raw)}.`, `${field}.${key}`);
    }
    const value = String(raw);
    if (value.length > trackingLimits.paramValueLength) {
      throw invalid(`${field}.${key}: a param's value is at most ${trackingLimits.paramValueLength} characters (MLflow's limit); this one has ${value.length}.`, `${field}.${key}`);
    }
    return [key, value];
  });
}

export function checkTags(tags: Readonly<Record<string, string>>, field = 'tags'): [string, string][] {
  return Object.entries(tags ?? {}).map(([key, value]) => {
    checkKey(key, `${field}.${key}`);
    if (typeof value !== 'string') throw invalid(`${field}.${key}: a tag's value is text; got ${quote(value)}.`, `${field}.${key}`);
    if (value.length > trackingLimits.tagValueLength) {
      throw invalid(`${field}.${key}: a tag's value is at most ${trackingLimits.tagValueLength} characters (MLflow's limit); this one has ${value.length}.`, `${field}.${key}`);
    }
    return [key, value];
  });
}

/** MLflow's log-batch limits: 1000 metrics, 100 params, 100 tags, 1000 items in all. */
export function checkBatchLimits(counts: { metrics: number; params: number; tags: number }): void {
  const over = (what: string, count: number, limit: number) =>
    invalid(`A batch may hold at most ${limit} ${what} (MLflow's log-batch limit); this one holds ${count}. Split it into smaller batches.`, what);
  if (counts.metrics > trackingLimits.batchMetrics) throw over('metrics', counts.metrics, trackingLimits.batchMetrics);
  if (counts.params > trackingLimits.batchParams) throw over('params', counts.params, trackingLimits.batchParams);
  if (counts.tags > trackingLimits.batchTags) throw over('tags', counts.tags, trackingLimits.batchTags);
  const items = counts.metrics + counts.params + counts.tags;
  if (items > trackingLimits.batchItems) throw over('items (metrics, params and tags together)', items, trackingLimits.batchItems);
}

export function checkRunName(name: unknown): string {
  if (typeof name !== 'string') throw invalid(`name: a run name is text; got ${quote(name)}.`, 'name');
  if (name.length > 250) throw invalid(`name: a run name is at most 250 characters; this one has ${name.length}.`, 'name');
  const unsafe = unsafeCharacter(name, false);
  if (unsafe) throw invalid(`name: a run name cannot hold control or text-direction characters (${unsafe}).`, 'name');
  return name;
}

export function checkExperimentName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) throw invalid(`experiment: an experiment name is non-empty text; got ${quote(name)}.`, 'experiment');
  if (name.length > 500) throw invalid(`experiment: an experiment name is at most 500 characters; this one has ${name.length}.`, 'experiment');
  const unsafe = unsafeCharacter(name, false);
  if (unsafe) throw invalid(`experiment: an experiment name cannot hold control or text-direction characters (${unsafe}).`, 'experiment');
  return name;
}

export function checkTime(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value)) throw invalid(`${field}: a time is whole milliseconds since 1970; got ${quote(value)}.`, field);
  return value as number;
}

export function checkGitCommit(commit: unknown): string | null {
  if (commit === undefined || commit === null) return null;
  if (typeof commit !== 'string' || !/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(commit)) {
    throw invalid(`gitCommit: a git commit is 40 (or, in a SHA-256 repository, 64) lowercase hexadecimal digits; got ${quote(commit)}.`, 'gitCommit');
  }
  return commit;
}

const MAX_ENVIRONMENT_BYTES = 16_384;

export function checkEnvironment(environment: RunEnvironment | null | undefined): string | null {
  if (environment === undefined || environment === null) return null;
  if (typeof environment !== 'object' || Array.isArray(environment)) throw invalid('environment: expected an object such as {"backend": "cpu", "node": "v24.21.0"}.', 'environment');
  const text = JSON.stringify(environment);
  if (text.length > MAX_ENVIRONMENT_BYTES) throw invalid(`environment: at most ${MAX_ENVIRONMENT_BYTES} characters of JSON; this one has ${text.length}. Keep it to the backend, library versions and hardware.`, 'environment');
  return text;
}

export function checkDatasets(datasets: readonly DatasetInput[] | undefined): DatasetInput[] {
  return (datasets ?? []).map((dataset, i) => {
    const field = `datasets[${i}]`;
    if (typeof dataset?.name !== 'string' || dataset.name.length === 0 || dataset.name.length > 500) throw invalid(`${field}.name: a dataset name is text of 1 to 500 characters.`, `${field}.name`);
    if (dataset.version !== null && dataset.version !== undefined && !(Number.isSafeInteger(dataset.version) && dataset.version > 0)) {
      throw invalid(`${field}.version: a dataset version is a whole number from 1, or null; got ${quote(dataset.version)}.`, `${field}.version`);
    }
    if (typeof dataset.contentHash !== 'string' || dataset.contentHash.length === 0 || dataset.contentHash.length > 200) {
      throw invalid(`${field}.contentHash: expected the dataset's content hash (sha256:…) or digest.`, `${field}.contentHash`);
    }
    return { name: dataset.name, version: dataset.version ?? null, contentHash: dataset.contentHash };
  });
}

export function invalid(message: string, field?: string) {
  return failure('INVALID_INPUT', message, field === undefined ? {} : { location: { field } });
}

function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'number') return String(value);
  return value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
}
