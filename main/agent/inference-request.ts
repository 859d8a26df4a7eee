import type { ServedModel } from '../core/serving/serving-messages.ts';

/**
 * A prediction request as KServe's two REST protocols send it, checked against the model's
 * signature and turned into rows keyed by column — or the sentence that says what is wrong, and
 * where, for a 400.
 *
 * Open Inference Protocol v2, tabular as MLServer's pandas codec sends it: one input per column,
 * all rows, `{"name": COLUMN, "shape": [N], "datatype": "FP64", "data": [...]}`.
 * KServe v1: `{"instances": [{COLUMN: value, …}, …]}`.
 */
export const MAX_ROWS_PER_REQUEST = 10_000;

export type ParsedRequest =
  | { ok: true; rows: Record<string, unknown>[]; id: string | undefined; /** The outputs asked for by name; undefined: all. */ outputs?: string[] | undefined }
  | { ok: false; error: string };

const NUMERIC = new Set(['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64']);
export const DATATYPES = [...NUMERIC, 'BYTES'];

type ColumnKind = 'number' | 'text' | 'boolean';

function kindOf(type: string): ColumnKind {
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'boolean') return 'boolean';
  return 'text'; // string, datetime, and columns seen empty in training
}

/** The datatype a client should send for a column of this type. */
export function datatypeFor(type: string): string {
  const kind = kindOf(type);
  return kind === 'number' ? 'FP64' : kind === 'boolean' ? 'BOOL' : 'BYTES';
}

function acceptsDatatype(kind: ColumnKind, datatype: string): boolean {
  if (kind === 'text') return datatype === 'BYTES';
  if (kind === 'boolean') return datatype === 'BOOL' || datatype === 'BYTES';
  return NUMERIC.has(datatype) && datatype !== 'BOOL';
}

/** Null is a missing value (the model fills it as training did); otherwise the value must fit the column. */
function valueProblem(kind: ColumnKind, value: unknown): string | null {
  if (value === null) return null;
  if (kind === 'number') return typeof value === 'number' && Number.isFinite(value) ? null : 'a number';
  if (kind === 'boolean') return typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value)) ? null : 'true or false';
  return typeof value === 'string' ? null : 'a string';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const bad = (error: string): ParsedRequest => ({ ok: false, error });
const list = (names: readonly string[]) => names.map((name) => JSON.stringify(name)).join(', ');

export function parseV2Request(body: unknown, model: ServedModel): ParsedRequest {
  const outputNames = model.classes ? [model.target, 'probabilities'] : [model.target];
  if (!isObject(body)) return bad('The request body must be a JSON object with "inputs": one tensor per column.');
  const allowed = new Set(['id', 'parameters', 'inputs', 'outputs']);
  const unknownKey = Object.keys(body).find((key) => !allowed.has(key));
  if (unknownKey !== undefined) return bad(`${JSON.stringify(unknownKey)} is not a field of an inference request (it has id, parameters, inputs, outputs).`);
  if (body.id !== undefined && typeof body.id !== 'string') return bad(`id: expected a string, got ${describe(body.id)}.`);
  if (body.parameters !== undefined && !isObject(body.parameters)) return bad('parameters: expected an object.');
  let outputs: string[] | undefined;
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs)) return bad(`outputs: expected a list of {"name": …}, naming some of ${list(outputNames)}.`);
    outputs = [];
    for (const [i, output] of body.outputs.entries()) {
      const name = isObject(output) ? output.name : undefined;
      if (typeof name !== 'string' || !outputNames.includes(name)) return bad(`outputs[${i}]: this model's outputs are ${list(outputNames)}; got ${describe(name ?? output)}.`);
      outputs.push(name);
    }
  }
  if (!Array.isArray(body.inputs)) return bad(`inputs: expected a list of tensors, one per column (${list(model.inputs.map((i) => i.name))}).`);

  const columns = new Map(model.inputs.map((input) => [input.name, kindOf(input.type)]));
  const seen = new Map<string, unknown[]>();
  let rows: number | null = null;
  for (const [i, tensor] of body.inputs.entries()) {
    const at = `inputs[${i}]`;
    if (!isObject(tensor)) return bad(`${at}: expected a tensor {"name", "shape", "datatype", "data"}, got ${describe(tensor)}.`);
    const { name, shape, datatype, data } = tensor;
    if (typeof name !== 'string') return bad(`${at}.name: expected the column's name as a string.`);
    const where = `input ${JSON.stringify(name)}`;
    const kind = columns.get(name);
    if (kind === undefined) return bad(`${where} is not a column this model reads; it reads ${list([...columns.keys()])}.`);
    if (seen.has(name)) return bad(`${where} is given twice.`);
    if (typeof datatype !== 'string' || !DATATYPES.includes(datatype)) return bad(`${where}: datatype ${describe(datatype)} is not one of ${DATATYPES.join(', ')}.`);
    if (!acceptsDatatype(kind, datatype)) return bad(`${where}: datatype ${datatype} does not fit a ${kind === 'text' ? 'text' : kind} column; send ${kind === 'number' ? 'an integer or FP type' : kind === 'boolean' ? 'BOOL' : 'BYTES'}.`);
    if (!Array.isArray(shape) || !(shape.length === 1 || (shape.length === 2 && shape[1] === 1)) || !Number.isSafeInteger(shape[0]) || (shape[0] as number) < 0) {
      return bad(`${where}: shape must be [N] (or [N, 1]) with N the number of rows, got ${JSON.stringify(shape)?.slice(0, 60)}.`);
    }
    const n = shape[0] as number;
    if (n > MAX_ROWS_PER_REQUEST) return bad(`${where}: ${n} rows in one request; at most ${MAX_ROWS_PER_REQUEST} (send the rest in further requests).`);
    if (!Array.isArray(data)) return bad(`${where}: data must be a flat list of ${n} values.`);
    if (data.length !== n) return bad(`${where}: shape says ${n} rows but data holds ${data.length} values.`);
    if (rows !== null && n !== rows) return bad(`${where} has ${n} rows, the inputs before it ${rows}: every column must have the same number of rows.`);
    rows = n;
    for (const [r, value] of data.entries()) {
      const expected = valueProblem(kind, value);
      if (expected) return bad(`${where}: data[${r}] is ${describe(value)}; expected ${expected} (or null for a missing value).`);
    }
    seen.set(name, data);
  }
  const missing = [...columns.keys()].filter((name) => !seen.has(name));
  if (missing.length > 0) return bad(`Missing input${missing.length > 1 ? 's' : ''} ${list(missing)}: send one tensor per column the model reads.`);
  const out: Record<string, unknown>[] = Array.from({ length: rows ?? 0 }, () => ({}));
  for (const [name, data] of seen) data.forEach((value, r) => (out[r]![name] = value));
  return { ok: true, rows: out, id: body.id as string | undefined, outputs };
}

export function parseV1Request(body: unknown, model: ServedModel): ParsedRequest {
  if (!isObject(body) || !Array.isArray(body.instances)) return bad('The request body must be {"instances": [{column: value, …}, …]}.');
  const extraKey = Object.keys(body).find((key) => key !== 'instances');
  if (extraKey !== undefined) return bad(`${JSON.stringify(extraKey)} is not a field of a v1 predict request (it has only "instances").`);
  if (body.instances.length > MAX_ROWS_PER_REQUEST) return bad(`instances: ${body.instances.length} rows in one request; at most ${MAX_ROWS_PER_REQUEST}.`);
  const columns = new Map(model.inputs.map((input) => [input.name, kindOf(input.type)]));
  for (const [r, row] of body.instances.entries()) {
    if (!isObject(row)) return bad(`instances[${r}]: expected an object keyed by column, got ${describe(row)}.`);
    for (const [name, value] of Object.entries(row)) {
      const kind = columns.get(name);
      if (kind === undefined) return bad(`instances[${r}].${name} is not a column this model reads; it reads ${list([...columns.keys()])}.`);
      const expected = valueProblem(kind, value);
      if (expected) return bad(`instances[${r}].${name} is ${describe(value)}; expected ${expected} (or null for a missing value).`);
    }
    const missing = [...columns.keys()].filter((name) => !(name in row));
    if (missing.length > 0) return bad(`instances[${r}] lacks ${list(missing)} (send null for a missing value).`);
  }
  return { ok: true, rows: body.instances as Record<string, unknown>[], id: undefined };
}
