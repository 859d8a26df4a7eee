import { basename, resolve } from 'node:path';
import type { DatasetDetail, DatasetVersion } from '../../../shared/contract/datasets.ts';
import { failure } from '../../core/errors.ts';
import { formatBytes } from '../../../shared/format-bytes.ts';
import { callCore } from '../call-core.ts';
import type { CliCommand } from '../cli-command.ts';
import { visible } from '../terminal-text.ts';
import { formatNumber, textTable } from '../text-table.ts';

// dataset-name.ts and dataset-ref.ts check names with the contract's schemas (zod): imported in
// `run`, so that loading this file for `--help` stays cheap.

export const dataImportCommand: CliCommand = {
  path: ['data', 'import'],
  summary: 'Import a CSV, TSV, JSON or JSON Lines file as a new version of a dataset',
  usage: 'lathe data import FILE [--name NAME] [--message TEXT]',
  details: [
    'The file is hashed, parsed and profiled in one streaming pass; its bytes go to .lathe/objects',
    'and its manifest is committed to the workspace\'s git history. Importing bytes identical to the',
    'latest version makes no new version. NAME defaults to the file name without its extension.',
    '',
    'Example: lathe data import ./penguins.csv --name penguins --message "Add 2009 season"',
  ].join('\n'),
  options: {
    name: { type: 'string', short: 'n' },
    message: { type: 'string', short: 'm' },
  },
  async run(context) {
    const file = context.positionals[0];
    if (!file) throw failure('INVALID_INPUT', 'Name the file to import: lathe data import FILE [--name NAME]');
    if (context.positionals.length > 1) throw failure('INVALID_INPUT', `Import one file at a time; got ${context.positionals.length}.`);
    const path = resolve(context.cwd, file);
    const { datasetNameFromFile } = await import('../../../shared/contract/dataset-name.ts');
    const name = typeof context.values.name === 'string' ? context.values.name : datasetNameFromFile(basename(path));
    const message = typeof context.values.message === 'string' ? context.values.message : undefined;
    const outcome = await callCore(context, 'datasets:import-file', { workspace: await context.workspace(), path, name, message });
    const v = outcome.version;
    const made =
      outcome.status === 'unchanged'
        ? `No changes: ${visible(basename(path))} is identical to ${v.name}@${v.version}; no new version was made.`
        : `Created ${v.name}@${v.version}: ${v.rows} rows × ${v.columns} columns, ${formatBytes(v.bytes)}, ${v.contentHash.slice(0, 19)}…`;
    const human = outcome.repaired ? `${made}\nThe stored copy of these bytes was damaged; this import repaired it.` : made;
    return { json: outcome, human };
  },
};

export const dataListCommand: CliCommand = {
  path: ['data', 'list'],
  summary: 'List the datasets in the workspace with their latest version',
  usage: 'lathe data list',
  options: {},
  async run(context) {
    const datasets = await callCore(context, 'datasets:list', { workspace: await context.workspace() });
    const human =
      datasets.length === 0
        ? 'No datasets yet. Import one with: lathe data import FILE'
        : textTable(
            ['name', 'version', 'rows', 'columns', 'size', 'updated'],
            datasets.map((d) => [d.name, d.versions, d.latest.rows, d.latest.columns, formatBytes(d.latest.bytes), d.latest.date.slice(0, 19).replace('T', ' ')]),
          );
    return { json: datasets, human };
  },
};

export const dataLogCommand: CliCommand = {
  path: ['data', 'log'],
  summary: "Show a dataset's version history, newest first",
  usage: 'lathe data log NAME',
  options: {},
  async run(context) {
    const name = context.positionals[0];
    if (!name) throw failure('INVALID_INPUT', 'Name the dataset: lathe data log NAME');
    const versions = await callCore(context, 'datasets:log', { workspace: await context.workspace(), name });
    return { json: versions, human: versionTable(versions) };
  },
};

export const dataShowCommand: CliCommand = {
  path: ['data', 'show'],
  summary: 'Show one version of a dataset: its profile and first rows',
  usage: 'lathe data show NAME[@VERSION] [--rows N]',
  details: 'NAME alone is the latest version; NAME@2 is version 2. --rows sets how many preview rows a person sees (default 10; --json gives the first 100).',
  options: { rows: { type: 'string' } },
  async run(context) {
    const ref = context.positionals[0];
    if (!ref) throw failure('INVALID_INPUT', 'Name the dataset: lathe data show NAME[@VERSION]');
    const { parseDatasetRef } = await import('../../core/datasets/dataset-ref.ts');
    const { name, version } = parseDatasetRef(ref);
    const rows = context.values.rows === undefined ? 10 : Number(context.values.rows);
    if (!Number.isInteger(rows) || rows < 0) throw failure('INVALID_INPUT', `--rows takes a whole number; got "${String(context.values.rows)}".`);
    const detail = await callCore(context, 'datasets:show', { workspace: await context.workspace(), name, version });
    return { json: detail, human: describeDetail(detail, rows) };
  },
};

function versionTable(versions: readonly DatasetVersion[]): string {
  return textTable(
    ['version', 'date', 'message', 'rows', 'columns', 'size', 'content hash'],
    versions.map((v) => [v.version, v.date.slice(0, 19).replace('T', ' '), v.message, v.rows, v.columns, formatBytes(v.bytes), v.contentHash.slice(7, 19)]),
  );
}

function describeDetail(detail: DatasetDetail, previewRows: number): string {
  const v = detail.version;
  const head = [
    `${v.name}@${v.version}  ${visible(v.message)}`,
    `${v.rows} rows × ${v.columns} columns · ${v.format.toUpperCase()} · ${formatBytes(v.bytes)} · from ${visible(v.sourceFile)} · ${visible(v.date)}`,
    `${v.contentHash}  commit ${v.commit.slice(0, 10)}`,
  ].join('\n');
  const profile = textTable(
    ['column', 'type', 'missing', 'distinct', 'min', 'max', 'mean', 'std', 'top values'],
    detail.profile.map((c) => [
      c.name,
      c.type,
      `${(c.missingShare * 100).toFixed(1)}%`,
      `${c.approximate ? '≈' : ''}${c.distinct}`,
      c.min,
      c.max,
      c.mean === null ? null : formatNumber(c.mean),
      c.std === null ? null : formatNumber(c.std),
      c.top.slice(0, 3).map((t) => `${t.value} (${t.error === undefined ? t.count : `≈${t.count} ± ${t.error}`})`).join(', '),
    ]),
    32,
  );
  const shown = detail.preview.rows.slice(0, previewRows);
  const preview = previewRows > 0 ? `\n\nFirst ${shown.length} rows\n${textTable(detail.preview.columns, shown, 24)}` : '';
  return `${head}\n\nProfile\n${profile}${preview}`;
}
