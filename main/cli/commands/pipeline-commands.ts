import { relative } from 'node:path';
import type { PipelineProblem, PipelineRun, PipelineRunSummary, StepRun } from '../../../shared/contract/pipelines.ts';
import type { LatheEvent } from '../../../shared/contract/calls.ts';
import { failure } from '../../core/errors.ts';
import { callCore } from '../call-core.ts';
import { integerOption } from '../option-values.ts';
import type { CliCommand, CliContext } from '../cli-command.ts';
import { visible } from '../terminal-text.ts';
import { formatNumber, textTable } from '../text-table.ts';

/** `lathe pipeline …`: run the workspace's lathe.pipeline.json, list its runs, check it, export it to CI. */

function seconds(ms: number | null): string {
  if (ms === null) return '';
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** A step's outputs in a line: `penguins@2`, `run 3f…`, `test_accuracy 0.97`. */
function outputsLine(step: StepRun): string {
  const o = step.outputs;
  if (step.kind === 'import' && o.dataset !== undefined) return `${o.dataset}@${o.version}${o.file !== undefined && o.created === false ? ' (same bytes: no new version)' : ''}`;
  if (step.kind === 'train' && o.runId !== undefined) {
    const metric = Object.entries(o).find(([key]) => key === 'test_accuracy' || key === 'test_rmse');
    return `run ${String(o.runId).slice(0, 12)}${metric && typeof metric[1] === 'number' ? ` · ${metric[0]} ${formatNumber(metric[1])}` : ''}`;
  }
  if (o.ref !== undefined) return `${o.ref}${o.outcome ? ` · ${o.outcome}` : ''}${o.alias ? ` · ${o.alias}` : ''}`;
  return '';
}

function describeRun(run: PipelineRunSummary): string {
  const lines = [
    `Pipeline "${visible(run.pipeline)}" ${run.status.toUpperCase()}${run.failedStep ? ` at step ${run.failedStep}` : ''} in ${seconds(run.durationMs)}  (run ${run.id})`,
    '',
    textTable(['step', 'kind', 'status', 'took', 'made'], run.steps.map((step) => [step.id, step.kind, step.status, seconds(step.durationMs), outputsLine(step)]), 60),
  ];
  if (run.error) lines.push('', `${run.status === 'cancelled' || run.status === 'interrupted' ? 'stopped' : 'failed'}: ${run.error.message}${run.error.hint ? `\n${run.error.hint}` : ''}`);
  return lines.join('\n');
}

/** Step changes and log lines on stderr, as they happen (in --json too: stdout holds only the result). */
async function followRun(context: CliContext, workspace: string): Promise<{ stop: () => void; jobId: () => string | null }> {
  const core = await context.core();
  const shown = new Map<string, string>();
  let jobId: string | null = null;
  const off = core.events.on((event: LatheEvent) => {
    if (event.name !== 'pipelines:progress' || event.payload.workspace !== workspace) return;
    const { run, log } = event.payload;
    jobId = run.jobId;
    for (const [index, step] of run.steps.entries()) {
      if (shown.get(step.id) === step.status || step.status === 'pending') continue;
      shown.set(step.id, step.status);
      const when = step.status === 'running' ? '' : ` (${seconds(step.durationMs)})`;
      context.err(`[${index + 1}/${run.steps.length}] ${step.id} (${step.kind}) ${step.status}${when}${step.status === 'passed' && outputsLine(step) ? `: ${outputsLine(step)}` : ''}`);
    }
    if (log) for (const line of log.lines) context.err(`    ${log.step} | ${visible(line)}`);
  });
  return { stop: off, jobId: () => jobId };
}

/** Copy the gates' reports (JUnit, Markdown) where CI picks them up. */
async function copyReports(context: CliContext, run: PipelineRun, dir: string): Promise<string[]> {
  const [{ copyFile, mkdir }, { basename, resolve }] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  const target = resolve(context.cwd, dir);
  await mkdir(target, { recursive: true });
  const copied: string[] = [];
  for (const report of run.reports) {
    const to = resolve(target, basename(report.path));
    await copyFile(report.path, to);
    copied.push(to);
  }
  return copied;
}

export const pipelineRunCommand: CliCommand = {
  path: ['pipeline', 'run'],
  summary: "Run the workspace's lathe.pipeline.json step by step; progress and logs on stderr",
  usage: 'lathe pipeline run [--reports DIR] [--json]',
  details: [
    'Steps run in order (import, train, gates, register); the first that fails ends the run FAILED at that',
    'step, keeping what earlier steps made and running nothing after it. Every run is recorded (lathe pipeline runs).',
    '--reports DIR copies the gates\' JUnit XML and Markdown reports into DIR, for CI. Ctrl-C cancels the run.',
    'Exit codes: 0 the pipeline passed, 1 it failed or was cancelled (or could not start), 2 the command line was wrong.',
  ].join('\n'),
  options: { reports: { type: 'string' } },
  async run(context) {
    const workspace = await context.workspace();
    const following = await followRun(context, workspace);
    const interrupt = () => {
      const jobId = following.jobId();
      if (jobId) void callCore(context, 'jobs:cancel', { workspace, jobId }).catch(() => undefined);
    };
    process.once('SIGINT', interrupt);
    try {
      const run = await callCore(context, 'pipelines:run', { workspace, wait: true });
      const reports = typeof context.values.reports === 'string' ? await copyReports(context, run, context.values.reports) : [];
      const human = [describeRun(run), ...(reports.length ? ['', `Reports: ${reports.map((path) => visible(path)).join(', ')}`] : [])].join('\n');
      return { json: run, human, exitCode: run.status === 'passed' ? 0 : 1 };
    } finally {
      process.off('SIGINT', interrupt);
      following.stop();
    }
  },
};

export const pipelineRunsCommand: CliCommand = {
  path: ['pipeline', 'runs'],
  summary: 'The recorded runs of the pipeline, newest first; with an id, that run with each step and its log',
  usage: 'lathe pipeline runs [RUN_ID] [--max N]',
  options: { max: { type: 'string' } },
  async run(context) {
    const workspace = await context.workspace();
    const id = context.positionals[0];
    if (id !== undefined) {
      const run = await callCore(context, 'pipelines:run-detail', { workspace, id });
      const logs = run.steps.flatMap((step) => (step.log.length ? ['', `── ${step.id} (${step.kind}, ${step.status})`, ...step.log.map((line) => `  ${visible(line)}`)] : []));
      return { json: run, human: [describeRun(run), ...logs].join('\n') };
    }
    const max = integerOption(context.values.max, '--max', 1, 1000) ?? 20;
    const runs = await callCore(context, 'pipelines:runs', { workspace, limit: max });
    const human = runs.length
      ? textTable(
          ['run', 'status', 'started', 'took', 'failed at', 'made'],
          runs.map((run) => [
            run.id,
            run.status,
            run.startedAt.replace('T', ' ').slice(0, 19),
            seconds(run.durationMs),
            run.failedStep,
            [...run.made.datasets.map((d) => `data ${d.name}@${d.version}`), ...run.made.runs.map((r) => `run ${r.runId.slice(0, 12)}`), ...run.made.models.map((m) => `model ${m.name}@${m.version}`)].join(', '),
          ]),
          60,
        )
      : 'No pipeline runs yet: `lathe pipeline run` runs lathe.pipeline.json.';
    return { json: runs, human };
  },
};

function problemLine(problem: PipelineProblem): string {
  return `lathe.pipeline.json:${problem.line}:${problem.column}: ${problem.severity}: ${visible(problem.message)}${problem.path ? ` (${problem.path})` : ''}`;
}

export const pipelineValidateCommand: CliCommand = {
  path: ['pipeline', 'validate'],
  summary: 'Check lathe.pipeline.json: every problem with its line and column (exit 1 when any is an error)',
  usage: 'lathe pipeline validate [--json]',
  options: {},
  async run(context) {
    const file = await callCore(context, 'pipelines:get', { workspace: await context.workspace() });
    if (!file.exists) throw failure('NOT_FOUND', 'This workspace has no lathe.pipeline.json yet.', { hint: 'Write one on the Pipelines page (it starts you with one built from your data), or by hand.' });
    const errors = file.problems.filter((problem) => problem.severity === 'error').length;
    const human = file.problems.length
      ? [...file.problems.map(problemLine), '', errors ? `${errors} error${errors === 1 ? '' : 's'}: the pipeline will not run until ${errors === 1 ? 'it is' : 'they are'} fixed.` : 'No errors: the pipeline can run.'].join('\n')
      : `lathe.pipeline.json is valid: ${file.spec!.steps.map((step) => `${step.id} (${step.kind})`).join(' → ')}.`;
    return { json: { valid: errors === 0, problems: file.problems, uncommitted: file.uncommitted }, human, exitCode: errors ? 1 : 0 };
  },
};

export const pipelineExportCommand: CliCommand = {
  path: ['pipeline', 'export'],
  summary: 'Write a GitHub Actions workflow that runs the pipeline on every push and keeps the gates reports',
  usage: 'lathe pipeline export --github [--out .github/workflows/lathe.yml] [--branch main] [--force]',
  details: [
    'The workflow checks out the workspace, sets up Node, installs Lathe from the workspace\'s package.json (npm ci),',
    'runs `lathe pipeline run --json`, shows the gates\' Markdown in the job summary, uploads the JUnit and Markdown',
    'reports as an artifact and the JUnit as the "Lathe gates" check. --out is relative to the workspace.',
    'An existing, different file is kept unless --force.',
  ].join('\n'),
  options: { github: { type: 'boolean' }, out: { type: 'string' }, branch: { type: 'string', multiple: true }, force: { type: 'boolean' } },
  async run(context) {
    if (context.values.github !== true) throw failure('INVALID_INPUT', 'Say which CI to export to: lathe pipeline export --github (GitHub Actions is the one Lathe writes today).');
    const exported = await callCore(context, 'pipelines:export-github', {
      workspace: await context.workspace(),
      ...(typeof context.values.out === 'string' ? { out: context.values.out } : {}),
      ...(Array.isArray(context.values.branch) && context.values.branch.length ? { branches: context.values.branch.map(String) } : {}),
      ...(context.values.force === true ? { force: true } : {}),
    });
    const inside = relative(await context.workspace(), exported.path);
    return {
      json: { path: exported.path, written: exported.written },
      human: `${exported.written ? 'Wrote' : 'Unchanged'} ${inside}: commit and push it, and every push to ${exported.branches.join(', ')} runs the pipeline.`,
    };
  },
};

export const pipelineCommands: readonly CliCommand[] = [pipelineRunCommand, pipelineRunsCommand, pipelineValidateCommand, pipelineExportCommand];
