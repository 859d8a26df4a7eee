import { failure, type LatheFailure } from '../errors.ts';

/**
 * MLflow's own validation rules, with MLflow's own wording (mlflow/utils/validation.py and the
 * tracking stores), so a client pointed at Lathe sees the refusals it would see from an MLflow
 * server. Anything that speaks MLflow to the tracking store checks input here first (the
 * REST adapter in main/server/mlflow, `lathe run`); the store then applies Lathe's own checks,
 * which are never looser. A refusal is an INVALID_INPUT (MLflow: INVALID_PARAMETER_VALUE),
 * NOT_FOUND (RESOURCE_DOES_NOT_EXIST) or CONFLICT (RESOURCE_ALREADY_EXISTS) failure carrying
 * MLflow's sentence as its message.
 */
export const mlflowLimits = {
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: 100,
  entitiesPerBatch: 1000,
  /** log-batch request bodies: 1e6 bytes (MAX_BATCH_LOG_REQUEST_SIZE). */
  batchRequestBytes: 1_000_000,
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 5000,
  experimentNameLength: 500,
} as const;

/** Python's `^[/\w.\- ]*$` on str: `\w` is any Unicode letter or digit, or "_". */
const NAME_CHARACTERS = /^[/\p{L}\p{N}_.\- ]*$/u;
const BAD_CHARACTERS = 'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).';

export type KeyKind = 'metric' | 'parameter' | 'tag';

export function mlflowInvalid(message: string, field?: string): LatheFailure {
  return failure('INVALID_INPUT', message, field === undefined ? {} : { location: { field } });
}

/** A required request field that is missing (MLflow's `_assert_required`). */
export function missingParameter(name: string): LatheFailure {
  return mlflowInvalid(`Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`, name);
}

/** Keys that passed (a training loop logs the same few thousands of times); cleared when it grows. */
const goodKeys = new Set<string>();

/** A metric, param or tag key: MLflow's name pattern, and a name that stays itself as a file path. */
export function checkMlflowKey(kind: KeyKind, key: string): void {
  if (goodKeys.has(key)) return;
  if (!NAME_CHARACTERS.test(key)) throw mlflowInvalid(`Invalid ${kind} name: '${key}'. ${BAD_CHARACTERS}`, 'key');
  const normal = posixNormpath(key);
  if (normal !== key || normal === '.' || normal.startsWith('..') || normal.startsWith('/')) {
    throw mlflowInvalid(
      `Invalid ${kind} name: '${key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${normal}'`,
      'key',
    );
  }
  if (goodKeys.size >= 10_000) goodKeys.clear();
  goodKeys.add(key);
}

export function checkLength(entity: string, limit: number, value: string, field: string): void {
  if (value.length <= limit) return; // never more code points than UTF-16 units
  const length = codePoints(value);
  if (length <= limit) return;
  throw mlflowInvalid(`${entity} '${[...value].slice(0, 250).join('')}' had length ${length}, which exceeded length limit of ${limit}`, field);
}

export function checkMetric(key: string, value: number, timestamp: number | null, step: number): void {
  checkMlflowKey('metric', key);
  if (timestamp === null || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw mlflowInvalid(`Got invalid timestamp ${pythonValue(timestamp)} for metric '${key}' (value=${pythonValue(value)}). Timestamp must be a nonnegative long (64-bit integer) `, 'timestamp');
  }
  if (!Number.isSafeInteger(step)) throw mlflowInvalid(`Got invalid step ${pythonValue(step)} for metric '${key}' (value=${pythonValue(value)}). Step must be a valid long (64-bit integer).`, 'step');
  checkLength('Metric name', mlflowLimits.keyLength, key, 'key');
}

/**
 * A metric value as sent: a JSON number, or protobuf JSON's "NaN", "Infinity", "-Infinity" or
 * a number in a string. Anything else is MLflow's "invalid value".
 */
export function metricValue(raw: unknown, key: string, timestamp: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    if (raw === 'NaN') return Number.NaN;
    if (raw === 'Infinity') return Number.POSITIVE_INFINITY;
    if (raw === '-Infinity') return Number.NEGATIVE_INFINITY;
    if (/^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(raw)) return Number(raw);
  }
  throw mlflowInvalid(
    `Got invalid value ${pythonValue(raw)} for metric '${key}' (timestamp=${pythonValue(timestamp)}). Please specify value as a valid double (64-bit floating point)`,
    'value',
  );
}

export function checkParam(key: string, value: string): void {
  checkMlflowKey('parameter', key);
  checkLength('Param key', mlflowLimits.keyLength, key, 'key');
  checkLength('Param value', mlflowLimits.paramValueLength, value, 'value');
}

export function checkTag(key: string, value: string): void {
  checkMlflowKey('tag', key);
  checkLength('Tag key', mlflowLimits.keyLength, key, 'key');
  checkLength('Tag value', mlflowLimits.tagValueLength, value, 'value');
}

/** log-batch's counts: 1000 metrics, 100 params, 100 tags, 1000 of them in all. */
export function checkBatchCounts(metrics: number, params: number, tags: number): void {
  checkBatchCount('metrics', mlflowLimits.metricsPerBatch, metrics);
  checkBatchCount('params', mlflowLimits.paramsPerBatch, params);
  checkBatchCount('tags', mlflowLimits.tagsPerBatch, tags);
  checkBatchCount('metrics, params, and tags', mlflowLimits.entitiesPerBatch, metrics + params + tags);
}

function checkBatchCount(entity: string, limit: number, count: number): void {
  if (count <= limit) return;
  throw mlflowInvalid(`A batch logging request can contain at most ${limit} ${entity}. Got ${count} ${entity}. Please split up ${entity} across multiple requests and try again.`, entity);
}

/** log-batch's request body: at most 1e6 bytes. */
export function checkBatchRequestSize(bytes: number): void {
  if (bytes <= mlflowLimits.batchRequestBytes) return;
  throw mlflowInvalid(`Batched logging API requests must be at most ${mlflowLimits.batchRequestBytes} bytes, got a request of size ${bytes}.`);
}

/** One value per param key in a batch. */
export function checkParamKeysUnique(keys: readonly string[]): void {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const key of keys) {
    if (seen.has(key)) duplicates.push(key);
    seen.add(key);
  }
  if (duplicates.length === 0) return;
  throw mlflowInvalid(
    `Duplicate parameter keys have been submitted: ${pythonList(duplicates)}. Please ensure the request contains only one param value per param key.`,
    'params',
  );
}

export function checkExperimentName(name: string): void {
  if (name === '') throw mlflowInvalid(`Invalid experiment name: '${name}'`, 'name');
  if (codePoints(name) > mlflowLimits.experimentNameLength) {
    throw mlflowInvalid(`Experiment name exceeds the maximum length of ${mlflowLimits.experimentNameLength} characters`, 'name');
  }
}

export function runNotFound(runId: string): LatheFailure {
  return failure('NOT_FOUND', `Run with id=${runId} not found`, { location: { field: 'run_id' } });
}

export function runNotActive(runId: string): LatheFailure {
  return mlflowInvalid(`The run ${runId} must be in the 'active' state. Current state is deleted.`, 'run_id');
}

export function experimentNotFound(id: string): LatheFailure {
  return failure('NOT_FOUND', `No Experiment with id=${id} exists`, { location: { field: 'experiment_id' } });
}

export function experimentNameNotFound(name: string): LatheFailure {
  return failure('NOT_FOUND', `Could not find experiment with name '${name}'`, { location: { field: 'experiment_name' } });
}

export function experimentExists(name: string): LatheFailure {
  return failure('CONFLICT', `Experiment(name=${name}) already exists.`, { location: { field: 'name' } });
}

export function paramChanged(runId: string, key: string, was: string, value: string): LatheFailure {
  return mlflowInvalid(
    `Changing param values is not allowed. Param with key='${key}' was already logged with value='${was}' for run ID='${runId}'. Attempted logging new value '${value}'.`,
    'value',
  );
}

/** Python's posixpath.normpath. */
export function posixNormpath(path: string): string {
  if (path === '') return '.';
  const leading = path.startsWith('/') ? (path.startsWith('//') && !path.startsWith('///') ? 2 : 1) : 0;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..' || (leading === 0 && parts.length === 0) || parts.at(-1) === '..') parts.push(part);
    else if (parts.length > 0) parts.pop();
  }
  const joined = '/'.repeat(leading) + parts.join('/');
  return joined === '' ? '.' : joined;
}

/** How Python prints a value in MLflow's messages: None, True, nan, inf. */
function pythonValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : value === Infinity ? 'inf' : value === -Infinity ? '-inf' : String(value);
  if (typeof value === 'string') return value.slice(0, 250);
  return JSON.stringify(value)?.slice(0, 250) ?? String(value);
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function pythonList(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(', ')}]`;
}
