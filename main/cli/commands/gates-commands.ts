import type { GateReport } from '../../../shared/contract/gates.ts';
import { callCore } from '../call-core.ts';
import { integerOption, requiredArgument, stringOption } from '../option-values.ts';
import type { CliCommand, CliContext } from '../cli-command.ts';
import { visible } from '../terminal-text.ts';
import { textTable } from '../text-table.ts';

/**
 * `lathe gates …`: a model's release gates, for people and for CI. `lathe gates run` exits 0 only
 * when no check failed (1 when one did, 2 when the request itself was wrong), and writes JUnit
 * XML and a Markdown summary where CI wants them.
 */


const STATUS: Record<string, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };

export function describeReport(report: GateReport): string {
  const dataset = `${visible(report.data.name)}@${report.data.version}`;
  const rows = `${report.data.rows.toLocaleString('en')} rows`;
  const where = report.data.testSplit ? `the test split of ${dataset} (${rows})` : `${dataset} (${rows})`;
  const head = `Gates of ${visible(report.model)}@${report.version} on ${where}${report.baseline ? `, against ${visible(report.baseline)}` : ''}:`;
  const lines = report.checks.map((check) => `  ${STATUS[check.status]}  ${check.group.padEnd(11)} ${visible(check.title)}: ${visible(check.sentence)}`);
  return [head, ...lines, '', `${STATUS[report.outcome]}: ${visible(report.summary)}`].join('\n');
}

export const gatesInitCommand: CliCommand = {
  path: ['gates', 'init'],
  summary: "Write a model's gate spec (models/NAME/gates.json) with every default spelled out",
  usage: 'lathe gates init NAME [--replace]',
  details: 'Example: lathe gates init penguin-species\nThen edit models/NAME/gates.json (thresholds, the baseline alias and significance, slice floor, latency budget) and commit it; a spec already there is kept unless --replace.',
  options: { replace: { type: 'boolean' } },
  async run(context) {
    const name = requiredArgument(context.positionals[0], 'the model', this.usage);
    const written = await callCore(context, 'gates:init', { workspace: await context.workspace(), name, replace: context.values.replace === true });
    const human = written.created ? `Wrote ${written.path} (commit ${written.commit!.slice(0, 10)}) with the default gates; edit it to set thresholds.` : `${written.path} is already there; kept as it is (--replace writes the defaults over it).`;
    return { json: written, human };
  },
};

export const gatesShowCommand: CliCommand = {
  path: ['gates', 'show'],
  summary: "Show a model's gate spec as the gates read it (the defaults when it has none)",
  usage: 'lathe gates show NAME',
  options: {},
  async run(context) {
    const name = requiredArgument(context.positionals[0], 'the model', this.usage);
    const spec = await callCore(context, 'gates:spec', { workspace: await context.workspace(), name });
    const human = `${spec.exists ? spec.path : `${spec.path} does not exist; the defaults apply (lathe gates init ${visible(name)} writes them)`}\n${visible(JSON.stringify(spec.spec, null, 2), { lines: true })}`;
    return { json: spec, human };
  },
};

export const gatesRunCommand: CliCommand = {
  path: ['gates', 'run'],
  summary: "Run a model version's gates: data, model (thresholds, no worse than the champion, slices) and integration checks",
  usage: "lathe gates run NAME@V [--against NAME@champion|none] [--data NAME@V] [--require 'METRIC>=X']… [--junit FILE] [--markdown FILE] [--no-record]",
  details: [
    "Example: lathe gates run penguin-species@3 --require 'accuracy>=0.9' --junit reports/gates.xml --markdown reports/gates.md",
    'Exits 0 when no check failed (warnings allowed), 1 when one did, 2 when the request was wrong (a bad reference, a spec that does not parse).',
    'The baseline is --against, else the alias the spec names (champion) when the model has one. --data evaluates on another dataset version instead of the test split.',
    'The report is committed beside the version (models/NAME/gate-runs/V/) unless --no-record; lathe gates results NAME@V lists them.',
  ].join('\n'),
  options: { against: { type: 'string' }, data: { type: 'string' }, require: { type: 'string', multiple: true }, junit: { type: 'string' }, markdown: { type: 'string' }, 'no-record': { type: 'boolean' } },
  async run(context) {
    const ref = requiredArgument(context.positionals[0], 'the version, like NAME@3', this.usage);
    const against = stringOption(context, 'against');
    const data = stringOption(context, 'data');
    const require = (context.values.require as string[] | undefined) ?? [];
    const report = await callCore(context, 'gates:run', {
      workspace: await context.workspace(),
      ref,
      ...(against !== undefined ? { against } : {}),
      ...(data !== undefined ? { data } : {}),
      ...(require.length > 0 ? { require } : {}),
      record: context.values['no-record'] !== true,
    });
    const written = await writeReportFiles(context, report);
    const human = [describeReport(report), ...written.map((file) => `Wrote ${visible(file)}`)].join('\n');
    return { json: report, human, exitCode: report.outcome === 'fail' ? 1 : 0 };
  },
};

async function writeReportFiles(context: CliContext, report: GateReport): Promise<string[]> {
  const junit = stringOption(context, 'junit');
  const markdown = stringOption(context, 'markdown');
  if (junit === undefined && markdown === undefined) return [];
  const [{ resolve, dirname }, { mkdir }, { writeFileAtomic }, formats] = await Promise.all([import('node:path'), import('node:fs/promises'), import('../../core/storage/atomic-file.ts'), import('../../core/gates/report-files.ts')]);
  const written: string[] = [];
  for (const [path, content] of [
    [junit, () => formats.gateReportJunit(report)],
    [markdown, () => formats.gateReportMarkdown(report)],
  ] as const) {
    if (path === undefined) continue;
    const file = resolve(context.cwd, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, content());
    written.push(file);
  }
  return written;
}

export const gatesResultsCommand: CliCommand = {
  path: ['gates', 'results'],
  summary: "A version's gate runs, newest first",
  usage: 'lathe gates results NAME@V [--limit N]',
  options: { limit: { type: 'string' } },
  async run(context) {
    const ref = requiredArgument(context.positionals[0], 'the version, like NAME@3', this.usage);
    const limit = integerOption(context.values.limit, '--limit', 1, 1000);
    const reports = await callCore(context, 'gates:results', { workspace: await context.workspace(), ref, ...(limit !== undefined ? { limit } : {}) });
    if (reports.length === 0) return { json: reports, human: `No gate runs recorded for ${visible(ref)}. Run them with: lathe gates run ${visible(ref)}` };
    const table = textTable(
      ['when', 'outcome', 'baseline', 'data', 'summary'],
      reports.map((report) => [report.startedAt.slice(0, 19).replace('T', ' '), report.outcome, report.baseline, `${report.data.name}@${report.data.version}`, report.summary]),
      80,
    );
    return { json: reports, human: table };
  },
};

export const gatesCommands: readonly CliCommand[] = [gatesInitCommand, gatesShowCommand, gatesRunCommand, gatesResultsCommand];
