import type { LatheEvent } from '../../../shared/contract/calls.ts';
import type { InjectedDrift, SimulationResult } from '../../../shared/contract/simulate.ts';
import { failure } from '../../core/errors.ts';
import { callCore } from '../call-core.ts';
import type { CliCommand, CliContext } from '../cli-command.ts';
import { integerOption, stringOption } from '../option-values.ts';
import { visible } from '../terminal-text.ts';

/** `lathe simulate traffic`: a dataset version's rows sent to a deployment, drift injected, labels later. */

const USAGE = 'lathe simulate traffic --deployment TARGET/MODEL --from NAME@V [--rate N] [--duration S] [--drift COLUMN:shift=X|scale=X|categories=A>B …] [--labels-after S] [--label-noise P] [--seed N] [--json]';

/** A number flag (`--rate 2.5`); undefined when not given. */
function numberOption(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw failure('INVALID_INPUT', `${flag} takes a number; got "${visible(String(value))}".`, { location: { field: flag.replace(/^--/, '') } });
  return n;
}

function datasetVersionOf(text: string | undefined): { dataset: string; version: number } {
  const match = text === undefined ? null : /^(.+)@(\d{1,9})$/.exec(text);
  if (!match) throw failure('INVALID_INPUT', `--from names a dataset version, like penguins@3${text === undefined ? '' : `; got "${visible(text)}"`}.`, { hint: `Usage: ${USAGE}`, location: { field: 'from' } });
  return { dataset: match[1]!, version: Number(match[2]) };
}

async function driftsOf(values: unknown): Promise<InjectedDrift[]> {
  const { readDriftText } = await import('../../../shared/contract/simulate.ts');
  const texts = Array.isArray(values) ? (values as string[]) : [];
  return texts.map((text) => {
    const read = readDriftText(text);
    if ('problem' in read) throw failure('INVALID_INPUT', `--drift ${visible(read.problem)}.`, { location: { field: 'drift' } });
    return read.drift;
  });
}

function counts(byStatus: Record<string, number>): string {
  return Object.entries(byStatus)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
}

export function describeSimulation(result: SimulationResult): string {
  const failed = Object.values(result.failed).reduce((sum, n) => sum + n, 0);
  const refused = Object.values(result.labelsRefused).reduce((sum, n) => sum + n, 0);
  const lines = [`Sent ${result.sent} of ${result.planned} requests to ${visible(result.deployment)} from ${visible(result.dataset)} (${result.rate}/s for ${result.duration} s): ${result.ok} answered, ${failed} failed${failed ? ` (${counts(result.failed)})` : ''}.`];
  if (result.labelColumn !== null) lines.push(`Labels (${visible(result.labelColumn)}): ${result.labelsSent} sent, ${result.labelsAccepted} joined, ${refused} refused${refused ? ` (${counts(result.labelsRefused)})` : ''}.`);
  else lines.push('No labels sent (add --labels-after S to send each true label S seconds after its request).');
  if (result.drift.length > 0) lines.push(`Drift injected: ${result.drift.map((entry) => `${visible(entry.description)} (${entry.changed} values)`).join(', ')}.`);
  return lines.join('\n');
}

/** The job's progress line on stderr, at most once a second. */
async function followJob(context: CliContext, workspace: string): Promise<{ stop: () => void; jobId: () => string | null }> {
  const core = await context.core();
  let jobId: string | null = null;
  let shownAt = 0;
  const off = core.events.on((event: LatheEvent) => {
    if (event.name !== 'jobs:changed' || event.payload.workspace !== workspace || event.payload.kind !== 'simulate') return;
    jobId = event.payload.id;
    const message = event.payload.progress?.message;
    if (message === undefined || Date.now() - shownAt < 1000) return;
    shownAt = Date.now();
    context.err(visible(message));
  });
  return { stop: off, jobId: () => jobId };
}

export const simulateTrafficCommand: CliCommand = {
  path: ['simulate', 'traffic'],
  summary: "Send a dataset version's rows to a deployment as inference requests, with drift injected and true labels later",
  usage: USAGE,
  details: [
    'Each request is a v2 inference request for the model the deployment serves, built from its inputs (the',
    "target column left out), one row each, evenly paced at --rate per second (default 20) for --duration",
    'seconds (default 60, at most 3600). --drift changes a column in every request: shift=X adds X, scale=X',
    'multiplies by X, categories=A>B replaces A with B; give it several times for several columns.',
    "--labels-after S sends each answered request's true label (the dataset's target column) to the",
    'feedback endpoint S seconds later; --label-noise P replaces a share P of them with another class.',
    'Progress goes to stderr; Ctrl-C cancels. Examples:',
    '  lathe simulate traffic --deployment edge-1/penguins --from penguins@1 --rate 50 --duration 120',
    '  lathe simulate traffic --deployment edge-1/penguins --from penguins@1 --drift "Beak Length (mm):shift=8" --drift Island:categories=Biscoe>Dream --labels-after 30',
  ].join('\n'),
  options: {
    deployment: { type: 'string' },
    from: { type: 'string' },
    rate: { type: 'string' },
    duration: { type: 'string' },
    drift: { type: 'string', multiple: true },
    'labels-after': { type: 'string' },
    'label-noise': { type: 'string' },
    seed: { type: 'string' },
  },
  async run(context) {
    const deployment = stringOption(context, 'deployment');
    if (deployment === undefined) throw failure('INVALID_INPUT', 'Name the deployment with --deployment TARGET/MODEL (as `lathe deploy status` shows it).', { hint: `Usage: ${USAGE}`, location: { field: 'deployment' } });
    const { dataset, version } = datasetVersionOf(stringOption(context, 'from'));
    const drift = await driftsOf(context.values.drift);
    const rate = numberOption(context.values.rate, '--rate');
    const duration = numberOption(context.values.duration, '--duration');
    const labelsAfter = numberOption(context.values['labels-after'], '--labels-after');
    const labelNoise = numberOption(context.values['label-noise'], '--label-noise');
    const seed = integerOption(context.values.seed, '--seed', 0, 2 ** 31 - 1);
    const workspace = await context.workspace();
    const following = await followJob(context, workspace);
    const interrupt = () => {
      const jobId = following.jobId();
      if (jobId) void callCore(context, 'jobs:cancel', { workspace, jobId }).catch(() => undefined);
    };
    process.once('SIGINT', interrupt);
    try {
      const result = await callCore(context, 'simulate:traffic', {
        workspace,
        deployment,
        dataset,
        version,
        drift,
        wait: true,
        ...(rate === undefined ? {} : { rate }),
        ...(duration === undefined ? {} : { duration }),
        ...(labelsAfter === undefined ? {} : { labelsAfter }),
        ...(labelNoise === undefined ? {} : { labelNoise }),
        ...(seed === undefined ? {} : { seed }),
      });
      return { json: result, human: describeSimulation(result), exitCode: result.ok > 0 ? 0 : 1 };
    } finally {
      process.off('SIGINT', interrupt);
      following.stop();
    }
  },
};

export const simulateCommands: readonly CliCommand[] = [simulateTrafficCommand];
