import type { GateReport } from '../../../shared/contract/gates.ts';

/**
 * A gate report as the files CI reads: JUnit XML (one test case per check, so a CI's test view
 * lists them: a failed check is a failure with its sentence as the message, a skipped one
 * skipped, a warning passes with its sentence as output) and a Markdown summary for a job
 * summary or a pull-request comment. Text from the workspace (column names, category values)
 * is escaped for each format; characters XML 1.0 cannot hold are dropped.
 */
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xmlText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '').replace(/[&<>"']/g, (char) => XML_ENTITIES[char]!);
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function gateReportJunit(report: GateReport): string {
  const failures = report.checks.filter((check) => check.status === 'fail').length;
  const skipped = report.checks.filter((check) => check.status === 'skip').length;
  const suite = xmlText(`${report.model}@${report.version} gates`);
  const counts = `tests="${report.checks.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(report.durationMs)}"`;
  const cases = report.checks.map((check) => {
    const open = `    <testcase classname="${xmlText(`lathe.gates.${check.group}`)}" name="${xmlText(`${check.id}: ${check.title}`)}" time="${seconds(check.durationMs)}"`;
    const sentence = xmlText(check.sentence);
    if (check.status === 'fail') return `${open}>\n      <failure message="${sentence}" type="${xmlText(check.id)}">${sentence}</failure>\n    </testcase>`;
    if (check.status === 'skip') return `${open}>\n      <skipped message="${sentence}"/>\n    </testcase>`;
    return `${open}>\n      <system-out>${xmlText(`${check.status.toUpperCase()}: ${check.sentence}`)}</system-out>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="lathe gates" ${counts}>`,
    `  <testsuite name="${suite}" timestamp="${xmlText(report.startedAt)}" ${counts}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

const MARK: Record<string, string> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', skip: '⏭️ skip' };

/** Markdown table cells: one line, no control characters, no pipe that would end the cell, no HTML. */
function cell(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r?\n/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

export function gateReportMarkdown(report: GateReport): string {
  const data = `${report.data.name}@${report.data.version}${report.data.testSplit ? ' (test split)' : ''}, ${report.data.rows.toLocaleString('en')} rows`;
  return [
    `## Gates of ${cell(report.model)}@${report.version}: ${MARK[report.outcome]}`,
    '',
    cell(report.summary),
    '',
    `Data: ${cell(data)} · baseline: ${report.baseline ? cell(report.baseline) : 'none'} · ${seconds(report.durationMs)} s · report \`${report.id}\``,
    '',
    '| group | check | result | what was found |',
    '|---|---|---|---|',
    ...report.checks.map((check) => `| ${check.group} | ${cell(check.title)} | ${MARK[check.status]} | ${cell(check.sentence)} |`),
    '',
  ].join('\n');
}
