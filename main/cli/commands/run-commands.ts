import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LatheEvent } from '../../../shared/contract/calls.ts';
import type { ScriptRunEnd, ScriptStarted } from '../../../shared/contract/script-runs.ts';
import type { EventHub } from '../../core/events.ts';
import { failure } from '../../core/errors.ts';
import type { Workspace } from '../../core/workspace/workspace.ts';
import { callCore } from '../call-core.ts';
import type { CliCommand, CliContext } from '../cli-command.ts';
import { stringOption } from '../option-values.ts';
import { visible } from '../terminal-text.ts';
import { runOnServer } from './run-remote.ts';

/**
 * `lathe run -- CMD ARGS…`: any command as a tracked run (scripts:start). Its output is echoed
 * as it comes (stdout; with --json, stderr, so stdout holds only the summary), Ctrl-C cancels it
 * (the whole process tree; the run ends KILLED), and `lathe run` exits with the script's exit
 * code (128 + the signal's number when a signal ended it, 130 when cancelled), as a shell would.
 */

const USAGE = 'lathe run [--server URL [--token-file FILE]] [--experiment NAME] [--name NAME] [--cwd DIR] [--json] -- COMMAND [ARGS…]';

/** MLflow's REST handler for the loopback endpoint each script run gets (loaded on the first request). */
export async function mlflowForScripts(req: IncomingMessage, res: ServerResponse, target: { workspace: Workspace; events: EventHub }): Promise<void> {
  const [{ answerMlflow }, { mlflowTrackingFor }] = await Promise.all([import('../../server/mlflow/handle-mlflow-request.ts'), import('../../core/tracking/mlflow-tracking.ts')]);
  await answerMlflow(req, res, mlflowTrackingFor(target.workspace, target.events));
}

/** Output as it comes, echoed line by line (a partial line waits for its end, or for the run's). */
function echo(print: (line: string) => void) {
  let partial = '';
  return {
    text(text: string) {
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      for (const line of lines) print(line);
    },
    end() {
      if (partial) print(partial);
      partial = '';
    },
  };
}

/** The folder the script runs in: --cwd, else the current folder when it is inside the workspace, else the workspace. */
function scriptCwd(context: CliContext, workspace: string): string | undefined {
  const flag = stringOption(context, 'cwd');
  if (flag !== undefined) return resolve(context.cwd, flag);
  const inside = relative(workspace, context.cwd);
  return inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside) ? undefined : context.cwd;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

/** The exit code a shell would give: the script's own, 128 + a signal's number, 130 for a cancel. */
export function exitCodeOf(end: Pick<ScriptRunEnd, 'status' | 'exitCode'> & { signal: string | null }): number {
  if (end.status === 'KILLED') return 130;
  if (end.exitCode !== null) return end.exitCode;
  return 128 + (SIGNAL_NUMBERS[end.signal ?? ''] ?? 1);
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function summary(started: ScriptStarted, end: ScriptRunEnd): string {
  const how = end.status === 'FINISHED' ? 'FINISHED' : `${end.status}: ${end.message ?? ''}`;
  const log = `log ${end.logBytes.toLocaleString('en')} bytes${end.droppedBytes > 0 ? ` (${end.droppedBytes.toLocaleString('en')} dropped past the cap)` : ''}`;
  return [`Run ${started.runId} (${visible(started.runName)}) ${how}`, `  took ${seconds(end.durationMs)} · ${log} · details: lathe runs show ${started.runId.slice(0, 12)}`].join('\n');
}

export const runCommand: CliCommand = {
  path: ['run'],
  summary: 'Run any command as a tracked run: what it logs with MLflow lands in the run, its output is the run log',
  usage: USAGE,
  details: [
    'Example: lathe run --experiment mnist -- python train.py --lr 0.01',
    'The command starts without a shell (no globbing, pipes or $VARS: write `-- sh -c "…"` for those) in',
    '--cwd, else the current folder when it is inside the workspace, else the workspace. It gets',
    'MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN, MLFLOW_RUN_ID and MLFLOW_EXPERIMENT_ID, so mlflow.start_run()',
    'resumes this run; the URI is a server on 127.0.0.1 that lives as long as the command and serves',
    "MLflow's tracking API only. Output is echoed and kept (the first 9 MB and the last 1 MB) as the",
    "run's logs/output.txt; GPUs nvidia-smi lists are sampled into system/gpu_* metrics.",
    'Ctrl-C stops the command and everything it started (SIGTERM, then SIGKILL after 5 s; a second Ctrl-C: at once); the run is KILLED.',
    'With --server URL (a `lathe serve` elsewhere; no workspace here) the run is made on that server and the',
    'command gets its URL as MLFLOW_TRACKING_URI; the token comes from --token-file FILE or LATHE_SERVER_TOKEN, never',
    'the command line. If the server drops meanwhile the command goes on; its log is kept here if the end cannot be sent.',
    'Exit code: the command\'s own (128 + N when signal N ended it, 130 when cancelled); 1 or 2 when it could not start.',
  ].join('\n'),
  options: {
    experiment: { type: 'string', short: 'e' },
    name: { type: 'string', short: 'n' },
    cwd: { type: 'string' },
    server: { type: 'string' },
    'token-file': { type: 'string' },
  },
  async run(context) {
    const command = context.positionals;
    if (command.length === 0) throw failure('INVALID_INPUT', `Name the command to run after --: ${USAGE}`);
    if (stringOption(context, 'server') !== undefined) return runOnServer(context, command, echo(context.json ? context.err : context.out), exitCodeOf);
    if (stringOption(context, 'token-file') !== undefined) throw failure('INVALID_INPUT', '--token-file goes with --server URL.', { location: { field: 'token-file' } });
    const workspace = await context.workspace();
    const core = await context.core();
    const print = echo(context.json ? context.err : context.out);
    // Output may come before scripts:start answers; it waits here until the run's id is known.
    let runId: string | null = null;
    const early: { runId: string; text: string }[] = [];
    const stopListening = core.events.on((event: LatheEvent) => {
      if (event.name !== 'scripts:output') return;
      if (runId === null) early.push(event.payload);
      else if (event.payload.runId === runId) print.text(event.payload.text);
    });
    let cancel: (() => void) | null = null;
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    try {
      const started = await callCore(context, 'scripts:start', {
        workspace,
        command,
        ...(scriptCwd(context, workspace) === undefined ? {} : { cwd: scriptCwd(context, workspace) }),
        ...(stringOption(context, 'experiment') === undefined ? {} : { experiment: stringOption(context, 'experiment') }),
        ...(stringOption(context, 'name') === undefined ? {} : { name: stringOption(context, 'name') }),
      });
      runId = started.runId;
      for (const output of early.splice(0)) if (output.runId === runId) print.text(output.text);
      context.err(`Run ${started.runId} (${visible(started.runName)}) started: ${visible(started.commandLine)}  (Ctrl-C to stop it)`);
      let asked = 0;
      cancel = () => {
        asked++;
        if (asked === 1) context.err(`Stopping run ${started.runId}: SIGTERM to the command and what it started, SIGKILL in 5 s (Ctrl-C again: at once)…`);
        if (asked === 2) context.err(`Killing run ${started.runId} now (SIGKILL)…`);
        void callCore(context, 'scripts:cancel', { workspace, runId: started.runId, now: asked > 1 }).catch(() => undefined);
      };
      for (const signal of signals) process.on(signal, cancel);
      const end = await callCore(context, 'scripts:wait', { workspace, runId: started.runId });
      print.end();
      return { json: { ...started, ...end }, human: summary(started, end), exitCode: exitCodeOf(end) };
    } finally {
      if (cancel) for (const signal of signals) process.off(signal, cancel);
      stopListening();
    }
  },
};
