import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunStatus } from '../../../shared/contract/runs.ts';
import type { ScriptRunEnd, ScriptStarted, ScriptsStartInput } from '../../../shared/contract/script-runs.ts';
import { failure, toLatheError } from '../errors.ts';
import type { TrackingStore } from '../tracking/tracking-store.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { commandLine, findProgram, runNameOf, scriptFolder } from './command-place.ts';
import { sampleGpus, type QueryGpus } from './gpu-sampler.ts';
import { ScriptLog } from './script-log.ts';
import { superviseScript } from './supervise-script.ts';
import { startProcess, type ProcessExit, type ScriptProcess } from './script-process.ts';
import { openTrackingEndpoint, type MlflowRoutes, type TrackingEndpoint } from './tracking-endpoint.ts';

/**
 * One script run, from start to end:
 *
 *   settle the folder and find the program   (neither there: an error, no run recorded)
 *   record the run RUNNING, driven by this process (so a crash of this process is caught by
 *     the abandoned-runs recovery: the run becomes FAILED when the workspace next opens)
 *   open its MLflow endpoint, start the process tree with MLFLOW_* set
 *   capture its output (script-log.ts), sample its GPUs
 *   when the leader exits: the log becomes the artifact logs/output.txt, the command, folder,
 *     exit code, signal, duration and GPUs become lathe.* tags, and the status comes from the
 *     exit: 0 FINISHED, anything else FAILED, stopped by Lathe KILLED.
 *
 * Whatever fails on the way (a disk error storing the log), the run still gets its status:
 * nothing is left RUNNING after its process is gone.
 */
export interface ScriptRunLimits {
  /** The log keeps the first headBytes and the last tailBytes of the output. */
  headBytes: number;
  tailBytes: number;
  /** SIGTERM to SIGKILL when cancelling; and for leftovers after the leader ended. */
  graceMs: number;
  gpuIntervalMs: number;
}

export const defaultScriptRunLimits: ScriptRunLimits = {
  headBytes: 9 * 1024 * 1024,
  tailBytes: 1024 * 1024,
  graceMs: 5_000,
  gpuIntervalMs: 5_000,
};

export interface ScriptRunContext {
  tracking: (workspace: Workspace) => TrackingStore;
  /** Live output, as scripts:output events. */
  output: (payload: { workspace: string; runId: string; from: number; text: string; pastCap?: boolean }) => void;
  /** The front door's MLflow routes; null where it serves none (the script then gets no MLFLOW_TRACKING_URI). */
  mlflowRoutes: ((workspace: Workspace) => MlflowRoutes) | null;
  limits: ScriptRunLimits;
  queryGpus: QueryGpus;
  /** The environment scripts start from (MLFLOW_* are set over it). */
  env: NodeJS.ProcessEnv;
}

export interface ActiveScriptRun {
  runId: string;
  workspace: string;
  /** The live log's file, while it runs. */
  logPath: string;
  /** Stop it (its whole process tree); `now`: SIGKILL at once, without the grace period. */
  cancel(now?: boolean): void;
  /** How it ended; never rejects. */
  ended: Promise<ScriptRunEnd>;
}

export const LOG_ARTIFACT = 'logs/output.txt';

/** The folder of live logs in a workspace (`.lathe/script-runs/`). */
export function liveLogPath(workspace: Workspace, runId: string): string {
  return join(workspace.latheDir, 'script-runs', `${runId}.log`);
}

export async function startScriptRun(context: ScriptRunContext, workspace: Workspace, input: ScriptsStartInput): Promise<{ started: ScriptStarted; active: ActiveScriptRun }> {
  const cwd = await scriptFolder(workspace.dir, input.cwd);
  const program = await findProgram(input.command[0]!, cwd, context.env.PATH);
  const line = commandLine(input.command);
  const tracking = context.tracking(workspace);
  const run = tracking.createRun({
    experiment: input.experiment ?? 'Default',
    name: input.name ?? runNameOf(input.command),
    tags: { 'lathe.source': 'script', 'lathe.command': line.slice(0, 5000), 'lathe.cwd': cwd.slice(0, 5000) },
    gitCommit: await workspace.git.head(),
  });
  const logPath = liveLogPath(workspace, run.id);
  let log: ScriptLog | null = null;
  let endpoint: TrackingEndpoint | null = null;
  let child: ScriptProcess;
  try {
    await mkdir(join(workspace.latheDir, 'script-runs'), { recursive: true });
    log = new ScriptLog({ path: logPath, headBytes: context.limits.headBytes, tailBytes: context.limits.tailBytes, emit: (from, text, pastCap) => context.output({ workspace: workspace.dir, runId: run.id, from, text, ...(pastCap ? { pastCap } : {}) }) });
    const logError = await log.opened();
    if (logError) throw logError;
    endpoint = context.mlflowRoutes ? await openTrackingEndpoint(context.mlflowRoutes(workspace)) : null;
    if (!endpoint) log.write('stderr', Buffer.from(`lathe: MLFLOW_TRACKING_URI is not set: this front door serves no MLflow API, so what the script logs with MLflow does not reach run ${run.id}; lathe run and lathe serve do.\n`));
    const env: NodeJS.ProcessEnv = {
      ...context.env,
      PYTHONUNBUFFERED: context.env.PYTHONUNBUFFERED ?? '1',
      MLFLOW_RUN_ID: run.id,
      MLFLOW_EXPERIMENT_ID: run.experimentId,
      ...(endpoint ? { MLFLOW_TRACKING_URI: endpoint.uri, MLFLOW_TRACKING_TOKEN: endpoint.token } : {}),
    };
    if (!endpoint) {
      delete env.MLFLOW_TRACKING_URI;
      delete env.MLFLOW_TRACKING_TOKEN;
    }
    child = await startProcess({ file: program, argv0: input.command[0]!, args: input.command.slice(1), cwd, env, graceMs: context.limits.graceMs });
  } catch (thrown) {
    log?.close();
    await Promise.all([endpoint?.close(), rm(logPath, { force: true })]);
    const spawnCode = (thrown as { syscall?: string; code?: string }).syscall?.startsWith('spawn') ? (thrown as { code?: string }).code : undefined;
    const error = spawnCode ? { code: 'UNAVAILABLE' as const, message: spawnProblem(spawnCode, program) } : toLatheError(thrown);
    const message = `Could not start ${line}: ${error.message}`;
    endRun(tracking, run.id, 'FAILED', { 'lathe.failure': message, 'lathe.failure.code': error.code });
    throw failure(error.code === 'INTERNAL' ? 'UNAVAILABLE' : error.code, `${message} Run ${run.id} is FAILED.`, { hint: 'Check that the program can be run from a terminal in that folder.', location: { field: 'command' } });
  }

  let cancelled: 'graceful' | 'at once' | null = null;
  const ended = drive({ context, tracking, runId: run.id, line, child, log, logPath, endpoint, cancelled: () => cancelled });
  const active: ActiveScriptRun = {
    runId: run.id,
    workspace: workspace.dir,
    logPath,
    cancel(now = false) {
      cancelled = now ? 'at once' : (cancelled ?? 'graceful');
      child.stop(now ? 0 : context.limits.graceMs);
    },
    ended,
  };
  return {
    started: { runId: run.id, experimentId: run.experimentId, runName: run.name, pid: child.pid, command: [...input.command], commandLine: line, cwd, trackingUri: endpoint?.uri ?? null },
    active,
  };
}

interface Drive {
  context: ScriptRunContext;
  tracking: TrackingStore;
  runId: string;
  line: string;
  child: ScriptProcess;
  log: ScriptLog;
  logPath: string;
  endpoint: TrackingEndpoint | null;
  cancelled: () => 'graceful' | 'at once' | null;
}

async function drive({ context, tracking, runId, line, child, log, logPath, endpoint, cancelled }: Drive): Promise<ScriptRunEnd> {
  const gpus = sampleGpus(context.queryGpus, (points) => tracking.logMetrics(runId, points), context.limits.gpuIntervalMs);

  let exit: ProcessExit = { code: null, signal: null };
  let durationMs = 0;
  let logBytes = 0;
  let dropped = 0;
  let status: RunStatus;
  let message: string | null;
  try {
    const supervised = await superviseScript(child, log, context.limits.graceMs, () => gpus.stop());
    ({ exit, durationMs } = supervised);
    const seen = await gpus.seen;
    const end = supervised.log;
    logBytes = end.bytes;
    dropped = end.dropped;
    const tags: Record<string, string> = {
      ...(exit.code === null ? {} : { 'lathe.exit_code': String(exit.code) }),
      ...(exit.signal ? { 'lathe.signal': exit.signal } : {}),
      'lathe.duration_ms': String(durationMs),
      'lathe.gpus': seen,
      'lathe.log.bytes': String(logBytes),
      'lathe.log.dropped': String(dropped),
      ...(end.error ? { 'lathe.log.error': `The log stopped at ${logBytes} bytes: ${toLatheError(end.error).message}` } : {}),
    };
    try {
      await tracking.logArtifact(runId, LOG_ARTIFACT, createReadStream(logPath));
      await rm(logPath, { force: true });
    } catch (thrown) {
      tags['lathe.log.error'] = `The log could not be stored as ${LOG_ARTIFACT}: ${toLatheError(thrown).message} It is left at ${logPath}.`;
    }
    ({ status, message } = outcome(exit, cancelled(), line, durationMs, context.limits.graceMs));
    setTags(tracking, runId, tags);
  } catch (thrown) {
    message = `Lathe lost track of ${line}: ${toLatheError(thrown).message}`;
    status = 'FAILED';
  } finally {
    gpus.stop();
    await endpoint?.close();
  }
  endRun(tracking, runId, status, status === 'KILLED' ? { 'lathe.killed': message ?? '' } : status === 'FAILED' ? { 'lathe.failure': message ?? '' } : {});
  return { runId, status, exitCode: exit.code, signal: exit.signal, durationMs, logBytes, droppedBytes: dropped, message };
}

/** Why the system would not start a program it found, in words. */
export function spawnProblem(code: string | undefined, program: string): string {
  if (code === 'ENOENT') return `the system could not run ${program} (ENOENT): for a script, the interpreter its #! line names is not installed.`;
  if (code === 'EACCES') return `permission to run ${program} was refused (EACCES).`;
  if (code === 'E2BIG') return 'its arguments and environment are too long for the system (E2BIG).';
  if (code === 'ENOEXEC') return `${program} is not a program the system can run (ENOEXEC): a script needs a #! line, or run it through its interpreter.`;
  return `the system refused to start ${program} (${code ?? 'unknown error'}).`;
}

/** The run's status from how its process ended, and why in a sentence. */
export function outcome(exit: ProcessExit, cancelled: 'graceful' | 'at once' | null, line: string, durationMs: number, graceMs: number): { status: Extract<RunStatus, 'FINISHED' | 'FAILED' | 'KILLED'>; message: string | null } {
  const after = `after ${(durationMs / 1000).toFixed(1)} s`;
  if (cancelled) {
    const killed = cancelled === 'at once' ? 'killed (SIGKILL) at once, as asked' : `killed (SIGKILL) when it had not stopped ${graceMs / 1000} s after SIGTERM`;
    const how = exit.signal === 'SIGKILL' ? killed : exit.signal ? `stopped by ${exit.signal}` : `stopped, exiting with code ${exit.code}`;
    return { status: 'KILLED', message: `Cancelled ${after}: ${line} was ${how}.` };
  }
  if (exit.code === 0) return { status: 'FINISHED', message: null };
  if (exit.code !== null) return { status: 'FAILED', message: `${line} exited with code ${exit.code} ${after}.` };
  return { status: 'FAILED', message: `${line} was ended by ${exit.signal} ${after}, not by Lathe (out of memory, or killed from outside).` };
}

function setTags(tracking: TrackingStore, runId: string, tags: Record<string, string>): void {
  try {
    tracking.setTags(runId, Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, value.slice(0, 5000)])));
  } catch {
    // a run deleted meanwhile, or a failing disk: the status below matters more
  }
}

/** The run's end; a run deleted while it ran cannot take one, and that is fine. */
function endRun(tracking: TrackingStore, runId: string, status: RunStatus, tags: Record<string, string>): void {
  setTags(tracking, runId, tags);
  try {
    tracking.setStatus(runId, status);
  } catch {
    // deleted meanwhile; or the database failed, and the abandoned-runs recovery marks it FAILED on the next open
  }
}
