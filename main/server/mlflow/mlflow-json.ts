import type { Experiment, MetricPoint, RunDetail, RunSummary } from '../../../shared/contract/runs.ts';
import type { ArtifactEntry } from '../../core/tracking/mlflow-tracking.ts';

/**
 * Lathe's experiments and runs in the JSON MLflow's server sends (protobuf JSON with the proto's
 * snake_case field names; int64 fields as JSON numbers, as MLflow's `message_to_json` writes
 * them; NaN and infinities as "NaN", "Infinity", "-Infinity"; empty lists left out).
 */

export interface KeyValue {
  key: string;
  value: string;
}

export function experimentJson(experiment: Experiment) {
  return {
    experiment_id: experiment.id,
    name: experiment.name,
    artifact_location: `mlflow-artifacts:/${experiment.id}`,
    lifecycle_stage: experiment.lifecycle,
    creation_time: experiment.createdAt,
    last_update_time: experiment.createdAt,
    ...nonEmpty('tags', keyValues(experiment.tags)),
  };
}

/** A run's info; runs/search's summaries carry no user, so there user_id is left out. */
export function runInfoJson(run: RunSummary | RunDetail) {
  return {
    run_id: run.id,
    run_uuid: run.id,
    run_name: run.name,
    experiment_id: run.experimentId,
    ...('user' in run ? { user_id: run.user } : {}),
    status: run.status,
    start_time: run.startTime,
    ...(run.endTime === null ? {} : { end_time: run.endTime }),
    artifact_uri: artifactUri(run),
    lifecycle_stage: run.lifecycle,
  };
}

/** A run with its data (latest metrics, params, tags — the user's and the system's) and inputs. */
export function runJson(run: RunSummary | RunDetail) {
  const systemTags = 'systemTags' in run ? run.systemTags : {};
  const metrics = Object.entries(run.metrics).map(([key, latest]) => ({ key, value: latest.value, timestamp: latest.timestamp, step: latest.step }));
  const datasetInputs = run.datasets.map((dataset) => ({
    dataset: {
      name: dataset.name,
      digest: dataset.contentHash,
      source_type: 'lathe',
      source: JSON.stringify({ name: dataset.name, version: dataset.version }),
    },
  }));
  return {
    info: runInfoJson(run),
    data: {
      ...nonEmpty('metrics', metrics),
      ...nonEmpty('params', keyValues(run.params)),
      ...nonEmpty('tags', keyValues({ ...run.tags, ...systemTags })),
    },
    inputs: nonEmpty('dataset_inputs', datasetInputs),
  };
}

export function metricJson(point: MetricPoint) {
  return { key: point.key, value: point.value, timestamp: point.timestamp, step: point.step };
}

/** A FileInfo: `path` relative to what was listed (the artifact proxy) or to the run (artifacts/list). */
export function fileInfoJson(entry: ArtifactEntry, parent: string) {
  const path = parent === '' ? entry.path : `${parent.replace(/\/+$/, '')}/${entry.path}`;
  return entry.isDir ? { path, is_dir: true } : { path, is_dir: false, file_size: entry.bytes ?? 0 };
}

/** Where MLflow's client finds a run's artifacts: the artifact proxy of this server. */
export function artifactUri(run: Pick<RunSummary, 'id' | 'experimentId'>): string {
  return `mlflow-artifacts:/${run.experimentId}/${run.id}/artifacts`;
}

function keyValues(record: Record<string, string>): KeyValue[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

function nonEmpty<K extends string, T>(key: K, items: T[]): { [P in K]?: T[] } {
  return (items.length > 0 ? { [key]: items } : {}) as { [P in K]?: T[] };
}
