import { join } from 'node:path';
import type { PipelineMade, PipelineSpec, PipelineStep, StepOutputs, StepRunWithLog } from '../../../shared/contract/pipelines.ts';
import { toLatheError } from '../errors.ts';
import type { JobContext } from '../jobs/job-registry.ts';
import { mkdirInside } from '../storage/folders.ts';
import type { PipelineRunRecord, PipelineRunRecords } from './pipeline-run-records.ts';
import { runStep } from './run-step.ts';
import type { StepContext } from './step-context.ts';

/** A step keeps its last lines; each line is cut at a length a log view can show. */
export const MAX_LOG_LINES = 2000;
export const MAX_LOG_LINE = 2000;

/** What a step may use besides what the runner gives each step (its log, its signal, earlier outputs). */
export type StepServices = Pick<StepContext, 'workspace' | 'call' | 'events' | 'allowOutsideFiles'>;

export interface PipelineRunDeps {
  records: PipelineRunRecords;
  services: StepServices;
  /** Where this workspace keeps local state (`.lathe`): reports go under it. */
  latheDir: string;
  /** Tell every front door: a step changed status, or logged lines. */
  emit(record: PipelineRunRecord, log: { step: string; lines: string[] } | null): void;
  job: JobContext;
  /** Tests: run a step some other way. */
  runStep?: typeof runStep;
  now?: () => number;
}

/** The record of a run about to start: every step pending. */
export function newRunRecord(id: string, spec: PipelineSpec, specHash: string, commit: string | null, now: number, owner: PipelineRunRecord['owner']): PipelineRunRecord {
  return {
    schemaVersion: 1,
    id,
    pipeline: spec.name ?? 'pipeline',
    status: 'running',
    specHash,
    commit,
    startedAt: new Date(now).toISOString(),
    endedAt: null,
    durationMs: null,
    jobId: null,
    failedStep: null,
    error: null,
    steps: spec.steps.map((step) => ({ id: step.id, kind: step.kind, status: 'pending', startedAt: null, endedAt: null, durationMs: null, outputs: {}, error: null, log: [] })),
    made: { datasets: [], runs: [], models: [], gates: [] },
    reports: [],
    owner,
  };
}

/**
 * Run the steps in order. Each step's status is written to the run's record as it changes; the
 * first step that fails ends the run as failed at that step — what earlier steps made stays,
 * and no later step runs (they are left `skipped`). A cancel stops the step running (its inner
 * job too) and ends the run as cancelled.
 */
export async function runPipeline(record: PipelineRunRecord, spec: PipelineSpec, deps: PipelineRunDeps): Promise<PipelineRunRecord> {
  const now = deps.now ?? Date.now;
  const run = deps.runStep ?? runStep;
  const outputs = new Map<string, StepOutputs>();
  const reportsDir = join(deps.latheDir, 'pipeline-runs', record.id);
  const save = async (log: { step: string; lines: string[] } | null = null) => {
    await deps.records.write(record);
    deps.emit(record, log);
  };
  const progress = (index: number, message: string) =>
    deps.job.progress({ done: index, total: spec.steps.length, unit: 'steps', message: message.slice(0, 500) });

  if (spec.steps.some((step) => step.kind === 'gates')) await reportsFolder(deps.latheDir, record.id);

  for (const [index, step] of spec.steps.entries()) {
    const state = record.steps[index]!;
    if (deps.job.signal.aborted) break;
    const started = now();
    const ended = () => {
      if (state.endedAt !== null) return;
      const at = now();
      Object.assign(state, { endedAt: new Date(at).toISOString(), durationMs: Math.max(0, at - started) });
    };
    Object.assign(state, { status: 'running', startedAt: new Date(started).toISOString() });
    progress(index, `step ${index + 1} of ${spec.steps.length}: ${step.kind} ${step.id}`);
    await save();
    try {
      const made = await run(step, {
        ...deps.services,
        signal: deps.job.signal,
        reportsDir,
        log: (line) => {
          const lines = appendLog(state, line);
          progress(index, `${step.id}: ${lines[0]}`);
          deps.emit(record, { step: step.id, lines });
        },
        outputsOf: (id) => outputs.get(id) ?? {},
        note: (partial) => Object.assign(state.outputs, partial),
        report: (format, path) => record.reports.push({ step: step.id, format, path }),
      });
      outputs.set(step.id, made);
      Object.assign(state, { status: 'passed', outputs: { ...state.outputs, ...made } });
      noteMade(record.made, step, made);
    } catch (error) {
      const cancelled = deps.job.signal.aborted;
      const latheError = toLatheError(error);
      Object.assign(state, { status: cancelled ? 'cancelled' : 'failed', error: latheError });
      ended(); // before the event, so whoever follows the run sees how long the step took
      deps.emit(record, { step: step.id, lines: appendLog(state, `${cancelled ? 'Cancelled' : 'Failed'}: ${latheError.message}`) });
      if (step.kind === 'gates' && !cancelled) record.made.gates.push({ step: step.id, passed: false, summary: latheError.message });
      if (step.kind === 'train') noteFailedRun(record.made, state);
      Object.assign(record, { status: cancelled ? 'cancelled' : 'failed', failedStep: step.id, error: latheError });
    } finally {
      ended();
    }
    if (record.status !== 'running') break;
    await save();
  }

  for (const state of record.steps) if (state.status === 'pending') state.status = record.status === 'cancelled' || deps.job.signal.aborted ? 'cancelled' : 'skipped';
  if (record.status === 'running' && deps.job.signal.aborted) Object.assign(record, { status: 'cancelled', error: toLatheError(deps.job.signal.reason) });
  if (record.status === 'running') record.status = 'passed';
  const ended = now();
  Object.assign(record, { endedAt: new Date(ended).toISOString(), durationMs: Math.max(0, ended - Date.parse(record.startedAt)), owner: null });
  progress(record.steps.filter((s) => s.status === 'passed').length, `pipeline ${record.status}`);
  await save();
  return record;
}

/** Keep a line (cut to length, split at line breaks); the oldest go once there are too many. */
function appendLog(state: StepRunWithLog, text: string): string[] {
  const lines = text.split(/\r?\n/).map((line) => (line.length > MAX_LOG_LINE ? `${line.slice(0, MAX_LOG_LINE)}…` : line));
  state.log.push(...lines);
  if (state.log.length > MAX_LOG_LINES) state.log.splice(0, state.log.length - MAX_LOG_LINES, `… earlier lines left out (a step keeps its last ${MAX_LOG_LINES})`);
  return lines;
}

function noteMade(made: PipelineMade, step: PipelineStep, outputs: StepOutputs): void {
  if (step.kind === 'import') {
    made.datasets.push({ name: String(outputs.dataset), version: Number(outputs.version), contentHash: String(outputs.contentHash), created: outputs.created === true });
  } else if (step.kind === 'train') {
    made.runs.push({ runId: String(outputs.runId), status: 'FINISHED' });
  } else if (step.kind === 'register') {
    made.models.push({ name: String(outputs.model), version: Number(outputs.version) });
  } else if (step.kind === 'gates') {
    made.gates.push({ step: step.id, passed: outputs.passed === true, summary: String(outputs.summary ?? '') });
  }
}

/** A run that started and then failed is still a run the pipeline made (it is in the tracking store). */
function noteFailedRun(made: PipelineMade, state: StepRunWithLog): void {
  const runId = state.outputs.runId;
  if (typeof runId === 'string') made.runs.push({ runId, status: state.status === 'cancelled' || state.error?.code === 'CANCELLED' ? 'KILLED' : 'FAILED' });
}

/** Make the folder a run's reports go in. */
export async function reportsFolder(latheDir: string, id: string): Promise<string> {
  const dir = join(latheDir, 'pipeline-runs', id);
  await mkdirInside(latheDir, dir);
  return dir;
}
