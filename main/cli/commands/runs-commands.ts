import type { LatestMetric, RunDetail, RunSummary } from '../../../shared/contract/runs.ts';
import { failure } from '../../core/errors.ts';
import { callCore } from '../call-core.ts';
import { integerOption } from '../option-values.ts';
import type { CliCommand, CliContext } from '../cli-command.ts';
import { visible } from '../terminal-text.ts';
import { formatNumber, textTable } from '../text-table.ts';

/** `lathe runs …`: the tracked runs of the workspace, as MLflow users know them. */

const RUN_ID = /^[0-9a-f]{32}$/;

function metricText(metric: LatestMetric | undefined): string | null {
  if (!metric) return null;
  return typeof metric.value === 'number' ? formatNumber(metric.value) : metric.value;
}

function duration(run: RunSummary): string {
  const end = run.endTime ?? Date.now();
  const seconds = Math.max(0, Math.round((end - run.startTime) / 1000));
  return seconds < 60 ? `${seconds}s` : seconds < 3600 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${(seconds / 3600).toFixed(1)}h`;
}

/** The id given on the command line, checked before anything is asked of the core. */
function runIdArgument(value: string | undefined, usage: string): string {
  if (!value) throw failure('INVALID_INPUT', `Name the run: ${usage}`);
  if (!RUN_ID.test(value)) throw failure('INVALID_INPUT', `"${visible(value)}" is not a run id (32 hexadecimal digits; \`lathe runs list\` shows them).`);
  return value;
}

async function experimentIds(context: CliContext, workspace: string): Promise<string[] | undefined> {
  const name = context.values.experiment;
  if (typeof name !== 'string') return undefined;
  const experiments = await callCore(context, 'experiments:list', { workspace });
  const experiment = experiments.find((e) => e.name === name || e.id === name);
  if (!experiment) {
    throw failure('NOT_FOUND', `There is no experiment named "${visible(name)}".`, { hint: `Experiments: ${experiments.map((e) => e.name).join(', ') || 'none yet'}.` });
  }
  return [experiment.id];
}

export const runsListCommand: CliCommand = {
  path: ['runs', 'list'],
  summary: 'List runs, newest first, filtered with MLflow syntax (plus OR and parentheses)',
  usage: "lathe runs list [--experiment NAME] [--filter EXPR] [--order-by 'metrics.KEY DESC'] [--max N]",
  details: [
    "Example: lathe runs list --filter \"metrics.test_accuracy > 0.9 AND (params.model = 'mlp' OR params.model = 'linear')\"",
    'Metrics take > >= != = < <=; params and tags = != LIKE ILIKE; attributes.status, attributes.run_name, attributes.start_time.',
  ].join('\n'),
  options: {
    experiment: { type: 'string', short: 'e' },
    filter: { type: 'string', short: 'f' },
    'order-by': { type: 'string', multiple: true },
    max: { type: 'string' },
  },
  async run(context) {
    const workspace = await context.workspace();
    const max = integerOption(context.values.max, '--max', 1, 10_000) ?? 100;
    const orderBy = Array.isArray(context.values['order-by']) ? context.values['order-by'].map(String) : undefined;
    const result = await callCore(context, 'runs:search', {
      workspace,
      experimentIds: await experimentIds(context, workspace),
      ...(typeof context.values.filter === 'string' ? { filter: context.values.filter } : {}),
      ...(orderBy ? { orderBy } : {}),
      maxResults: max,
    });
    if (result.runs.length === 0) return { json: result, human: 'No runs match. Train one with: lathe train --dataset NAME --target COLUMN' };
    const metricKeys = [...new Set(result.runs.flatMap((run) => Object.keys(run.metrics)))].filter((key) => key.startsWith('test_')).sort().slice(0, 4);
    const table = textTable(
      ['run', 'name', 'status', 'started', 'took', 'dataset', ...metricKeys],
      result.runs.map((run) => [
        run.id.slice(0, 12),
        run.name,
        run.status,
        new Date(run.startTime).toISOString().slice(0, 16).replace('T', ' '),
        duration(run),
        run.datasets.map((d) => `${d.name}${d.version ? `@${d.version}` : ''}`).join(', '),
        ...metricKeys.map((key) => metricText(run.metrics[key])),
      ]),
    );
    const more = result.total > result.runs.length ? `\n${result.total - result.runs.length} more match; raise --max to see them.` : '';
    return { json: result, human: `${table}${more}` };
  },
};

export const runsShowCommand: CliCommand = {
  path: ['runs', 'show'],
  summary: 'Show one run: status, params, latest metrics, data, code, environment, artifacts',
  usage: 'lathe runs show RUN_ID',
  options: {},
  async run(context) {
    const runId = await resolveRunId(context, context.positionals[0], 'lathe runs show RUN_ID');
    const run = await callCore(context, 'runs:get', { workspace: await context.workspace(), runId });
    return { json: run, human: describeRun(run) };
  },
};

/** A full id, or a prefix of one as `runs list` prints (12 digits), when it names exactly one run. */
export async function resolveRunId(context: CliContext, value: string | undefined, usage: string): Promise<string> {
  if (value && /^[0-9a-f]{6,31}$/.test(value)) {
    const { runs } = await callCore(context, 'runs:search', { workspace: await context.workspace(), maxResults: 10_000, includeDeleted: true });
    const matches = runs.filter((run) => run.id.startsWith(value));
    if (matches.length === 1) return matches[0]!.id;
    throw failure(matches.length === 0 ? 'NOT_FOUND' : 'INVALID_INPUT', matches.length === 0 ? `No run id starts with ${value}.` : `${matches.length} run ids start with ${value}; give more digits.`);
  }
  return runIdArgument(value, usage);
}

function describeRun(run: RunDetail): string {
  const head = [
    `${run.name || run.id}  ${run.status}  (experiment ${run.experimentName})`,
    `run ${run.id} · started ${new Date(run.startTime).toISOString()} · took ${duration(run)}${run.lifecycle === 'deleted' ? ' · deleted' : ''}`,
    `data: ${run.datasets.map((d) => `${d.name}${d.version ? `@${d.version}` : ''} (${d.contentHash.slice(0, 19)}…)`).join(', ') || 'none recorded'}`,
    `code: ${run.gitCommit ? `workspace commit ${run.gitCommit.slice(0, 10)}` : 'no commit recorded'}`,
    `environment: ${run.environment ? Object.entries(run.environment).filter(([, v]) => typeof v === 'string').map(([k, v]) => `${k} ${v}`).join(', ') : 'not recorded'}`,
  ];
  const error = run.systemTags['lathe.error'] ?? run.systemTags['mlflow.note.content'];
  if (run.status === 'FAILED' && error) head.push(`error: ${error}`);
  const params = Object.entries(run.params);
  const metrics = Object.entries(run.metrics);
  return [
    head.join('\n'),
    params.length ? `\nParams\n${textTable(['param', 'value'], params.sort(([a], [b]) => (a < b ? -1 : 1)), 60)}` : '',
    metrics.length ? `\nMetrics (latest)\n${textTable(['metric', 'value', 'step'], metrics.sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, m]) => [key, metricText(m), m.step]))}` : '',
    run.artifacts.length ? `\nArtifacts\n${textTable(['path', 'size', 'content hash'], run.artifacts.map((a) => [a.path, a.bytes, a.contentHash.slice(0, 19)]), 60)}` : '',
  ].join('\n');
}

export const runsCompareCommand: CliCommand = {
  path: ['runs', 'compare'],
  summary: 'Why did these runs differ: params, data, code and environment, against the first',
  usage: 'lathe runs compare RUN_ID RUN_ID…',
  options: {},
  async run(context) {
    if (context.positionals.length < 2) throw failure('INVALID_INPUT', 'Name at least two runs: lathe runs compare RUN_ID RUN_ID…');
    const runIds = [];
    for (const value of context.positionals) runIds.push(await resolveRunId(context, value, 'lathe runs compare RUN_ID RUN_ID…'));
    const comparison = await callCore(context, 'runs:compare', { workspace: await context.workspace(), runIds });
    const names = comparison.runs.map((run) => run.name || run.id.slice(0, 12));
    const differing = comparison.params.filter((row) => row.differs);
    const lines = [
      ...comparison.changes.map((change) => {
        const name = names[comparison.runs.findIndex((run) => run.id === change.runId)];
        return [`${name} differs from ${names[0]} in:`, ...(change.reasons.length ? change.reasons.map((reason) => `  - ${reason}`) : ['  nothing recorded: same params, data, code and environment'])].join('\n');
      }),
      differing.length ? `\nParams that differ\n${textTable(['param', ...names], differing.map((row) => [row.key, ...row.values]), 30)}` : '\nEvery param is the same.',
      comparison.metrics.length
        ? `\nMetrics (latest)\n${textTable(['metric', ...names], comparison.metrics.map((row) => [row.key, ...row.values.map((v) => (v === null ? null : typeof v === 'number' ? formatNumber(v) : v))]))}`
        : '',
    ];
    return { json: comparison, human: lines.join('\n') };
  },
};
