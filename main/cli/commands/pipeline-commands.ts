import type { PipelineProblem, PipelineRun, PipelineRunSummary, StepRun } from '../../../shared/contract/pipelines.ts';
import type { LatheEvent } from '../../../shared/contract/calls.ts';
import { failure } from '../../core/errors.ts';
import { callCore } from '../call-core.ts';
import { integerOption } from '../integer-option.ts';
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
    const workspace = await context.workspace();
    const [{ readFile, mkdir }, { dirname, relative, resolve, isAbsolute }, { githubWorkflow }, { writeFileAtomic }] = await Promise.all([
      import('node:fs/promises'),
      import('node:path'),
      import('../../core/pipelines/github-workflow.ts'),
      import('../../core/storage/atomic-file.ts'),
    ]);
    await callCore(context, 'pipelines:get', { workspace }).then((file) => {
      if (!file.exists) throw failure('NOT_FOUND', 'This workspace has no lathe.pipeline.json to export yet.', { hint: 'Save one first (the Pipelines page, or by hand), then export it.' });
    });
    const out = resolve(workspace, typeof context.values.out === 'string' ? context.values.out : '.github/workflows/lathe.yml');
    const inside = relative(workspace, out);
    if (inside.startsWith('..') || isAbsolute(inside)) throw failure('INVALID_INPUT', `--out ${visible(String(context.values.out))} is outside the workspace; GitHub reads workflows from the repository's .github/workflows folder.`);
    const branches = Array.isArray(context.values.branch) && context.values.branch.length ? (context.values.branch as string[]) : ['main'];
    for (const branch of branches) if (!/^[A-Za-z0-9._/-]{1,200}$/.test(branch) || branch.includes('..')) throw failure('INVALID_INPUT', `"${visible(branch)}" is not a branch name Lathe will write into a workflow.`);
    requireLatheInPackageJson(await readFile(resolve(workspace, 'package.json'), 'utf8').catch(() => null));
    const text = githubWorkflow({ branches, nodeVersion: '24' });
    const existing = await readFile(out, 'utf8').catch(() => null);
    if (existing !== null && existing !== text && context.values.force !== true) {
      throw failure('CONFLICT', `${inside} already exists and differs from the workflow Lathe would write; it was left as it is.`, { hint: 'Pass --force to replace it, or --out to write another file.', location: { file: inside } });
    }
    await mkdir(dirname(out), { recursive: true });
    await writeFileAtomic(out, text);
    return { json: { path: out, written: existing !== text }, human: `${existing === text ? 'Unchanged' : 'Wrote'} ${inside}: commit and push it, and every push to ${branches.join(', ')} runs the pipeline.` };
  },
};

/**
 * The workflow installs Lathe with `npm ci` from the workspace's package.json: the npm package
 * named "lathe" is another project, so CI must never install Lathe by its name from the registry.
 */
function requireLatheInPackageJson(text: string | null): void {
  const hint =
    'Add Lathe to the workspace as a dev dependency from where your team gets it — `npm install --save-dev <Lathe\'s git URL, or the .tgz `npm pack` makes>` — ' +
    'commit package.json and package-lock.json, then export again. (The npm package named "lathe" is another project, so the workflow never installs Lathe by name.)';
  if (text === null) throw failure('FAILED_PRECONDITION', 'This workspace has no package.json that installs Lathe, so the workflow would have no Lathe to run.', { hint, location: { file: 'package.json' } });
  let pkg: { dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown> };
  try {
    pkg = JSON.parse(text) as typeof pkg;
  } catch {
    throw failure('PARSE_ERROR', 'The workspace\'s package.json is not valid JSON.', { hint: 'Fix it (npm reads it too), then export again.', location: { file: 'package.json' } });
  }
  if (pkg?.dependencies?.lathe === undefined && pkg?.devDependencies?.lathe === undefined) {
    throw failure('FAILED_PRECONDITION', 'The workspace\'s package.json does not list Lathe (as "lathe" in devDependencies or dependencies), so `npm ci` in the workflow would install no Lathe.', { hint, location: { file: 'package.json' } });
  }
}

export const pipelineCommands: readonly CliCommand[] = [pipelineRunCommand, pipelineRunsCommand, pipelineValidateCommand, pipelineExportCommand];
