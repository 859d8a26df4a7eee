import type { TrainingSummary } from '../../../shared/contract/training.ts';
import type { JobInfo } from '../../../shared/contract/jobs.ts';
import { formatBytes } from '../../../shared/format-bytes.ts';
import { failure } from '../../core/errors.ts';
import { callCore } from '../call-core.ts';
import type { CliCommand, CliContext } from '../cli-command.ts';
import { visible } from '../terminal-text.ts';
import { formatNumber, textTable } from '../text-table.ts';

/** `lathe train` (starts a run and waits for it) and `lathe doctor` (what training can run on). */

const numberFlags = { epochs: 'epochs', 'batch-size': 'batchSize', seed: 'seed', patience: 'earlyStoppingPatience' } as const;
const decimalFlags = { 'learning-rate': 'learningRate', dropout: 'dropout', l2: 'l2' } as const;
const choiceFlags = { task: 'task', model: 'model', activation: 'activation', 'class-weights': 'classWeights', backend: 'backend' } as const;

/** The knobs as the contract names them; the contract checks their values and ranges. */
function knobs(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(numberFlags)) {
    const value = values[flag];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw failure('INVALID_INPUT', `--${flag} takes a whole number; got "${visible(String(value))}".`);
    out[key] = Number(value);
  }
  for (const [flag, key] of Object.entries(decimalFlags)) {
    const value = values[flag];
    if (value === undefined) continue;
    const n = Number(value);
    if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n)) throw failure('INVALID_INPUT', `--${flag} takes a number; got "${visible(String(value))}".`);
    out[key] = n;
  }
  for (const [flag, key] of Object.entries(choiceFlags)) if (typeof values[flag] === 'string') out[key] = values[flag];
  if (typeof values.hidden === 'string') {
    const units = values.hidden.split(',').map((part) => part.trim());
    if (units.some((unit) => !/^\d+$/.test(unit))) throw failure('INVALID_INPUT', `--hidden takes layer sizes separated by commas, like 64,32; got "${visible(values.hidden)}".`);
    out.hidden = units.map(Number);
  }
  return out;
}

function metric(value: TrainingSummary['test'][string]): string {
  return typeof value === 'number' ? formatNumber(value) : value;
}

function describeSummary(summary: TrainingSummary): string {
  const took = summary.endTime ? `${((summary.endTime - summary.startTime) / 1000).toFixed(1)} s` : 'still running';
  const lines = [
    `${summary.name}  ${summary.status}  (experiment ${summary.experimentName}, run ${summary.runId})`,
    `${summary.model} ${summary.task} of ${summary.target} on ${summary.dataset ? `${summary.dataset.name}@${summary.dataset.version}` : 'no dataset'} · ${summary.backend ?? 'no backend'} · ${summary.epochs.trained} epochs${summary.epochs.stoppedEarly ? ` (stopped early; best ${summary.epochs.best})` : ''} · ${took}`,
  ];
  if (summary.error) lines.push(`${summary.status === 'KILLED' ? 'stopped' : 'failed'}: ${summary.error.message}${summary.error.hint ? `\n${summary.error.hint}` : ''}`);
  const test = Object.entries(summary.test);
  if (test.length) lines.push('', textTable(['test metric', 'value'], test.sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => [key, metric(value)])));
  return lines.join('\n');
}

/** Print the job's progress on stderr, on one line, while a person watches a terminal. */
async function followProgress(context: CliContext, jobId: string): Promise<() => void> {
  if (context.json || !process.stderr.isTTY) return () => undefined;
  const core = await context.core();
  let last = '';
  const off = core.events.on((event) => {
    if (event.name !== 'jobs:changed') return;
    const job = event.payload as JobInfo;
    if (job.id !== jobId || !job.progress?.message || job.progress.message === last) return;
    last = job.progress.message;
    process.stderr.write(`\r\x1b[2K${visible(last)}`);
  });
  return () => {
    off();
    if (last) process.stderr.write('\r\x1b[2K');
  };
}

export const trainCommand: CliCommand = {
  path: ['train'],
  summary: 'Train a model on a dataset version and wait for it: the run, its test metrics and artifacts are recorded',
  usage: 'lathe train --dataset NAME[@VERSION] --target COLUMN [--model linear|mlp] [--epochs N] [--batch-size N] [--learning-rate X] [--hidden 64,32] [--seed N] [--experiment NAME]',
  details: [
    'The task (classification or regression) follows from the target column; --task overrides it. Other knobs:',
    '--activation relu|tanh|sigmoid|elu|selu, --dropout X, --l2 X, --patience N (early stopping; 0: off),',
    '--class-weights balanced|none, --backend auto|node-gpu|node|wasm|cpu, --name RUN.',
    'Progress goes to stderr when a terminal is attached; Ctrl-C stops the run (it ends KILLED, what it logged kept).',
    'Exit codes: 0 the run FINISHED, 1 it FAILED or was KILLED (or could not start), 2 the command line was wrong.',
    '',
    'Example: lathe train --dataset penguins --target species --model mlp --hidden 64,32 --epochs 50',
  ].join('\n'),
  options: {
    dataset: { type: 'string', short: 'd' },
    target: { type: 'string', short: 't' },
    task: { type: 'string' },
    model: { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    'learning-rate': { type: 'string' },
    hidden: { type: 'string' },
    activation: { type: 'string' },
    dropout: { type: 'string' },
    l2: { type: 'string' },
    seed: { type: 'string' },
    patience: { type: 'string' },
    'class-weights': { type: 'string' },
    backend: { type: 'string' },
    experiment: { type: 'string', short: 'e' },
    name: { type: 'string' },
  },
  async run(context) {
    if (typeof context.values.dataset !== 'string') throw failure('INVALID_INPUT', 'Name the dataset: lathe train --dataset NAME[@VERSION] --target COLUMN');
    if (typeof context.values.target !== 'string') throw failure('INVALID_INPUT', 'Name the column to predict: lathe train --dataset NAME --target COLUMN');
    const { parseDatasetRef } = await import('../../core/datasets/dataset-ref.ts');
    const { name, version } = parseDatasetRef(context.values.dataset);
    const workspace = await context.workspace();
    const started = await callCore(context, 'training:start', {
      workspace,
      dataset: name,
      ...(version ? { version } : {}),
      target: context.values.target,
      model: 'mlp',
      ...knobs(context.values),
      ...(typeof context.values.experiment === 'string' ? { experiment: context.values.experiment } : {}),
      ...(typeof context.values.name === 'string' ? { runName: context.values.name } : {}),
    } as never);
    const stopFollowing = await followProgress(context, started.jobId);
    const interrupt = () => void callCore(context, 'jobs:cancel', { workspace, jobId: started.jobId }).catch(() => undefined);
    process.once('SIGINT', interrupt);
    try {
      const summary = await callCore(context, 'training:wait', { workspace, runId: started.runId });
      return { json: summary, human: describeSummary(summary), exitCode: summary.status === 'FINISHED' ? 0 : 1 };
    } finally {
      process.off('SIGINT', interrupt);
      stopFollowing();
    }
  },
};

export const doctorCommand: CliCommand = {
  path: ['doctor'],
  summary: 'The compute backends training can use on this machine, found or not, and why',
  usage: 'lathe doctor',
  options: {},
  async run(context) {
    const report = await callCore(context, 'app:doctor', {});
    const machine = report.machine;
    const human = [
      `${machine.cpu} · ${machine.cores} cores · ${formatBytes(machine.memoryBytes)} · ${machine.gpu ?? 'no GPU found'} · ${machine.platform}/${machine.arch} · Node ${report.node}`,
      '',
      textTable(
        ['backend', 'package', 'version', 'available', 'why'],
        report.backends.map((b) => [`${b.selected ? '* ' : '  '}${b.name}`, b.package, b.version, b.available ? 'yes' : 'no', b.detail]),
        90,
      ),
      '',
      `* training uses ${report.selected} (--backend chooses another). Models needing more than ${formatBytes(report.trainingMemoryLimitBytes)} to train are refused.`,
    ].join('\n');
    return { json: report, human };
  },
};
