import { z } from 'zod';
import { runStatuses } from '../../../shared/contract/runs.ts';
import { mlflowInvalid, missingParameter } from '../../core/tracking/mlflow-rules.ts';

/**
 * The request messages of MLflow's tracking service (mlflow/protos/service.proto), as zod
 * schemas over protobuf JSON: snake_case names, int64 as a JSON number or a string of digits,
 * repeated fields as lists. A GET carries the same fields in its query string.
 */

const Int64 = z.union([z.number().int(), z.string().regex(/^-?\d{1,19}$/).transform(Number)]);
const Text = z.string();
const KeyValue = z.object({ key: Text, value: Text });
const KeyValues = z.array(KeyValue);
const ViewType = z.enum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']);
const MaxResults = (max: number) => Int64.pipe(z.number().int().min(1).max(max));
/** A metric value: number, or "NaN" / "Infinity" / "-Infinity" / digits as text (checked by metricValue). */
const MetricValueInput = z.union([z.number(), z.string()]);
const Metric = z.object({ key: Text, value: MetricValueInput, timestamp: Int64.optional(), step: Int64.optional() });

export const mlflowRequests = {
  createExperiment: z.object({ name: Text, artifact_location: Text.optional(), tags: KeyValues.optional() }),
  getExperiment: z.object({ experiment_id: Text }),
  getExperimentByName: z.object({ experiment_name: Text }),
  searchExperiments: z.object({
    max_results: MaxResults(50_000).optional(),
    page_token: Text.optional(),
    filter: Text.optional(),
    order_by: z.array(Text).optional(),
    view_type: ViewType.optional(),
  }),
  createRun: z.object({
    experiment_id: Text.optional(),
    user_id: Text.optional(),
    run_name: Text.optional(),
    start_time: Int64.optional(),
    tags: KeyValues.optional(),
  }),
  updateRun: z.object({ run_id: Text, status: z.enum(runStatuses).optional(), end_time: Int64.optional(), run_name: Text.optional() }),
  runId: z.object({ run_id: Text }),
  searchRuns: z.object({
    experiment_ids: z.array(Text).optional(),
    filter: Text.optional(),
    run_view_type: ViewType.optional(),
    max_results: MaxResults(50_000).optional(),
    order_by: z.array(Text).max(10).optional(),
    page_token: Text.optional(),
  }),
  logMetric: z.object({ run_id: Text, key: Text, value: MetricValueInput, timestamp: Int64.optional(), step: Int64.optional() }),
  logParam: z.object({ run_id: Text, key: Text, value: Text }),
  setTag: z.object({ run_id: Text, key: Text, value: Text }),
  logBatch: z.object({ run_id: Text, metrics: z.array(Metric).optional(), params: KeyValues.optional(), tags: KeyValues.optional() }),
  getMetricHistory: z.object({ run_id: Text, metric_key: Text, page_token: Text.optional(), max_results: MaxResults(25_000).optional() }),
  listArtifacts: z.object({ run_id: Text, path: Text.optional(), page_token: Text.optional() }),
} as const;

export type MlflowRequest<K extends keyof typeof mlflowRequests> = z.output<(typeof mlflowRequests)[K]>;

/** Fields that are lists in the proto, so one `?name=` in a query string is still a list. */
const REPEATED = new Set(['experiment_ids', 'order_by', 'tags', 'params', 'metrics']);

/** A GET's query string as the object a JSON body would carry. */
export function queryMessage(query: URLSearchParams): Record<string, unknown> {
  const message: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    message[key] = REPEATED.has(key) || values.length > 1 ? values : values[0];
  }
  return message;
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * Read a request message: MLflow's "Missing value for required parameter" first (a field, or
 * `list[].field` in each item of a list, named as `metrics[3].timestamp`), then the schema; a field of the wrong type is MLflow's "Invalid value … for parameter …".
 * `run_uuid`, the old name of `run_id`, is still accepted.
 */
export function readMessage<S extends z.ZodType>(schema: S, raw: unknown, required: readonly string[]): z.output<S> {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw mlflowInvalid('The request body must be a JSON object, like {"run_id": "…"}.');
  }
  const message: Record<string, unknown> = { ...(raw as Record<string, unknown> | undefined) };
  if (message.run_id === undefined && typeof message.run_uuid === 'string') message.run_id = message.run_uuid;
  for (const field of required) {
    const [list, inner] = field.split('[].');
    if (inner === undefined) {
      if (isMissing(message[field])) throw missingParameter(field);
      continue;
    }
    const items = message[list!];
    if (!Array.isArray(items)) continue; // the schema says what is wrong with it
    items.forEach((item: unknown, i) => {
      if (typeof item === 'object' && item !== null && isMissing((item as Record<string, unknown>)[inner])) throw missingParameter(`${list}[${i}].${inner}`);
    });
  }
  for (const [key, value] of Object.entries(message)) if (value === null) delete message[key];
  const parsed = schema.safeParse(message);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  const value = issue.path.reduce<unknown>((at, key) => (at as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], message);
  throw mlflowInvalid(`Invalid value ${JSON.stringify(value)?.slice(0, 200) ?? 'None'} for parameter '${field}' supplied: ${issue.message}. See the API docs for more information about request parameters.`, field);
}
