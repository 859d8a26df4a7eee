import type { MonitoringSettingsPatch } from '../../../shared/contract/monitoring.ts';
import { failure } from '../../core/errors.ts';
import { callCore } from '../call-core.ts';
import type { CliCommand } from '../cli-command.ts';
import { integerOption, requiredArgument } from '../option-values.ts';
import { visible } from '../terminal-text.ts';
import { historyText, reportText } from './monitor-report-text.ts';

/** `lathe monitor report|history|configure TARGET/MODEL`: a deployed model watched live. */

/** Exit code of a report shown from what the workspace kept because the agent could not be asked. */
export const STALE_EXIT_CODE = 3;

/** TARGET/MODEL, checked before anything is asked: a bare model name is answered with how to write one. */
export function deploymentArgument(value: string | undefined, usage: string): string {
  const given = requiredArgument(value, 'the deployment, as TARGET/MODEL (like edge-1/churn)', usage);
  if (!given.includes('/')) {
    throw failure('INVALID_INPUT', `"${visible(given)}" is not a deployment name: name a deployment TARGET/MODEL, like edge-1/${visible(given)} (the target as \`lathe targets list\` shows it, then the model).`, {
      hint: '`lathe deploy status` lists what runs where, each as TARGET/MODEL.',
      location: { field: 'deployment' },
    });
  }
  return given;
}

/** `--window latest|N`. */
export function windowChoice(value: unknown): 'latest' | number {
  if (value === undefined || value === 'latest') return 'latest';
  return integerOption(value, '--window', 0, Number.MAX_SAFE_INTEGER)!;
}

export const monitorReportCommand: CliCommand = {
  path: ['monitor', 'report'],
  summary: "A deployment's drift per feature, prediction and dataset drift, accuracy or its estimate, recorder health and open alerts",
  usage: 'lathe monitor report TARGET/MODEL [--window N|latest] [--windows N] [--json]',
  details: [
    'Asks the agent for what is new (and keeps it in the workspace), then prints the window asked for (default the',
    'newest): per feature the drift method, score, threshold and verdict — "not enough data" when the window has too',
    'few rows to judge, never "no drift" — the prediction and dataset drift, accuracy where labels arrived or else its',
    "estimate from the model's confidence (marked as an estimate, with its band), the recorder's health and open alerts.",
    '--json prints the whole report with the last --windows windows (default 50) up to the one asked for.',
    'Exit codes: 0 a live report; 3 the agent could not be reached (or no longer serves the model) and the report is',
    'what the workspace kept (stale, saying why); 1 it could not be made (an unknown target or model, a window that',
    'does not exist); 2 bad input.',
    'Example: lathe monitor report edge-1/penguins --window 12',
  ].join('\n'),
  options: { window: { type: 'string' }, windows: { type: 'string' } },
  async run(context) {
    const deployment = deploymentArgument(context.positionals[0], this.usage);
    const window = windowChoice(context.values.window);
    const windows = integerOption(context.values.windows, '--windows', 1, 500);
    const workspace = await context.workspace();
    const report = await callCore(context, 'monitoring:report', { workspace, deployment, window, ...(windows !== undefined ? { windows } : {}) });
    const exitCode = report.stale ? STALE_EXIT_CODE : 0;
    if (context.json) return { json: report, human: '', exitCode };
    const alerts = await callCore(context, 'alerts:list', { workspace, deployment, state: 'open' }).catch((error: { error?: { message?: string } }) => ({ problem: error.error?.message ?? String(error) }));
    return { json: report, human: reportText(report, alerts), exitCode };
  },
};

export const monitorHistoryCommand: CliCommand = {
  path: ['monitor', 'history'],
  summary: "A deployment's windows kept in the workspace, one line each: rows, drift, accuracy, latency",
  usage: 'lathe monitor history TARGET/MODEL [--limit N] [--json]',
  details: 'Reads only what the workspace kept (the app and `lathe serve` fetch windows while they run; `lathe monitor report` fetches once); the agent is not asked.',
  options: { limit: { type: 'string' } },
  async run(context) {
    const deployment = deploymentArgument(context.positionals[0], this.usage);
    const limit = integerOption(context.values.limit, '--limit', 1, 5000);
    const history = await callCore(context, 'monitoring:history', { workspace: await context.workspace(), deployment, ...(limit !== undefined ? { limit } : {}) });
    return { json: history, human: historyText(history.deployment, history.windows) };
  },
};

export const monitorConfigureCommand: CliCommand = {
  path: ['monitor', 'configure'],
  summary: "Set how a deployment's agent records and windows predictions: sample rate, window, retention, store cap",
  usage: 'lathe monitor configure TARGET/MODEL [--sample-rate P] [--window 500|60s] [--min-rows N] [--retention-days D] [--max-store-bytes B] [--json]',
  details: [
    '  --sample-rate P      record this share of predictions (0 < P ≤ 1; the rest are counted as sampled out)',
    '  --window 500|60s     a window closes after 500 recorded predictions, or every 60s (also 5m, 1h)',
    '  --min-rows N         fewer values than this in a window is "not enough data" for a column',
    '  --retention-days D   records older than this are deleted (labels arriving later find nothing)',
    '  --max-store-bytes B  the prediction store\'s cap on disk (512MiB, 2GiB or bytes); the oldest go first',
    'What is left out stays as it is. Prints the settings in full, as the agent now has them.',
    'Example: lathe monitor configure edge-1/penguins --sample-rate 0.25 --window 1000',
  ].join('\n'),
  options: { 'sample-rate': { type: 'string' }, window: { type: 'string' }, 'min-rows': { type: 'string' }, 'retention-days': { type: 'string' }, 'max-store-bytes': { type: 'string' } },
  async run(context) {
    const deployment = deploymentArgument(context.positionals[0], this.usage);
    const patch: MonitoringSettingsPatch = {};
    const sampleRate = decimalOption(context.values['sample-rate'], '--sample-rate', 0, 1, true);
    if (sampleRate !== undefined) patch.sampleRate = sampleRate;
    const window = windowSpecOption(context.values.window);
    if (window) patch.window = window;
    const minRows = integerOption(context.values['min-rows'], '--min-rows', 1, 100_000);
    if (minRows !== undefined) patch.minRows = minRows;
    const retentionDays = decimalOption(context.values['retention-days'], '--retention-days', 0.01, 3650, false);
    if (retentionDays !== undefined) patch.retentionDays = retentionDays;
    const maxStoreBytes = bytesOption(context.values['max-store-bytes']);
    if (maxStoreBytes !== undefined) patch.maxStoreBytes = maxStoreBytes;
    if (Object.keys(patch).length === 0) throw failure('INVALID_INPUT', `Say what to change: ${this.usage}`);
    const settings = await callCore(context, 'monitoring:configure', { workspace: await context.workspace(), deployment, settings: patch });
    const window_ = settings.window.kind === 'count' ? `every ${settings.window.rows} predictions` : `every ${settings.window.seconds} s`;
    const human = [
      `${visible(deployment)} now records ${settings.sampleRate === 1 ? 'every prediction' : `${Math.round(settings.sampleRate * 1000) / 10} % of predictions`}, closes a window ${window_},`,
      `judges a column on at least ${settings.minRows} values, keeps records ${settings.retentionDays} days and at most ${settings.maxStoreBytes} bytes.`,
    ].join('\n');
    return { json: settings, human };
  },
};

/** A number flag within (min, max] (`exclusiveMin`) or [min, max]. */
function decimalOption(value: unknown, flag: string, min: number, max: number, exclusiveMin: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(exclusiveMin ? n > min : n >= min) || n > max) {
    throw failure('INVALID_INPUT', `${flag} takes a number ${exclusiveMin ? 'above' : 'from'} ${min} ${exclusiveMin ? 'up ' : ''}to ${max}; got "${visible(String(value))}".`, { location: { field: flag.replace(/^--/, '') } });
  }
  return n;
}

/** `500` (predictions) or `60s` / `5m` / `1h` (a time window). */
function windowSpecOption(value: unknown): MonitoringSettingsPatch['window'] | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : '';
  const count = /^\d{1,7}$/.exec(text);
  if (count && Number(text) >= 10 && Number(text) <= 1_000_000) return { kind: 'count', rows: Number(text) };
  const time = /^(\d{1,6})(s|m|h)$/.exec(text);
  const seconds = time ? Number(time[1]) * { s: 1, m: 60, h: 3600 }[time[2] as 's' | 'm' | 'h'] : Number.NaN;
  if (seconds >= 1 && seconds <= 7 * 86_400) return { kind: 'time', seconds };
  throw failure('INVALID_INPUT', `--window takes a number of predictions from 10 to 1000000 (like 500) or a time from 1s to 168h (like 60s, 5m, 1h); got "${visible(String(value))}".`, { location: { field: 'window' } });
}

const BYTE_UNITS: Record<string, number> = { '': 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };

/** Bytes, or a whole number of KiB / MiB / GiB / TiB; from 1 MiB to 1 TiB. */
function bytesOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? /^(\d{1,13})(KiB|MiB|GiB|TiB)?$/.exec(value) : null;
  const n = match ? Number(match[1]) * BYTE_UNITS[match[2] ?? '']! : Number.NaN;
  if (!(n >= 1024 ** 2 && n <= 1024 ** 4)) {
    throw failure('INVALID_INPUT', `--max-store-bytes takes a size from 1MiB to 1TiB, as bytes or like 512MiB or 2GiB; got "${visible(String(value))}".`, { location: { field: 'max-store-bytes' } });
  }
  return n;
}

export const monitorCommands: readonly CliCommand[] = [monitorReportCommand, monitorHistoryCommand, monitorConfigureCommand];
