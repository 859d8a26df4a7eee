import { availableParallelism, cpus } from 'node:os';
import type { DatasetInput, RunArtifact, RunDetail, RunEnvironment, RunStatus, RunSummary } from '../../../shared/contract/runs.ts';
import type { TrainingStarted, TrainingStartInput } from '../../../shared/contract/training.ts';
import { findVersion } from '../datasets/dataset-history.ts';
import type { DatasetManifest } from '../datasets/dataset-manifest.ts';
import { failure, toLatheError } from '../errors.ts';
import type { JobContext, JobRegistry } from '../jobs/job-registry.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { WantedColumn } from './data/table-reader.ts';
import { DEFAULT_SEED, checkTrainingMemory, knobParams, resolveKnobs, trainingMemoryLimit, type ResolvedKnobs } from './model-spec.ts';
import type { TrainingOutcome, TrainingWorkerStart } from './training-messages.ts';
import { planTraining, type PlannedTraining } from './training-plan.ts';
import { TrainingWorkerClient } from './training-worker-client.ts';
import type { LoadedBackend } from './worker/backends.ts';

/**
 * One training run, from the call to its end:
 *
 *   plan (from the version's profile; bad input is refused here, before anything exists)
 *   → start the worker and wait for its backend (so the run records where it trained)
 *   → create the run (RUNNING) with every knob as a param, the dataset input, git commit and
 *     environment — the call returns here, with the run's and the job's ids
 *   → as a job: stream the version's bytes (hash-checked) to the worker; log each epoch's
 *     metrics as it arrives; on the outcome log the test metrics and the artifacts, then FINISHED.
 * A failure ends the run FAILED with the error in its tags (`lathe.failure`, `.code`, `.hint`);
 * cancelling the job stops the worker and ends the run KILLED. Either way, what was logged stays.
 */

/** The tracking store as training uses it (TrackingStore satisfies it). */
export interface RunRecorder {
  createRun(spec: {
    experiment?: string;
    name?: string;
    params?: Record<string, string | number | boolean>;
    tags?: Record<string, string>;
    datasets?: DatasetInput[];
    gitCommit?: string | null;
    environment?: RunEnvironment | null;
  }): RunSummary;
  logMetrics(runId: string, points: readonly { key: string; value: number; step?: number }[]): void;
  logParams(runId: string, params: Record<string, string | number | boolean>): void;
  setTags(runId: string, tags: Record<string, string>): void;
  setStatus(runId: string, status: RunStatus): void;
  logArtifact(runId: string, path: string, content: Uint8Array): Promise<RunArtifact>;
  getRun(runId: string): RunDetail;
}

export interface TrainingContext {
  jobs: JobRegistry;
  tracking(workspace: Workspace): RunRecorder;
  workerUrl: URL;
  wasmDir?: string | undefined;
  /** Tests: the memory training may use, instead of a share of the machine's. */
  memoryLimitBytes?: number | undefined;
  /** Hear of a run this process trains, its job, and when that ends: what training:wait waits for. */
  remember(workspace: string, runId: string, job: { id: string; done: Promise<unknown> }): void;
}

/** Start a run; `extraTags` are a reproduction's link to its original, for instance. */
export async function startTraining(context: TrainingContext, workspace: Workspace, input: TrainingStartInput, extraTags: Record<string, string> = {}): Promise<TrainingStarted> {
  const found = await findVersion(workspace, input.dataset, input.version);
  const { manifest } = found;
  const planned = planTraining(manifest, await found.profile(), { target: input.target, task: input.task, seed: input.seed ?? DEFAULT_SEED });
  const { plan } = planned;
  const knobs = resolveKnobs(input, { task: plan.task, trainRows: plan.split.train });
  const outputs = plan.task === 'classification' ? (plan.classes?.length ?? planned.target.distinct) : 1;
  const size = { model: knobs.model, inputs: plan.inputWidth, hidden: knobs.hidden, outputs, batchSize: knobs.batchSize, rows: plan.rows };
  checkTrainingMemory(size, context.memoryLimitBytes ?? trainingMemoryLimit(knobs.backend));
  const label = `${manifest.name}@${manifest.version}`;
  await workspace.blobs.assertIntact(manifest.contentHash, manifest.bytes, label);

  const worker = new TrainingWorkerClient(context.workerUrl, workerStart(planned, knobs, manifest, context.wasmDir, context.memoryLimitBytes ?? null));
  let backend: LoadedBackend;
  let run: RunSummary;
  const tracking = context.tracking(workspace);
  try {
    backend = await worker.ready();
    checkTrainingMemory(size, context.memoryLimitBytes ?? trainingMemoryLimit(backend.name));
    run = tracking.createRun({
      experiment: input.experiment ?? manifest.name,
      ...(input.runName ? { name: input.runName } : {}),
      params: { ...knobParams(knobs), task: plan.task, target: plan.target, dataset: manifest.name, datasetVersion: manifest.version, features: plan.features.length },
      tags: {
        'lathe.source': 'training',
        'lathe.backend': backend.name,
        'lathe.task': plan.task,
        'lathe.target': plan.target,
        'lathe.model': knobs.model,
        ...(plan.dropped.length > 0 ? { 'lathe.dropped': plan.dropped.map((column) => `${column.name}: ${column.why}`).join('\n').slice(0, 5000) } : {}),
        ...extraTags,
      },
      datasets: [{ name: manifest.name, version: manifest.version, contentHash: manifest.contentHash }],
      gitCommit: await workspace.git.head(),
      environment: environmentOf(backend),
    });
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  const job = context.jobs.run({
    workspace: workspace.dir,
    kind: 'training',
    title: `Train ${knobs.model} on ${label} to predict ${plan.target}`,
    ref: run.id,
    run: (job) => driveRun({ tracking, worker, runId: run.id, knobs, label, workspace, manifest, job }),
  });
  context.remember(workspace.dir, run.id, job);
  return { runId: run.id, jobId: job.id, experimentId: run.experimentId };
}

function workerStart(planned: PlannedTraining, knobs: ResolvedKnobs, manifest: DatasetManifest, wasmDir: string | undefined, memoryLimitBytes: number | null): TrainingWorkerStart {
  const { plan, features, target } = planned;
  const columns: WantedColumn[] = [
    ...features.map((feature): WantedColumn => ({ name: feature.name, reading: feature.encoding === 'one-hot' ? 'category' : feature.encoding === 'binary' ? 'boolean' : feature.encoding === 'epoch-days' ? 'datetime' : 'number' })),
    { name: target.name, reading: plan.task === 'regression' ? 'number' : target.type === 'boolean' ? 'boolean' : 'category' },
  ];
  return {
    mode: 'train',
    backend: knobs.backend,
    wasmDir,
    format: manifest.format,
    dataset: { name: manifest.name, version: manifest.version, contentHash: manifest.contentHash },
    expectedRows: manifest.rows,
    columns,
    data: { task: plan.task, target: { name: target.name, type: target.type }, features, seed: knobs.seed, classWeights: knobs.classWeights },
    knobs,
    memoryLimitBytes,
  };
}

interface Drive {
  tracking: RunRecorder;
  worker: TrainingWorkerClient;
  runId: string;
  knobs: ResolvedKnobs;
  label: string;
  workspace: Workspace;
  manifest: { contentHash: string; bytes: number };
  job: JobContext;
}

async function driveRun({ tracking, worker, runId, knobs, label, workspace, manifest, job }: Drive): Promise<void> {
  let epochs = 0;
  worker.listener.prepared = (prepared) => {
    tracking.logParams(runId, { inputs: prepared.inputs, parameters: prepared.parameters, trainRows: prepared.rows.train, validationRows: prepared.rows.validation, testRows: prepared.rows.test, ...(prepared.classes ? { classes: prepared.classes.length } : {}) });
    job.progress({ done: 0, total: knobs.epochs, unit: 'epochs', message: `training on ${prepared.rows.train.toLocaleString('en')} rows` });
  };
  worker.listener.epoch = (epoch, metrics) => {
    epochs = epoch;
    tracking.logMetrics(runId, Object.entries(metrics).map(([key, value]) => ({ key, value, step: epoch })));
    const watched = metrics.val_loss ?? metrics.loss;
    job.progress({ done: epoch, total: knobs.epochs, unit: 'epochs', message: `epoch ${epoch} of ${knobs.epochs} · ${metrics.val_loss === undefined ? 'loss' : 'val_loss'} ${formatMetric(watched)}` });
  };
  const stop = () => void worker.terminate();
  job.signal.addEventListener('abort', stop);
  try {
    let read = 0;
    for await (const chunk of workspace.blobs.readVerified(manifest.contentHash, manifest.bytes, label)) {
      if (job.signal.aborted) break;
      await worker.write(chunk);
      read += chunk.byteLength;
      job.progress({ done: read, total: manifest.bytes, unit: 'bytes', message: `reading ${label}` });
    }
    if (job.signal.aborted) throw job.signal.reason;
    const outcome = await worker.finish();
    await recordOutcome(tracking, runId, outcome);
    tracking.setStatus(runId, 'FINISHED');
  } catch (thrown) {
    if (job.signal.aborted) {
      const message = `Cancelled after ${epochs} of ${knobs.epochs} epochs; run ${runId} is KILLED, with the metrics of the epochs it finished.`;
      settle(tracking, runId, 'KILLED', { 'lathe.killed': message });
      throw failure('CANCELLED', message);
    }
    const error = toLatheError(thrown);
    settle(tracking, runId, 'FAILED', { 'lathe.failure': error.message, 'lathe.failure.code': error.code, ...(error.hint ? { 'lathe.failure.hint': error.hint } : {}) });
    throw thrown;
  } finally {
    job.signal.removeEventListener('abort', stop);
    await worker.terminate();
  }
}

async function recordOutcome(tracking: RunRecorder, runId: string, outcome: TrainingOutcome): Promise<void> {
  tracking.logMetrics(runId, Object.entries(outcome.testMetrics).map(([key, value]) => ({ key, value, step: outcome.bestEpoch })));
  for (const artifact of outcome.artifacts) await tracking.logArtifact(runId, artifact.path, artifact.bytes);
  tracking.setTags(runId, {
    'lathe.epochs.trained': String(outcome.epochsTrained),
    'lathe.epochs.best': String(outcome.bestEpoch),
    'lathe.epochs.stopped_early': String(outcome.stoppedEarly),
  });
}

/** End the run; a run deleted meanwhile (or a disk that fails now) must not hide the first error. */
function settle(tracking: RunRecorder, runId: string, status: RunStatus, tags: Record<string, string>): void {
  try {
    tracking.setTags(runId, Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, value.slice(0, 5000)])));
  } catch {
    // the status below still matters more
  }
  try {
    tracking.setStatus(runId, status);
  } catch {
    // nothing more can be recorded
  }
}

export function environmentOf(backend: LoadedBackend): RunEnvironment {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return {
    backend: backend.name,
    tfjsBackend: backend.tfjsName,
    threads: backend.threads,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: `${cpu} (${availableParallelism()} cores)`,
    gpu: backend.gpu,
    libraries: { '@tensorflow/tfjs-core': backend.tfjsVersion },
  };
}

function formatMetric(value: number | undefined): string {
  if (value === undefined) return '?';
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(3);
}
