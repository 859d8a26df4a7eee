import type { z } from 'zod';
import { metricValue, mlflowInvalid } from '../../core/tracking/mlflow-rules.ts';
import { checkArtifactPath } from '../../core/tracking/run-artifacts.ts';
import type { MlflowMetric, MlflowTracking } from '../../core/tracking/mlflow-tracking.ts';
import { experimentJson, fileInfoJson, metricJson, runInfoJson, runJson } from './mlflow-json.ts';
import { mlflowRequests, type MlflowRequest } from './mlflow-requests.ts';

/**
 * MLflow's tracking endpoints under /api/2.0/mlflow/: the HTTP method the proto gives each
 * (reads also answer POST, as some clients send them), the fields it requires, its request
 * schema, and what it answers — each a translation to one MlflowTracking call.
 */
export interface Endpoint {
  method: 'GET' | 'POST';
  required: readonly string[];
  schema: z.ZodType;
  /** Whether the body counts against log-batch's 1 MB. */
  batch?: boolean;
  answer(tracking: MlflowTracking, message: never): unknown;
}

function endpoint<K extends keyof typeof mlflowRequests>(
  method: 'GET' | 'POST',
  request: K,
  required: readonly string[],
  answer: (tracking: MlflowTracking, message: MlflowRequest<K>) => unknown,
  options: { batch?: boolean } = {},
): Endpoint {
  return { method, required, schema: mlflowRequests[request], answer: answer as Endpoint['answer'], ...options };
}

const DEFAULT_MAX_RUNS = 1000;

/** One point as sent: its value read the protobuf way; step 0 and timestamp None when absent. */
function metricOf(point: { key: string; value: number | string; timestamp?: number | undefined; step?: number | undefined }): MlflowMetric {
  return { key: point.key, value: metricValue(point.value, point.key, point.timestamp), timestamp: point.timestamp ?? null, step: point.step ?? 0 };
}

export const mlflowEndpoints: Readonly<Record<string, Endpoint>> = {
  'experiments/create': endpoint('POST', 'createExperiment', ['name'], (t, m) => ({ experiment_id: t.createExperiment(m.name, m.tags).id })),
  'experiments/get': endpoint('GET', 'getExperiment', ['experiment_id'], (t, m) => ({ experiment: experimentJson(t.getExperiment(m.experiment_id)) })),
  'experiments/get-by-name': endpoint('GET', 'getExperimentByName', ['experiment_name'], (t, m) => ({
    experiment: experimentJson(t.getExperimentByName(m.experiment_name)),
  })),
  'experiments/search': endpoint('GET', 'searchExperiments', [], (t, m) => {
    const all = t.searchExperiments({ viewType: m.view_type, filter: m.filter });
    const offset = pageOffset(m.page_token);
    const max = m.max_results ?? DEFAULT_MAX_RUNS;
    const page = all.slice(offset, offset + max);
    const next = offset + page.length;
    return { experiments: page.map(experimentJson), ...(next < all.length ? { next_page_token: pageToken(next) } : {}) };
  }),
  'runs/create': endpoint('POST', 'createRun', [], (t, m) => ({
    run: runJson(t.createRun({ experimentId: m.experiment_id, runName: m.run_name, startTime: m.start_time, userId: m.user_id, tags: m.tags })),
  })),
  'runs/update': endpoint('POST', 'updateRun', ['run_id'], (t, m) => ({
    run_info: runInfoJson(t.updateRun(m.run_id, { status: m.status, endTime: m.end_time, runName: m.run_name })),
  })),
  'runs/get': endpoint('GET', 'runId', ['run_id'], (t, m) => ({ run: runJson(t.getRun(m.run_id)) })),
  'runs/search': endpoint('POST', 'searchRuns', [], (t, m) => {
    const page = t.searchRuns({
      experimentIds: m.experiment_ids ?? [],
      filter: m.filter,
      orderBy: m.order_by,
      maxResults: m.max_results ?? DEFAULT_MAX_RUNS,
      pageToken: m.page_token,
      viewType: m.run_view_type ?? 'ACTIVE_ONLY',
    });
    return { ...(page.runs.length > 0 ? { runs: page.runs.map(runJson) } : {}), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
  }),
  'runs/log-metric': endpoint('POST', 'logMetric', ['run_id', 'key', 'value', 'timestamp'], (t, m) => {
    t.logMetric(m.run_id, metricOf(m));
    return {};
  }),
  'runs/log-parameter': endpoint('POST', 'logParam', ['run_id', 'key', 'value'], (t, m) => {
    t.logParam(m.run_id, m.key, m.value);
    return {};
  }),
  'runs/set-tag': endpoint('POST', 'setTag', ['run_id', 'key', 'value'], (t, m) => {
    t.setTag(m.run_id, m.key, m.value);
    return {};
  }),
  'runs/log-batch': endpoint(
    'POST',
    'logBatch',
    ['run_id', 'metrics[].key', 'metrics[].value', 'metrics[].timestamp', 'params[].key', 'tags[].key'],
    (t, m) => {
      t.logBatch(m.run_id, { metrics: (m.metrics ?? []).map(metricOf), params: m.params, tags: m.tags });
      return {};
    },
    { batch: true },
  ),
  'runs/delete': endpoint('POST', 'runId', ['run_id'], (t, m) => {
    t.deleteRun(m.run_id);
    return {};
  }),
  'runs/restore': endpoint('POST', 'runId', ['run_id'], (t, m) => {
    t.restoreRun(m.run_id);
    return {};
  }),
  'metrics/get-history': endpoint('GET', 'getMetricHistory', ['run_id', 'metric_key'], (t, m) => {
    const all = t.metricHistory(m.run_id, m.metric_key);
    if (m.max_results === undefined && m.page_token === undefined) return all.length > 0 ? { metrics: all.map(metricJson) } : {};
    const offset = pageOffset(m.page_token);
    const page = all.slice(offset, offset + (m.max_results ?? 25_000));
    const next = offset + page.length;
    return { ...(page.length > 0 ? { metrics: page.map(metricJson) } : {}), ...(next < all.length ? { next_page_token: pageToken(next) } : {}) };
  }),
  'artifacts/list': endpoint('GET', 'listArtifacts', ['run_id'], (t, m) => {
    const run = t.getRun(m.run_id);
    const folder = artifactFolder(m.path);
    const files = t.listArtifacts(m.run_id, folder).map((entry) => fileInfoJson(entry, folder));
    return { root_uri: `mlflow-artifacts:/${run.experimentId}/${run.id}/artifacts`, ...(files.length > 0 ? { files } : {}) };
  }),
};

function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function pageOffset(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (Number.isSafeInteger(offset) && (offset as number) >= 0) return offset as number;
  } catch {
    // said below
  }
  throw mlflowInvalid(`Invalid page token '${token.slice(0, 100)}'.`, 'page_token');
}

/** The folder listed: '' for the top, else a relative artifact path (no "..", no absolute path). */
function artifactFolder(path: string | undefined): string {
  const folder = (path ?? '').replace(/\/+$/, '');
  return folder === '' ? '' : checkArtifactPath(folder);
}
