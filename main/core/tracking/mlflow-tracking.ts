import type { Experiment, MetricPoint, RunDetail, RunStatus, RunSummary } from '../../../shared/contract/runs.ts';
import { encodeMetricValue } from '../../../shared/contract/runs.ts';
import { LatheFailure } from '../errors.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import {
  checkBatchCounts,
  checkExperimentName,
  checkMetric,
  checkParam,
  checkParamKeysUnique,
  checkTag,
  experimentExists,
  experimentNameNotFound,
  experimentNotFound,
  mlflowInvalid,
  paramChanged,
  runNotActive,
  runNotFound,
} from './mlflow-rules.ts';
import type { ArtifactContent } from './run-artifacts.ts';
import type { EventHub } from '../events.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { trackingFor } from './open-tracking.ts';
import type { TrackingStore } from './tracking-store.ts';

/**
 * The tracking store as an MLflow tracking server sees it: experiments by id, runs made by an
 * outside client, log-batch, write-once params, soft delete, and MLflow's refusals (see
 * mlflow-rules.ts) — what main/server/mlflow answers over REST and `lathe run` reuses. Runs
 * logged here are Lathe runs like any other: the Experiments page shows them.
 *
 * MLflow clients that set no experiment use id "0", MLflow's Default experiment; here "0" is
 * the experiment named "Default" (made when first used), whatever its own id.
 */
export const DEFAULT_EXPERIMENT_ID = '0';
const DEFAULT_EXPERIMENT = 'Default';

/** A metric point as an MLflow client sends it; timestamp null: none was sent. */
export interface MlflowMetric {
  key: string;
  value: number;
  timestamp: number | null;
  step: number;
}

export interface MlflowRunStart {
  experimentId?: string | undefined;
  runName?: string | undefined;
  startTime?: number | undefined;
  userId?: string | undefined;
  tags?: readonly { key: string; value: string }[] | undefined;
}

export type RunViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

/** A file or folder of a run's artifacts, relative to the folder listed. */
export interface ArtifactEntry {
  path: string;
  isDir: boolean;
  bytes?: number;
}

export class MlflowTracking {
  readonly #store: TrackingStore;
  readonly #blobs: BlobStore;

  constructor(store: TrackingStore, blobs: BlobStore) {
    this.#store = store;
    this.#blobs = blobs;
  }

  get store(): TrackingStore {
    return this.#store;
  }

  // —— experiments ——

  createExperiment(name: string, tags: readonly { key: string; value: string }[] = []): Experiment {
    checkExperimentName(name);
    for (const tag of tags) checkTag(tag.key, tag.value);
    if (this.#experimentNamed(name)) throw experimentExists(name);
    try {
      return this.#store.createExperiment(name, Object.fromEntries(tags.map((tag) => [tag.key, tag.value])));
    } catch (error) {
      if (error instanceof LatheFailure && error.error.code === 'CONFLICT') throw experimentExists(name);
      throw error;
    }
  }

  getExperiment(id: string): Experiment {
    if (id === DEFAULT_EXPERIMENT_ID) return this.#defaultExperiment();
    const found = this.#store.listExperiments({ includeDeleted: true }).find((experiment) => experiment.id === id);
    if (!found) throw experimentNotFound(id);
    return found;
  }

  getExperimentByName(name: string): Experiment {
    const found = this.#experimentNamed(name);
    if (!found) throw experimentNameNotFound(name);
    return found;
  }

  /** Every experiment of the view, by id; `name = '…'`, `name LIKE '…'` and the like filter them. */
  searchExperiments(options: { viewType?: RunViewType | undefined; filter?: string | undefined }): Experiment[] {
    const viewType = options.viewType ?? 'ACTIVE_ONLY';
    const matches = experimentFilter(options.filter);
    return this.#store
      .listExperiments({ includeDeleted: true })
      .filter((experiment) => viewType === 'ALL' || (viewType === 'ACTIVE_ONLY') === (experiment.lifecycle === 'active'))
      .filter(matches);
  }

  // —— runs ——

  createRun(start: MlflowRunStart): RunDetail {
    const experiment = this.getExperiment(start.experimentId ?? DEFAULT_EXPERIMENT_ID);
    if (experiment.lifecycle !== 'active') {
      throw mlflowInvalid(`The experiment ${experiment.id} must be in the 'active' state. Current state is deleted.`, 'experiment_id');
    }
    const tags = start.tags ?? [];
    for (const tag of tags) checkTag(tag.key, tag.value);
    const tagged = Object.fromEntries(tags.map((tag) => [tag.key, tag.value]));
    const runNameTag = tagged['mlflow.runName'];
    if (start.runName !== undefined && runNameTag !== undefined && runNameTag !== start.runName) {
      throw mlflowInvalid(`Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${start.runName}', mlflow.runName='${runNameTag}').`, 'run_name');
    }
    const name = start.runName ?? runNameTag;
    const user = start.userId ?? tagged['mlflow.user'];
    // One transaction: the run with MLflow's own tags for its name and user (a generated name is in run_name).
    const run = this.#store.createRun({
      experiment: experiment.name,
      ...(name ? { name } : {}),
      ...(user ? { user } : {}),
      ...(start.startTime === undefined ? {} : { startTime: start.startTime }),
      tags: { ...tagged, ...(name ? { 'mlflow.runName': name } : {}), ...(user ? { 'mlflow.user': user } : {}) },
      drivenBy: 'outside-client',
    });
    return this.#store.getRun(run.id);
  }

  updateRun(runId: string, update: { status?: RunStatus | undefined; endTime?: number | undefined; runName?: string | undefined }): RunDetail {
    const run = this.getRun(runId);
    if (run.lifecycle !== 'active') throw runNotActive(runId);
    if (update.runName !== undefined && update.runName !== run.name) {
      throw mlflowInvalid(`Renaming a run is not supported by this server (run ${runId} is named '${run.name}'); set the name when the run is created.`, 'run_name');
    }
    if (update.status !== undefined) this.#run(runId, () => this.#store.setStatus(runId, update.status!, update.endTime));
    return this.#store.getRun(runId);
  }

  getRun(runId: string): RunDetail {
    return this.#run(runId, () => this.#store.getRun(runId));
  }

  deleteRun(runId: string): void {
    this.#run(runId, () => this.#store.deleteRun(runId));
  }

  restoreRun(runId: string): void {
    this.#run(runId, () => this.#store.restoreRun(runId));
  }

  searchRuns(query: { experimentIds: readonly string[]; filter?: string | undefined; orderBy?: readonly string[] | undefined; maxResults: number; pageToken?: string | undefined; viewType: RunViewType }): {
    runs: RunSummary[];
    nextPageToken?: string;
  } {
    const experimentIds = query.experimentIds.map((id) => (id === DEFAULT_EXPERIMENT_ID ? this.#defaultExperiment().id : id));
    const base = { experimentIds, filter: query.filter, orderBy: query.orderBy };
    const search = (extra: { maxResults: number; pageToken?: string | undefined; includeDeleted: boolean }) => {
      try {
        return this.#store.searchRuns({ ...base, ...extra });
      } catch (error) {
        if (error instanceof LatheFailure && error.error.code === 'INVALID_INPUT') throw mlflowInvalid(error.error.message, 'filter');
        throw error;
      }
    };
    if (query.viewType !== 'DELETED_ONLY') {
      const page = search({ maxResults: query.maxResults, pageToken: query.pageToken, includeDeleted: query.viewType === 'ALL' });
      return page.nextPageToken ? { runs: page.runs, nextPageToken: page.nextPageToken } : { runs: page.runs };
    }
    // Deleted runs only: the store pages over all runs, so filter whole and page here.
    const deleted: RunSummary[] = [];
    let token: string | undefined;
    do {
      const page = search({ maxResults: 10_000, pageToken: token, includeDeleted: true });
      deleted.push(...page.runs.filter((run) => run.lifecycle === 'deleted'));
      token = page.nextPageToken;
    } while (token);
    const offset = deletedPageOffset(query.pageToken);
    const runs = deleted.slice(offset, offset + query.maxResults);
    const next = offset + runs.length;
    return next < deleted.length ? { runs, nextPageToken: `deleted:${next}` } : { runs };
  }

  // —— logging ——

  logBatch(runId: string, batch: { metrics?: readonly MlflowMetric[]; params?: readonly { key: string; value: string }[]; tags?: readonly { key: string; value: string }[] }): void {
    const metrics = batch.metrics ?? [];
    const params = batch.params ?? [];
    const tags = batch.tags ?? [];
    checkBatchCounts(metrics.length, params.length, tags.length);
    for (const metric of metrics) checkMetric(metric.key, metric.value, metric.timestamp, metric.step);
    for (const param of params) checkParam(param.key, param.value);
    for (const tag of tags) checkTag(tag.key, tag.value);
    checkParamKeysUnique(params.map((param) => param.key));
    try {
      this.#run(runId, () =>
        this.#store.logBatch(runId, {
          metrics: metrics.map((metric) => ({ key: metric.key, value: metric.value, step: metric.step, timestamp: metric.timestamp! })),
          params: Object.fromEntries(params.map((param) => [param.key, param.value])),
          tags: Object.fromEntries(tags.map((tag) => [tag.key, tag.value])),
        }),
      );
    } catch (error) {
      throw this.#paramChange(runId, params, error);
    }
  }

  logMetric(runId: string, metric: MlflowMetric): void {
    this.logBatch(runId, { metrics: [metric] });
  }

  logParam(runId: string, key: string, value: string): void {
    this.logBatch(runId, { params: [{ key, value }] });
  }

  setTag(runId: string, key: string, value: string): void {
    this.logBatch(runId, { tags: [{ key, value }] });
  }

  /** Every point of a metric, as MLflow returns them (by step, then timestamp). */
  metricHistory(runId: string, key: string): MetricPoint[] {
    const series = this.#run(runId, () => this.#store.metricSeries(runId, key));
    return Array.from(series.values, (value, i) => ({ key, value: encodeMetricValue(value), step: series.steps[i]!, timestamp: series.timestamps[i]! }));
  }

  // —— artifacts ——

  /** What is directly in `folder` ('' for the top) of the run's artifacts: files, and folders holding more. */
  listArtifacts(runId: string, folder: string): ArtifactEntry[] {
    const run = this.getRun(runId);
    const prefix = folder === '' ? '' : `${folder.replace(/\/+$/, '')}/`;
    const entries = new Map<string, ArtifactEntry>();
    for (const artifact of run.artifacts) {
      if (!artifact.path.startsWith(prefix)) continue;
      const rest = artifact.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) entries.set(rest, { path: rest, isDir: false, bytes: artifact.bytes });
      else entries.set(rest.slice(0, slash), { path: rest.slice(0, slash), isDir: true });
    }
    return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async putArtifact(runId: string, path: string, content: ArtifactContent): Promise<void> {
    this.#activeRunOf(runId);
    await this.#store.logArtifact(runId, path, content).catch((error: unknown) => {
      throw this.#translated(runId, error);
    });
  }

  /** An artifact's size and its bytes, checked against their hash as they are read (a damaged blob ends the stream with DATA_DAMAGED). */
  openArtifact(runId: string, path: string): { bytes: number; chunks: AsyncGenerator<Uint8Array> } | null {
    const artifact = this.getRun(runId).artifacts.find((candidate) => candidate.path === path);
    if (!artifact) return null;
    return { bytes: artifact.bytes, chunks: this.#blobs.readVerified(artifact.contentHash, artifact.bytes, `artifact ${JSON.stringify(path)} of run ${runId}`) };
  }

  // —— inside ——

  #defaultExperiment(): Experiment {
    return this.#experimentNamed(DEFAULT_EXPERIMENT) ?? this.#store.createExperiment(DEFAULT_EXPERIMENT);
  }

  #experimentNamed(name: string): Experiment | undefined {
    return this.#store.listExperiments({ includeDeleted: true }).find((experiment) => experiment.name === name);
  }

  #activeRunOf(runId: string): RunDetail {
    const run = this.getRun(runId);
    if (run.lifecycle !== 'active') throw runNotActive(runId);
    return run;
  }

  /** Do `work` on a run, saying the store's refusals about that run in MLflow's words. */
  #run<T>(runId: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw this.#translated(runId, error);
    }
  }

  #translated(runId: string, error: unknown): unknown {
    if (!(error instanceof LatheFailure)) return error;
    const { code, location } = error.error;
    const field = location?.field ?? '';
    if (field === 'runId' && code === 'NOT_FOUND') return runNotFound(runId);
    if (field === 'runId' && code === 'INVALID_INPUT') return runNotActive(runId);
    return error;
  }

  /** The store's refusal of a param logged again with another value, in MLflow's words (naming both values). */
  #paramChange(runId: string, params: readonly { key: string; value: string }[], error: unknown): unknown {
    const field = error instanceof LatheFailure && error.error.code === 'INVALID_INPUT' ? (error.error.location?.field ?? '') : '';
    if (!field.startsWith('params.')) return error;
    const key = field.slice('params.'.length);
    const attempted = params.find((param) => param.key === key)?.value;
    const was = this.#store.getRun(runId).params[key];
    return attempted === undefined || was === undefined || was === attempted ? error : paramChanged(runId, key, was, attempted);
  }
}

function deletedPageOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const offset = /^deleted:(\d{1,9})$/.exec(token)?.[1];
  if (offset === undefined) throw mlflowInvalid(`Invalid page token '${token.slice(0, 100)}'.`, 'page_token');
  return Number(offset);
}

/**
 * MLflow's experiment filter, the part clients use: `name = 'x'`, `name != 'x'`,
 * `name LIKE 'x%'`, `name ILIKE '%x%'`, joined with AND. Anything else is refused, saying so.
 */
export function experimentFilter(filter: string | undefined): (experiment: Experiment) => boolean {
  if (filter === undefined || filter.trim() === '') return () => true;
  const clauses = filter.split(/\s+AND\s+/i).map((clause) => {
    const match = /^\s*(?:attributes?\.)?name\s*(=|!=|LIKE|ILIKE)\s*(['"])(.*)\2\s*$/i.exec(clause);
    if (!match) {
      throw mlflowInvalid(`Invalid filter '${filter.slice(0, 200)}': this server filters experiments by name only (name = 'x', name != 'x', name LIKE 'x%', name ILIKE '%x%'), joined with AND.`, 'filter');
    }
    const op = match[1]!.toUpperCase();
    const value = match[3]!;
    if (op === '=') return (name: string) => name === value;
    if (op === '!=') return (name: string) => name !== value;
    const pattern = new RegExp(`^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, op === 'ILIKE' ? 'is' : 's');
    return (name: string) => pattern.test(name);
  });
  return (experiment) => clauses.every((matches) => matches(experiment.name));
}

/** The MLflow view of an open workspace's tracking store (the one trackingFor gives). */
export function mlflowTrackingFor(workspace: Workspace, events: EventHub | null): MlflowTracking {
  return new MlflowTracking(trackingFor(workspace, events), workspace.blobs);
}
