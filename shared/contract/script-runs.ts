import { z } from 'zod';
import { defineCall, defineEvent } from './define.ts';
import { ExperimentId, ExperimentName, RunId, RunName, RunStatus } from './runs.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * Any command as a tracked run (main/core/script-runs): `lathe run -- python train.py --lr 0.01`
 * and the "Run a script" dialog. The command starts without a shell (an argv array) with
 * MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN, MLFLOW_RUN_ID and MLFLOW_EXPERIMENT_ID set, so what
 * it logs with MLflow's client lands in its run; its output is the run's log.
 */

export const scriptRunLimits = {
  /** Words in a command, characters in each, and in all. */
  words: 1000,
  wordLength: 10_000,
  commandLength: 256 * 1024,
  /** What one scripts:log call returns at most. */
  logPageBytes: 256 * 1024,
} as const;

// eslint-disable-next-line no-control-regex -- a NUL cannot travel in an argv word
const NUL = /\u0000/;

export const CommandWord = z
  .string()
  .max(scriptRunLimits.wordLength, `a word of the command is at most ${scriptRunLimits.wordLength.toLocaleString('en')} characters`)
  .refine((word) => !NUL.test(word), 'a word of the command cannot hold a NUL character');

export const ScriptCommand = z
  .array(CommandWord)
  .min(1, 'name the command to run, like ["python", "train.py"]')
  .max(scriptRunLimits.words, `a command has at most ${scriptRunLimits.words} words`)
  .refine((words) => (words[0] ?? '').trim().length > 0, { message: 'the program (the first word) cannot be empty', path: [0] })
  .refine((words) => words.reduce((sum, word) => sum + word.length, 0) <= scriptRunLimits.commandLength, {
    message: `a command is at most ${scriptRunLimits.commandLength.toLocaleString('en')} characters in all (the system's limit on arguments is near); pass long inputs in a file`,
  });

export const ScriptsStartInput = z.object({
  workspace: WorkspacePath,
  /** The program and its arguments, run as they are: no shell, so no globbing, pipes or $VARS. */
  command: ScriptCommand,
  /** Where it runs: a folder inside the workspace, relative to it (default: the workspace itself). */
  cwd: z
    .string()
    .max(4096)
    .refine((cwd) => !NUL.test(cwd), 'a folder name cannot hold a NUL character')
    .optional(),
  /** The experiment to record the run in (made when new). Default: "Default". */
  experiment: ExperimentName.optional(),
  name: RunName.optional(),
});
export type ScriptsStartInput = z.infer<typeof ScriptsStartInput>;

export const ScriptStarted = z.object({
  runId: RunId,
  experimentId: ExperimentId,
  runName: z.string(),
  pid: z.number().int().positive(),
  command: z.array(z.string()),
  /** The command as one line a person reads (and a POSIX shell would run the same): words with spaces quoted. */
  commandLine: z.string(),
  /** The folder it runs in (absolute). */
  cwd: z.string(),
  /** What MLFLOW_TRACKING_URI was set to; null where this front door serves no MLflow API. */
  trackingUri: z.string().nullable(),
});
export type ScriptStarted = z.infer<typeof ScriptStarted>;

export const scriptsStart = defineCall(
  'scripts:start',
  'Run a command (no shell) as a tracked run: what it logs over MLflow lands in the run, its output is the run log',
  ScriptsStartInput,
  ScriptStarted,
);

export const ScriptRunEnd = z.object({
  runId: RunId,
  status: RunStatus,
  /** The exit status, when it exited by itself. */
  exitCode: z.number().int().nullable(),
  /** The signal that ended it, when one did (SIGTERM, SIGKILL …). */
  signal: z.string().nullable(),
  durationMs: z.number().nonnegative(),
  /** Bytes of output kept in the log, and bytes dropped past its cap. */
  logBytes: z.number().int().nonnegative(),
  droppedBytes: z.number().int().nonnegative(),
  /** Why it FAILED or was KILLED, in a sentence. */
  message: z.string().nullable(),
});
export type ScriptRunEnd = z.infer<typeof ScriptRunEnd>;

const RunOfWorkspace = z.object({ workspace: WorkspacePath, runId: RunId });

export const scriptsCancel = defineCall(
  'scripts:cancel',
  'Stop a script run of this process: its whole process tree gets SIGTERM, then SIGKILL after a grace period (at once with `now`, as a second Ctrl-C asks); the run ends KILLED',
  RunOfWorkspace.extend({ now: z.boolean().optional() }),
  z.object({ runId: RunId, cancelling: z.boolean() }),
);

export const scriptsWait = defineCall('scripts:wait', 'Wait for a script run of this process to end; how it ended (at once for one that has ended)', RunOfWorkspace, ScriptRunEnd);

export const ScriptLogPage = z.object({
  /** UTF-8 text (control characters removed, CRLF and lone CR made LF); starts at byte `from`. */
  text: z.string(),
  from: z.number().int().nonnegative(),
  /** Where the next page starts. */
  next: z.number().int().nonnegative(),
  /** Bytes in the log so far. */
  total: z.number().int().nonnegative(),
  /** The run has ended and its log is complete. */
  complete: z.boolean(),
});
export type ScriptLogPage = z.infer<typeof ScriptLogPage>;

export const scriptsLog = defineCall(
  'scripts:log',
  "A page of a script run's log (stdout and stderr as they came), live while it runs and from its logs/output.txt artifact after",
  RunOfWorkspace.extend({
    /** A byte offset (a page's `next`); default 0. A negative one counts from the end: -65536 is the last 64 KB. */
    from: z.number().int().min(-scriptRunLimits.logPageBytes * 64).optional(),
  }),
  ScriptLogPage,
);

/**
 * Output as it comes (throttled): `text` starts at byte `from` of the log; a gap means lines were
 * skipped here (read them with scripts:log). `pastCap`: output past the log's cap, which its file
 * does not hold (`from` then counts bytes printed): for a terminal to echo, not for a page following the log.
 */
export const scriptsOutput = defineEvent(
  'scripts:output',
  z.object({ workspace: WorkspacePath, runId: RunId, from: z.number().int().nonnegative(), text: z.string(), pastCap: z.boolean().optional() }),
);
