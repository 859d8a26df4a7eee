import { formatBytes } from '../../../shared/format-bytes.ts';
import { callCore } from '../call-core.ts';
import type { CliCommand } from '../cli-command.ts';
import { textTable } from '../text-table.ts';

/** `lathe data verify` / `lathe data gc`: the content-addressed store, checked and cleared out. */

export const dataVerifyCommand: CliCommand = {
  path: ['data', 'verify'],
  summary: 'Hash every stored blob a version needs again; list the missing, cut-short and altered ones',
  usage: 'lathe data verify',
  details: [
    'Reads every byte in .lathe/objects that some commit (on any branch, tag or in git\'s reflog) names,',
    'and checks it against its SHA-256. Exits 1 when anything is missing or damaged. To repair a version,',
    'import its original file again: the same bytes replace the damaged copy.',
  ].join('\n'),
  options: {},
  async run(context) {
    const report = await callCore(context, 'store:verify', { workspace: await context.workspace() });
    const summary = `Checked ${report.checked} blob${report.checked === 1 ? '' : 's'} (${formatBytes(report.checkedBytes)} intact)`;
    const human =
      report.problems.length === 0
        ? `${summary}: all match their hashes.`
        : [
            `${summary}: ${report.problems.length} damaged or missing.`,
            '',
            textTable(
              ['problem', 'needed by', 'size now', 'recorded', 'blob'],
              report.problems.map((p) => [p.problem, p.usedBy.join(', '), p.actualBytes === null ? null : formatBytes(p.actualBytes), formatBytes(p.expectedBytes), p.path]),
              120,
            ),
            '',
            'Import the original file of a version again to repair it, or copy its blob from a machine that has it intact.',
          ].join('\n');
    // Exit 1 with the report when anything is damaged: scripts and CI see the failure and what failed.
    return { json: report, human, exitCode: report.problems.length > 0 ? 1 : 0 };
  },
};

export const dataGcCommand: CliCommand = {
  path: ['data', 'gc'],
  summary: 'Remove stored blobs no version needs (--dry-run: only list them)',
  usage: 'lathe data gc [--dry-run]',
  details: [
    'A blob is kept while any commit on a branch, a tag or in git\'s reflog names it, so a version you can',
    'still get back with git is never removed. What goes: bytes of interrupted imports, and of versions',
    'whose commits are gone from all of those. Waits for any import in progress to finish first.',
  ].join('\n'),
  options: { 'dry-run': { type: 'boolean' } },
  async run(context) {
    const dryRun = context.values['dry-run'] === true;
    const report = await callCore(context, 'store:gc', { workspace: await context.workspace(), dryRun });
    const count = report.unreferenced.length;
    const what = `${count} unused blob${count === 1 ? '' : 's'} (${formatBytes(report.unreferencedBytes)})`;
    const human = [
      count === 0 ? 'Nothing to remove: every stored blob is needed by a version.' : dryRun ? `Would remove ${what}:` : `Removed ${what}.`,
      ...(dryRun && count > 0 ? report.unreferenced.map((blob) => `  ${blob.contentHash}  ${formatBytes(blob.bytes)}`) : []),
      `Kept ${report.kept} blob${report.kept === 1 ? '' : 's'} (${formatBytes(report.keptBytes)}) that versions need.`,
    ].join('\n');
    return { json: report, human };
  },
};
