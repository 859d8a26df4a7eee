import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { failure, toLatheError } from '../errors.ts';
import { commandLine, findProgram, runNameOf } from './command-place.ts';
import { sampleGpus, type QueryGpus } from './gpu-sampler.ts';
import { RemoteTracking, unreachable, type RemoteStatus } from './remote-tracking.ts';
import { ScriptLog } from './script-log.ts';
import { startProcess, type ScriptProcess } from './script-process.ts';
import { LOG_ARTIFACT, outcome, spawnProblem, type ScriptRunLimits } from './script-run.ts';
import { superviseScript } from './supervise-script.ts';

/**
 * `lathe run --server URL -- CMD` on a machine without the workspace (a GPU box): the run is
 * made on a `lathe serve` elsewhere over MLflow's REST API (remote-tracking.ts), the command gets
 * that server as MLFLOW_TRACKING_URI with the run's id, so `mlflow.start_run()` logs straight to it.
 * The process, its capped log and its GPU samples are watched as for a local run
 * (supervise-script.ts); the log is kept in a temporary file here until the end, when it becomes
 * the run's logs/output.txt and the exit its lathe.* tags and status.
 *
 * When the server drops meanwhile, the command goes on; the final calls are tried `attempts`
 * times, and if the server is still out of reach the log stays on this machine and the end says
 * where (`reported: false`).
 */
export interface RemoteRunInput {
  server: string;
  token: string;
  command: readonly string[];
  cwd: string;
  experiment?: string | undefined;
  name?: string | undefined;
}

export interface RemoteRunContext {
  limits: ScriptRunLimits;
  queryGpus: QueryGpus;
  env: NodeJS.ProcessEnv;
  /** Live output, as it comes. */
  output: (text: string) => void;
  /** Tries of each final call while the server is out of reach, and the pause between them. */
  attempts?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
}

export interface RemoteRunStarted {
  runId: string;
  experimentId: string;
  runName: string;
  pid: number;
  commandLine: string;
  cwd: string;
  trackingUri: string;
}

export interface RemoteRunEnd {
  runId: string;
  status: RemoteStatus;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  logBytes: number;
  droppedBytes: number;
  message: string | null;
  /** Whether the server got the log, the tags and the status. */
  reported: boolean;
  /** Where the log is kept on this machine when the server did not get it. */
  keptLog: string | null;
  /** Why the server did not get the end, in a sentence. */
  warning: string | null;
}

export interface ActiveRemoteRun {
  started: RemoteRunStarted;
  cancel(now?: boolean): void;
  /** How it ended; never rejects. */
  ended: Promise<RemoteRunEnd>;
}

export async function startRemoteRun(context: RemoteRunContext, input: RemoteRunInput): Promise<ActiveRemoteRun> {
  const cwd = resolve(input.cwd);
  const folder = await stat(cwd).catch(() => null);
  if (!folder?.isDirectory()) throw failure('NOT_FOUND', `The folder to run in, ${cwd}, is not there.`, { location: { field: 'cwd' } });
  const program = await findProgram(input.command[0]!, cwd, context.env.PATH);
  const line = commandLine(input.command);
  const client = new RemoteTracking({ url: input.server, token: input.token, ...(context.timeoutMs === undefined ? {} : { timeoutMs: context.timeoutMs }) });
  const experimentId = await client.experimentId(input.experiment ?? 'Default');
  const run = await client.createRun({
    experimentId,
    runName: input.name ?? runNameOf(input.command),
    startTime: Date.now(),
    tags: { 'lathe.source': 'script', 'lathe.command': line.slice(0, 5000), 'lathe.cwd': cwd.slice(0, 5000), 'lathe.host': hostname().slice(0, 250) },
  });
  const logDir = await mkdtemp(join(tmpdir(), 'lathe-run-'));
  const logPath = join(logDir, `${run.runId}.log`);
  let log: ScriptLog | null = null;
  let child: ScriptProcess;
  try {
    log = new ScriptLog({ path: logPath, headBytes: context.limits.headBytes, tailBytes: context.limits.tailBytes, emit: (_from, text) => context.output(text) });
    const logError = await log.opened();
    if (logError) throw logError;
    const env: NodeJS.ProcessEnv = {
      ...context.env,
      PYTHONUNBUFFERED: context.env.PYTHONUNBUFFERED ?? '1',
      MLFLOW_TRACKING_URI: client.origin,
      MLFLOW_TRACKING_TOKEN: input.token,
      MLFLOW_RUN_ID: run.runId,
      MLFLOW_EXPERIMENT_ID: run.experimentId,
    };
    child = await startProcess({ file: program, argv0: input.command[0]!, args: input.command.slice(1), cwd, env, graceMs: context.limits.graceMs });
  } catch (thrown) {
    log?.close();
    await rm(logDir, { recursive: true, force: true });
    const spawnCode = (thrown as { syscall?: string; code?: string }).syscall?.startsWith('spawn') ? (thrown as { code?: string }).code : undefined;
    const error = spawnCode ? { code: 'UNAVAILABLE' as const, message: spawnProblem(spawnCode, program) } : toLatheError(thrown);
    const message = `Could not start ${line}: ${error.message}`;
    await client.setTags(run.runId, { 'lathe.failure': message, 'lathe.failure.code': error.code }).catch(() => undefined);
    await client.endRun(run.runId, 'FAILED', Date.now()).catch(() => undefined);
    throw failure(error.code === 'INTERNAL' ? 'UNAVAILABLE' : error.code, `${message} Run ${run.runId} on ${client.origin} is FAILED.`, { hint: 'Check that the program can be run from a terminal in that folder.', location: { field: 'command' } });
  }

  let cancelled: 'graceful' | 'at once' | null = null;
  const started: RemoteRunStarted = { ...run, pid: child.pid, commandLine: line, cwd, trackingUri: client.origin };
  const ended = drive({ context, client, run, line, child, log, logPath, logDir, cancelled: () => cancelled });
  return {
    started,
    cancel(now = false) {
      cancelled = now ? 'at once' : (cancelled ?? 'graceful');
      child.stop(now ? 0 : context.limits.graceMs);
    },
    ended,
  };
}

interface Drive {
  context: RemoteRunContext;
  client: RemoteTracking;
  run: { runId: string; experimentId: string };
  line: string;
  child: ScriptProcess;
  log: ScriptLog;
  logPath: string;
  logDir: string;
  cancelled: () => 'graceful' | 'at once' | null;
}

async function drive({ context, client, run, line, child, log, logPath, logDir, cancelled }: Drive): Promise<RemoteRunEnd> {
  // GPU samples go out as they are taken; one the server did not take is left out, not retried.
  const sent: Promise<void>[] = [];
  const gpus = sampleGpus(context.queryGpus, (points) => void sent.push(client.logMetrics(run.runId, points).catch(() => undefined)), context.limits.gpuIntervalMs);
  const supervised = await superviseScript(child, log, context.limits.graceMs, () => gpus.stop());
  const seen = await gpus.seen;
  await Promise.all(sent);
  const { exit, durationMs } = supervised;
  const { status, message } = outcome(exit, cancelled(), line, durationMs, context.limits.graceMs);
  const tags: Record<string, string> = {
    ...(exit.code === null ? {} : { 'lathe.exit_code': String(exit.code) }),
    ...(exit.signal ? { 'lathe.signal': exit.signal } : {}),
    'lathe.duration_ms': String(durationMs),
    'lathe.gpus': seen,
    'lathe.log.bytes': String(supervised.log.bytes),
    'lathe.log.dropped': String(supervised.log.dropped),
    ...(supervised.log.error ? { 'lathe.log.error': `The log stopped at ${supervised.log.bytes} bytes: ${toLatheError(supervised.log.error).message}` } : {}),
    ...(status === 'KILLED' ? { 'lathe.killed': message ?? '' } : status === 'FAILED' ? { 'lathe.failure': message ?? '' } : {}),
  };
  const end = { runId: run.runId, status, exitCode: exit.code, signal: exit.signal, durationMs, logBytes: supervised.log.bytes, droppedBytes: supervised.log.dropped, message };
  const endTime = Date.now();
  try {
    const bytes = await readFile(logPath);
    await retried(context, () => client.uploadArtifact(run, LOG_ARTIFACT, bytes));
    await retried(context, () => client.setTags(run.runId, tags));
    await retried(context, () => client.endRun(run.runId, status, endTime));
  } catch (thrown) {
    const why = toLatheError(thrown).message;
    return { ...end, reported: false, keptLog: logPath, warning: `Run ${run.runId} on ${client.origin} could not be given its end (${status}): ${why} Its log is kept here at ${logPath}.` };
  }
  await rm(logDir, { recursive: true, force: true });
  return { ...end, reported: true, keptLog: null, warning: null };
}

/** A call tried again while the server is out of reach (a refusal is not retried). */
async function retried(context: RemoteRunContext, call: () => Promise<void>): Promise<void> {
  const attempts = Math.max(1, context.attempts ?? 4);
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (thrown) {
      if (!unreachable(thrown) || attempt >= attempts) throw thrown;
      const delay = (context.retryDelayMs ?? 2_000) * attempt;
      if (delay > 0) await new Promise((done) => setTimeout(done, delay));
    }
  }
}
