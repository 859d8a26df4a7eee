import type { LatheEvent } from '../../../shared/contract/calls.ts';
import type { Sweep, SweepSummary, Trial } from '../../../shared/contract/sweeps.ts';
import { failure, LatheFailure } from '../../core/errors.ts';
import { callCore } from '../call-core.ts';
import type { CliCommand, CliContext } from '../cli-command.ts';
import { integerOption, requiredArgument } from '../option-values.ts';
import { visible } from '../terminal-text.ts';
import { formatNumber, textTable } from '../text-table.ts';

/** `lathe sweep …`: run a search over a built-in model's params from a spec file, and follow, list and cancel sweeps. */

function paramText(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'number' ? formatNumber(value) : String(value);
}

function describeSweep(sweep: SweepSummary): string {
  const { counts } = sweep;
  const lines = [
    `Sweep "${visible(sweep.name)}" ${sweep.status.toUpperCase()} · ${counts.finished + counts.stopped + counts.failed} of ${sweep.planned} trials ended` +
      ` (${counts.running} running, ${counts.stopped} stopped early, ${counts.failed} failed) · ${sweep.method}, ${sweep.parallel} at once, seed ${sweep.seed}  (${sweep.id})`,
    `metric ${visible(sweep.metric.name)} (${sweep.metric.goal}) · experiment ${visible(sweep.experiment)}`,
    sweep.best
      ? `best: trial #${sweep.best.number}, run ${sweep.best.runId}: ${visible(sweep.metric.name)} ${formatNumber(sweep.best.metric)} with ${Object.entries(sweep.best.params).map(([name, value]) => `${name} ${visible(paramText(value))}`).join(', ')}`
      : 'best: none yet (no trial has finished)',
  ];
  if (sweep.error) lines.push(`${sweep.status === 'failed' ? 'failed' : 'stopped'}: ${visible(sweep.error.message)}${sweep.error.hint ? `\n${visible(sweep.error.hint)}` : ''}`);
  return lines.join('\n');
}

function trialTable(sweep: Sweep): string {
  if (sweep.trials.length === 0) return 'No trial has started yet.';
  const names = Object.keys(sweep.spec.parameters);
  return textTable(
    ['#', 'status', 'stopped by', sweep.metric.name, 'step', ...names, 'run'],
    sweep.trials.map((trial) => [
      trial.number,
      trial.status,
      trial.stoppedBy ?? '',
      trial.metric === null ? '' : formatNumber(trial.metric),
      trial.step ?? '',
      ...names.map((name) => visible(paramText(trial.params[name]))),
      trial.runId ?? visible(trial.error ?? ''),
    ]),
    48,
  );
}

/** A trial's start and end on stderr, as they happen (in --json too: stdout holds only the result). */
async function followSweep(context: CliContext, workspace: string): Promise<{ stop: () => void; id: () => string | null }> {
  const core = await context.core();
  const shown = new Map<number, string>();
  let id: string | null = null;
  const off = core.events.on((event: LatheEvent) => {
    if (event.name !== 'sweeps:progress' || event.payload.workspace !== workspace) return;
    const { sweep } = event.payload;
    id ??= sweep.id;
    if (sweep.id !== id) return;
    for (const trial of sweep.trials) {
      const state = trial.status === 'RUNNING' ? `RUNNING ${trial.runId}` : trial.status;
      if (shown.get(trial.number) === state || (trial.status === 'RUNNING' && !trial.runId)) continue;
      shown.set(trial.number, state);
      context.err(`[${trial.number}/${sweep.planned}] ${trialLine(trial, sweep.metric.name)}`);
    }
  });
  return { stop: off, id: () => id };
}

function trialLine(trial: Trial, metric: string): string {
  const params = Object.entries(trial.params).map(([name, value]) => `${name}=${visible(paramText(value))}`).join(' ');
  if (trial.status === 'RUNNING') return `started ${params}  (run ${trial.runId})`;
  const value = trial.metric === null ? '' : ` · ${visible(metric)} ${formatNumber(trial.metric)}${trial.step === null ? '' : ` at step ${trial.step}`}`;
  const why = trial.stoppedBy === 'median' || trial.stoppedBy === 'hyperband' ? ` (stopped early: ${trial.stoppedBy})` : trial.error ? `: ${visible(trial.error)}` : '';
  return `${trial.status}${why}${value}  ${params}`;
}

/** The spec file's text, refused with every problem at its JSON path (or line and column). */
async function readSpec(context: CliContext, file: string) {
  const [{ readFile, stat }, { resolve }, { readSweepSpecText, MAX_SWEEP_SPEC_BYTES }] = await Promise.all([import('node:fs/promises'), import('node:path'), import('../../../shared/contract/sweeps.ts')]);
  const path = resolve(context.cwd, file);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw failure('NOT_FOUND', `There is no sweep spec at ${visible(path)} (${error.code ?? error.message}).`, { hint: 'Give the path of a JSON file; `lathe sweep create --help` shows one.', location: { file: path } });
  });
  if (!info.isFile()) throw failure('INVALID_INPUT', `${visible(path)} is not a file.`, { location: { file: path } });
  if (info.size > MAX_SWEEP_SPEC_BYTES) throw failure('TOO_LARGE', `${visible(path)} has ${info.size.toLocaleString('en')} bytes; a sweep spec is at most ${MAX_SWEEP_SPEC_BYTES.toLocaleString('en')}.`, { location: { file: path } });
  const read = readSweepSpecText(await readFile(path, 'utf8'));
  if (read.spec) return { spec: read.spec, path };
  const first = read.problems[0]!;
  throw failure('INVALID_INPUT', `${visible(file)} is not a valid sweep spec: ${read.problems.map((problem) => `${problem.path || (problem.line ? `line ${problem.line}, column ${problem.column}` : 'the file')}: ${problem.message}`).join('; ')}`, {
    location: { file: path, ...(first.line ? { line: first.line, column: first.column } : {}), ...(first.path ? { field: first.path } : {}) },
    issues: read.problems.map((problem) => ({ path: problem.path || '(file)', message: problem.message })),
  });
}

/** What the core found wrong (a metric the model does not log, a dataset not there), said of the file: `spec.metric.name` → `metric.name`. */
function ofFile(thrown: unknown, path: string): unknown {
  if (!(thrown instanceof LatheFailure)) return thrown;
  const field = thrown.error.location?.field?.replace(/^spec\./, '');
  if (!thrown.error.location?.field?.startsWith('spec')) return thrown;
  return new LatheFailure({ ...thrown.error, location: { file: path, ...(field ? { field } : {}) } });
}

const EXAMPLE = `{
  "train": { "kind": "builtin", "dataset": "penguins", "target": "Species", "fixed": { "epochs": 20 } },
  "method": "random",
  "metric": { "name": "val_loss", "goal": "minimize" },
  "parameters": {
    "learningRate": { "min": 0.0001, "max": 0.1, "distribution": "log_uniform" },
    "hidden": { "values": [[16], [32, 16], [64, 32]] },
    "batchSize": { "min": 16, "max": 64, "distribution": "int_uniform" }
  },
  "runCap": 20,
  "parallel": 2,
  "earlyTerminate": { "type": "median", "minSteps": 5 },
  "seed": 7
}`;

export const sweepCreateCommand: CliCommand = {
  path: ['sweep', 'create'],
  summary: 'Run a sweep from a JSON spec: trials train as ordinary runs, a few at once; progress on stderr',
  usage: 'lathe sweep create FILE [--wait] [--json]',
  details: [
    'The sweep runs in this process, so the command waits for it (--wait says so explicitly); Ctrl-C cancels it,',
    'keeping the trials that ended as runs. method is grid or random (Bayesian search is not offered); a param is',
    'values: [...] or min/max with distribution uniform, log_uniform or int_uniform. earlyTerminate is',
    '{ "type": "median", "minSteps": N } or { "type": "hyperband", "minIter": N, "eta": 3 }. parallel defaults to',
    'the cores − 1. Every trial is a run tagged lathe.sweep=<id> (lathe runs list, the Experiments page).',
    'train is a built-in model ({ "kind": "builtin", "dataset", "target", "fixed": {…} }) or a command whose',
    '${param} placeholders take each trial\'s values ({ "kind": "script", "command": ["python", "train.py", "--lr", "${lr}"] }):',
    'it runs as `lathe run` runs it, and the metric is what it logs over MLflow.',
    'Exit codes: 0 the sweep finished, 1 it failed, was cancelled or could not start, 2 the command line or the spec was wrong.',
    '',
    'Example spec:',
    EXAMPLE,
  ].join('\n'),
  options: { wait: { type: 'boolean' } },
  async run(context) {
    const file = requiredArgument(context.positionals[0], 'the sweep spec file', this.usage);
    const workspace = await context.workspace();
    const { spec, path } = await readSpec(context, file);
    const following = await followSweep(context, workspace);
    const interrupt = () => {
      const id = following.id();
      if (id) void callCore(context, 'sweeps:cancel', { workspace, id }).catch(() => undefined);
    };
    process.once('SIGINT', interrupt);
    try {
      const sweep = await callCore(context, 'sweeps:create', { workspace, spec, wait: true }).catch((thrown: unknown) => {
        throw ofFile(thrown, path);
      });
      return { json: sweep, human: [describeSweep(sweep), '', trialTable(sweep)].join('\n'), exitCode: sweep.status === 'finished' ? 0 : 1 };
    } finally {
      process.off('SIGINT', interrupt);
      following.stop();
    }
  },
};

export const sweepStatusCommand: CliCommand = {
  path: ['sweep', 'status'],
  summary: 'A sweep: its progress, the best run so far, and every trial with its params and metric',
  usage: 'lathe sweep status SWEEP_ID [--json]',
  options: {},
  async run(context) {
    const id = requiredArgument(context.positionals[0], 'the sweep (lathe sweep list shows their ids)', this.usage);
    const sweep = await callCore(context, 'sweeps:get', { workspace: await context.workspace(), id });
    return { json: sweep, human: [describeSweep(sweep), '', trialTable(sweep)].join('\n') };
  },
};

export const sweepListCommand: CliCommand = {
  path: ['sweep', 'list'],
  summary: 'The sweeps of this workspace, newest first',
  usage: 'lathe sweep list [--max N] [--json]',
  options: { max: { type: 'string' } },
  async run(context) {
    const limit = integerOption(context.values.max, '--max', 1, 1000) ?? 20;
    const sweeps = await callCore(context, 'sweeps:list', { workspace: await context.workspace(), limit });
    const human = sweeps.length
      ? textTable(
          ['sweep', 'name', 'status', 'trials', 'stopped', 'metric', 'best', 'created'],
          sweeps.map((sweep) => [
            sweep.id,
            visible(sweep.name),
            sweep.status,
            `${sweep.counts.finished + sweep.counts.stopped + sweep.counts.failed}/${sweep.planned}`,
            sweep.counts.stopped,
            `${visible(sweep.metric.name)} (${sweep.metric.goal === 'minimize' ? 'min' : 'max'})`,
            sweep.best ? formatNumber(sweep.best.metric) : '',
            sweep.createdAt.replace('T', ' ').slice(0, 19),
          ]),
          40,
        )
      : 'No sweeps yet: `lathe sweep create FILE` runs one (`lathe sweep create --help` shows a spec).';
    return { json: sweeps, human };
  },
};

export const sweepCancelCommand: CliCommand = {
  path: ['sweep', 'cancel'],
  summary: 'Stop a running sweep of this process: running trials end KILLED (keeping their epochs), no more start',
  usage: 'lathe sweep cancel SWEEP_ID [--json]',
  details: 'A sweep runs in the Lathe process that created it: cancel it there (Ctrl-C on lathe sweep create, or the Sweeps page).',
  options: {},
  async run(context) {
    const id = requiredArgument(context.positionals[0], 'the sweep to cancel', this.usage);
    const sweep = await callCore(context, 'sweeps:cancel', { workspace: await context.workspace(), id });
    return { json: sweep, human: describeSweep(sweep) };
  },
};

export const sweepCommands: readonly CliCommand[] = [sweepCreateCommand, sweepStatusCommand, sweepListCommand, sweepCancelCommand];
