/**
 * The experiment-tracking store of one workspace: every run, whether Lathe's training made it
 * or (later) an MLflow client through the REST API, in the workspace database (MLflow's data
 * model; schema: migration 2 in storage/workspace-db.ts). Get it with `trackingFor(workspace,
 * events)` (open-tracking.ts), which also turns runs abandoned by dead processes into FAILED.
 *
 * For in-process writers (training), all synchronous except logArtifact (what a new run takes:
 * NewRun in tracking-input.ts):
 *
 *   const tracking = trackingFor(workspace, events);
 *   const run = tracking.createRun({ experiment: 'penguins', name: 'mlp-3', params: { lr: 0.01 },
 *     tags: { note: 'wider' }, datasets: [{ name: 'penguins', version: 3, contentHash }],
 *     gitCommit, environment: { backend: 'cpu', node: process.version, libraries: { … } } });
 *   tracking.logMetrics(run.id, [{ key: 'loss', value: 0.41, step: 10 }, …]);  // timestamp: now
 *   tracking.logParams(run.id, { epochs: 20 });       // write-once: a different value is refused
 *   tracking.setTags(run.id, { stage: 'tuning' });    // last write wins
 *   await tracking.logArtifact(run.id, 'model/weights.bin', bytesOrStream);
 *   tracking.setStatus(run.id, 'FINISHED');           // end time: now, unless given
 *
 * Also: logBatch (MLflow's log-batch, within its limits: 1000 metrics, 100 params, 100 tags,
 * 1000 items), logInputs (datasets read), deleteRun/restoreRun. A run an outside client drives
 * (MLflow over REST) is made with `drivenBy: 'outside-client'`, so no process owns it.
 *
 * Each call is one transaction: it happens whole or not at all, and what it wrote survives a
 * kill the moment it returns. A call costs about 0.3 ms however few points it carries, so a
 * training loop should hand over what it logged every ~100 ms or ~100 steps, not every step
 * (a 1000-point call takes about 1 ms). Bad input is an INVALID_INPUT naming the field
 * (nothing kept).
 * Where things are kept: params, tags and dataset inputs in their tables; metric points in
 * columnar blocks (metric-log.ts); the git commit at run start and the environment (JSON) in
 * columns of `runs`, not in reserved tags; `lathe.*` tags are Lathe's own (lathe.failure says
 * why a run was marked FAILED). The process that drives a RUNNING run is recorded (pid, host).
 *
 * Reads: getRun, searchRuns (run-search.ts: MLflow's filter with OR and parentheses),
 * metricSeries (every point, as typed arrays), metricHistory (at most maxPoints, by LTTB).
 * Events: `runs:changed` on every status or lifecycle change, `runs:metrics` for logged points
 * (throttled: metric-events.ts).
 */
import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import {
  runStatuses,
  type DatasetInput,
  type Experiment,
  type Lifecycle,
  type MetricPoint,
  type RunArtifact,
  type RunDetail,
  type RunSearchResult,
  type RunStatus,
  type RunSummary,
} from '../../../shared/contract/runs.ts';
import { failure } from '../errors.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { isProcessAlive } from '../storage/blob-store.ts';
import type { WorkspaceDb } from '../storage/workspace-db.ts';
import type { WorkspaceLock } from '../workspace/workspace-lock.ts';
import { recoverAbandonedRuns, type RecoveredRun } from './abandoned-runs.ts';
import { downsample } from './lttb.ts';
import { emptyColumns, type MetricColumns } from './metric-blocks.ts';
import { MetricEvents, type Clock } from './metric-events.ts';
import { MetricLog } from './metric-log.ts';
import { checkArtifactPath, readArtifactText, writeArtifactBytes, type ArtifactContent } from './run-artifacts.ts';
import { searchRunSeqs, type RunQuery } from './run-search.ts';
import { RunRecords, type RunRef } from './run-records.ts';
import { RunSummaries } from './run-summaries.ts';
import {
  checkBatchLimits,
  checkDatasets,
  checkEnvironment,
  checkExperimentName,
  checkGitCommit,
  checkParams,
  checkRunName,
  checkTags,
  checkTime,
  groupPoints,
  invalid,
  type MetricPointInput,
  type NewRun,
  type ParamValue,
  type PointsByKey,
} from './tracking-input.ts';

export interface TrackingContext {
  /** The workspace folder, as events name it. */
  dir: string;
  db: WorkspaceDb;
  blobs: BlobStore;
  lock: WorkspaceLock;
  /** Where `runs:changed` and `runs:metrics` go; null: nowhere. */
  emit?: ((event: TrackingEvent) => void) | null;
  clock?: Clock;
  /** Tests: the process identity recorded for RUNNING runs, and how to tell a process is alive. */
  owner?: { pid: number; host: string; isAlive: (pid: number) => boolean };
}

export type TrackingEvent =
  | { name: 'runs:changed'; payload: { workspace: string; runId: string; status: RunStatus; lifecycle: Lifecycle } }
  | { name: 'runs:metrics'; payload: { workspace: string; runId: string; points: MetricPoint[] } };

export interface MetricHistoryColumns extends MetricColumns {
  /** Points the run holds for the key (more than returned when downsampled). */
  stored: number;
  downsampled: boolean;
}

const TERMINAL: readonly RunStatus[] = ['FINISHED', 'FAILED', 'KILLED'];
const MMAP_BYTES = 1 << 30;

export class TrackingStore {
  readonly #dir: string;
  readonly #db: WorkspaceDb;
  readonly #blobs: BlobStore;
  readonly #lock: WorkspaceLock;
  readonly #emit: ((event: TrackingEvent) => void) | null;
  readonly #clock: Clock | undefined;
  readonly #owner: { pid: number; host: string; isAlive: (pid: number) => boolean };
  readonly #metricEvents: MetricEvents;
  readonly #metrics: MetricLog;
  readonly #summaries: RunSummaries;
  readonly #records: RunRecords;

  constructor(context: TrackingContext) {
    this.#dir = context.dir;
    this.#db = context.db;
    this.#blobs = context.blobs;
    this.#lock = context.lock;
    this.#emit = context.emit ?? null;
    this.#clock = context.clock;
    this.#owner = context.owner ?? { pid: process.pid, host: hostname(), isAlive: isProcessAlive };
    this.#metricEvents = new MetricEvents((runId, points) => this.#emit?.({ name: 'runs:metrics', payload: { workspace: this.#dir, runId, points } }), context.clock);
    [this.#metrics, this.#summaries, this.#records] = this.#db.use((sql) => {
      // Read pages straight from the file's memory map rather than copying each through
      // SQLite's page cache: a series of a million points is then read in a few milliseconds.
      // Per connection; writes still go through the WAL. (SQLite's caveat: a file truncated by
      // a program other than SQLite while mapped would crash this process rather than err.)
      sql.exec(`PRAGMA mmap_size = ${MMAP_BYTES}`);
      return [new MetricLog(sql), new RunSummaries(sql), new RunRecords(sql)] as const;
    });
  }

  // —— experiments ——

  listExperiments(options: { includeDeleted?: boolean } = {}): Experiment[] {
    return this.#db.use(() => this.#records.experiments().filter((experiment) => options.includeDeleted || experiment.lifecycle === 'active'));
  }

  /** A new experiment; a name already taken (even by a deleted one) is a CONFLICT. */
  createExperiment(name: string, tags: Record<string, string> = {}): Experiment {
    checkExperimentName(name);
    const checkedTags = checkTags(tags);
    const id = this.#write(() => {
      if (this.#records.experimentByName(name)) {
        throw failure('CONFLICT', `An experiment named "${name}" already exists.`, { hint: 'Choose another name, or log runs to that experiment.', location: { field: 'name' } });
      }
      return this.#records.insertExperiment(name, checkedTags, this.#now());
    });
    return this.listExperiments({ includeDeleted: true }).find((experiment) => experiment.id === String(id))!;
  }

  // —— runs: writing ——

  /** Start a run (one transaction: the run, its params, tags and dataset inputs). */
  createRun(spec: NewRun = {}): RunSummary {
    const experimentName = checkExperimentName(spec.experiment ?? 'Default');
    const id = randomBytes(16).toString('hex');
    const name = checkRunName(spec.name ?? `run-${id.slice(0, 8)}`);
    const params = checkParams(spec.params ?? {});
    const tags = checkTags(spec.tags ?? {});
    const datasets = checkDatasets(spec.datasets);
    const gitCommit = checkGitCommit(spec.gitCommit);
    const environment = checkEnvironment(spec.environment);
    const status = spec.status ?? 'RUNNING';
    if (status !== 'RUNNING' && status !== 'SCHEDULED') throw invalid(`status: a run starts RUNNING or SCHEDULED; got ${JSON.stringify(status)}.`, 'status');
    const startTime = checkTime(spec.startTime ?? this.#now(), 'startTime');
    const owned = (spec.drivenBy ?? 'this-process') === 'this-process' && status === 'RUNNING';
    const seq = this.#write(() => {
      const experiment = this.#records.experimentByName(experimentName) ?? { id: this.#records.insertExperiment(experimentName, [], this.#now()), lifecycle: 'active' };
      if (experiment.lifecycle === 'deleted') throw invalid(`experiment: "${experimentName}" is deleted; restore it or use another experiment.`, 'experiment');
      const owner = owned ? { pid: this.#owner.pid, host: this.#owner.host } : null;
      const seq = this.#records.insertRun({ id, experiment: experiment.id, name, status, startTime, user: spec.user ?? currentUser(), gitCommit, environment, owner });
      this.#records.insertParams({ seq, id, status, lifecycle: 'active' }, params);
      this.#records.upsertTags(seq, tags);
      this.#records.insertInputs(seq, datasets);
      return seq;
    });
    this.#changed(id, status, 'active');
    return this.#summaries.summaries([seq])[0]!;
  }

  /** Append metric points (step default 0, timestamp default now); NaN and ±Infinity are kept. */
  logMetrics(runId: string, points: readonly MetricPointInput[]): void {
    const grouped = groupPoints(points, this.#now());
    this.#write(() => this.#appendMetrics(this.#activeRun(runId), grouped));
    this.#metricEvents.add(runId, grouped);
  }

  /** Params are write-once: the same value again is fine, a different one is refused (nothing of the call is kept). */
  logParams(runId: string, params: Record<string, ParamValue>): void {
    const checked = checkParams(params);
    this.#write(() => this.#records.insertParams(this.#activeRun(runId), checked));
  }

  /** Tags: the last write wins. */
  setTags(runId: string, tags: Record<string, string>): void {
    const checked = checkTags(tags);
    this.#write(() => this.#records.upsertTags(this.#activeRun(runId).seq, checked));
  }

  /** Dataset inputs; logging one again is a no-op. */
  logInputs(runId: string, datasets: DatasetInput[]): void {
    const checked = checkDatasets(datasets);
    this.#write(() => this.#records.insertInputs(this.#activeRun(runId).seq, checked));
  }

  /** MLflow's log-batch: within its limits (1000 metrics, 100 params, 100 tags, 1000 items), all or nothing. */
  logBatch(runId: string, batch: { metrics?: MetricPointInput[]; params?: Record<string, ParamValue>; tags?: Record<string, string> }): void {
    const metrics = batch.metrics ?? [];
    checkBatchLimits({ metrics: metrics.length, params: Object.keys(batch.params ?? {}).length, tags: Object.keys(batch.tags ?? {}).length });
    const params = checkParams(batch.params ?? {});
    const tags = checkTags(batch.tags ?? {});
    const grouped = groupPoints(metrics, this.#now());
    this.#write(() => {
      const run = this.#activeRun(runId);
      this.#records.insertParams(run, params);
      this.#appendMetrics(run, grouped);
      this.#records.upsertTags(run.seq, tags);
    });
    if (grouped.size > 0) this.#metricEvents.add(runId, grouped);
  }

  /**
   * RUNNING (again: this process now drives it), SCHEDULED, or an end: FINISHED, FAILED, KILLED
   * (end time: `endTime`, default now).
   */
  setStatus(runId: string, status: RunStatus, endTime?: number): void {
    if (!(runStatuses as readonly string[]).includes(status)) throw invalid(`status: expected one of ${runStatuses.join(', ')}; got ${JSON.stringify(status)}.`, 'status');
    const ended = TERMINAL.includes(status);
    const end = ended ? checkTime(endTime ?? this.#now(), 'endTime') : null;
    const owner = status === 'RUNNING' ? this.#owner : null;
    const run = this.#write(() => {
      const run = this.#activeRun(runId);
      this.#records.setStatus(run.seq, status, end, owner && { pid: owner.pid, host: owner.host });
      return run;
    });
    if (ended) this.#metricEvents.flush(runId);
    this.#changed(runId, status, run.lifecycle);
  }

  /** Store bytes (or a stream of them) in the workspace's blob store and record them as `path` of the run. */
  async logArtifact(runId: string, path: string, content: ArtifactContent): Promise<RunArtifact> {
    checkArtifactPath(path);
    this.#db.use(() => this.#activeRun(runId));
    const writer = await writeArtifactBytes(this.#blobs, content);
    try {
      // Under the workspace lock, as store:gc reads references: the bytes are never unreferenced in between.
      return await this.#lock.run(
        async () => {
          const { hash, bytes } = await writer.commit();
          this.#write(() => this.#records.upsertArtifact(this.#activeRun(runId).seq, path, hash, bytes));
          return { path, contentHash: hash, bytes };
        },
        { purpose: 'storing a run artifact' },
      );
    } finally {
      await writer.discard();
    }
  }

  /** One artifact of a run as text (see readArtifactText: UTF-8, at most 5 MB, checked against its hash). */
  async readArtifactText(runId: string, path: string): Promise<RunArtifact & { text: string }> {
    const run = this.getRun(runId);
    const artifact = run.artifacts.find((candidate) => candidate.path === path);
    if (!artifact) {
      const held = run.artifacts.map((candidate) => candidate.path).slice(0, 20);
      throw failure('NOT_FOUND', `Run ${runId} has no artifact ${JSON.stringify(path)}.`, {
        hint: held.length > 0 ? `Its artifacts: ${held.join(', ')}.` : 'This run has logged no artifacts.',
        location: { field: 'path' },
      });
    }
    return { ...artifact, text: await readArtifactText(this.#blobs, artifact, `artifact ${JSON.stringify(path)} of run ${runId}`) };
  }

  deleteRun(runId: string): RunSummary {
    return this.#setLifecycle(runId, 'deleted');
  }

  restoreRun(runId: string): RunSummary {
    return this.#setLifecycle(runId, 'active');
  }

  // —— runs: reading ——

  getRun(runId: string): RunDetail {
    return this.#db.use(() => this.#summaries.detail(this.#runRef(runId).seq)!);
  }

  searchRuns(query: RunQuery = {}): RunSearchResult {
    return this.#db.use((sql) => {
      const page = searchRunSeqs(sql, query);
      const runs = this.#summaries.summaries(page.seqs);
      return page.nextPageToken ? { runs, total: page.total, nextPageToken: page.nextPageToken } : { runs, total: page.total };
    });
  }

  /** Every point of one metric of a run, sorted by step then timestamp; empty when the run has none. */
  metricSeries(runId: string, key: string): MetricColumns {
    return this.#db.use(() => this.#metrics.read(this.#runRef(runId).seq, key) ?? emptyColumns(0));
  }

  /**
   * The same, at most `maxPoints` of them (LTTB: first and last kept, the shape in between).
   * Points read only to be downsampled never leave the store: they go into reused arrays.
   */
  metricHistory(runId: string, key: string, options: { maxPoints?: number } = {}): MetricHistoryColumns {
    const { maxPoints } = options;
    if (maxPoints === undefined) {
      const all = this.metricSeries(runId, key);
      return { ...all, stored: all.values.length, downsampled: false };
    }
    const all = this.#db.use(() => this.#metrics.readIntoScratch(this.#runRef(runId).seq, key)) ?? emptyColumns(0);
    const stored = all.values.length;
    if (stored <= maxPoints) return { steps: all.steps.slice(), values: all.values.slice(), timestamps: all.timestamps.slice(), stored, downsampled: false };
    return { ...downsample(all, maxPoints), stored, downsampled: true };
  }

  /** Runs left RUNNING by a process of this host that is gone become FAILED (see abandoned-runs.ts). */
  recoverAbandonedRuns(): RecoveredRun[] {
    const recovered = this.#db.use((sql) => recoverAbandonedRuns(sql, this.#owner.host, this.#owner.isAlive));
    for (const run of recovered) this.#changed(run.id, 'FAILED', this.#runRef(run.id).lifecycle);
    return recovered;
  }

  /** Send the points still held back by the runs:metrics throttle. */
  flushEvents(): void {
    this.#metricEvents.flush();
  }

  // —— inside ——


  #write<T>(work: () => T): T {
    return this.#db.use((sql) => {
      sql.exec('BEGIN IMMEDIATE');
      try {
        const result = work();
        sql.exec('COMMIT');
        return result;
      } catch (error) {
        if (sql.isTransaction) sql.exec('ROLLBACK');
        throw error;
      }
    });
  }

  #now(): number {
    return this.#clock?.now() ?? Date.now();
  }

  #runRef(runId: string): RunRef {
    const run = this.#records.run(runId);
    if (!run) throw failure('NOT_FOUND', `There is no run ${JSON.stringify(runId)} in this workspace.`, { location: { field: 'runId' } });
    return run;
  }

  #activeRun(runId: string): RunRef {
    const run = this.#runRef(runId);
    if (run.lifecycle !== 'active') {
      throw failure('INVALID_INPUT', `Run ${runId} is deleted: nothing more can be logged to it.`, { hint: 'Restore it first (runs:restore) to log to it again.', location: { field: 'runId' } });
    }
    return run;
  }

  #appendMetrics(run: RunRef, grouped: PointsByKey): void {
    for (const [key, columns] of grouped) this.#metrics.append(run.seq, key, columns);
  }

  #setLifecycle(runId: string, lifecycle: Lifecycle): RunSummary {
    const run = this.#write(() => {
      const run = this.#runRef(runId);
      this.#records.setLifecycle(run.seq, lifecycle);
      return run;
    });
    this.#changed(run.id, run.status, lifecycle);
    return this.#db.use(() => this.#summaries.summaries([run.seq])[0]!);
  }

  #changed(runId: string, status: RunStatus, lifecycle: Lifecycle): void {
    this.#emit?.({ name: 'runs:changed', payload: { workspace: this.#dir, runId, status, lifecycle } });
  }
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
