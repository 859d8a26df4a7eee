/**
 * A gate report as the files CI reads: JUnit XML (one test case per check, so a CI's test view
 * lists them: a failed check is a failure, a skipped one skipped, a warning passes with its
 * sentence as output) and a Markdown summary for a job summary or a pull request comment.
 */
export interface GateReportForFiles {
  model: string;
  version: number;
  baseline: string | null;
  outcome: 'pass' | 'warn' | 'fail';
  summary: string;
  checks: readonly { id: string; title: string; status: string; sentence: string; durationMs?: number }[];
}

const XML_UNSAFE = /[&<>"']/g;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text as XML 1.0 allows it: entities escaped, characters XML cannot hold (most control characters) dropped. */
export function xmlText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(XML_UNSAFE, (char) => XML_ENTITIES[char]!);
}

export function gateReportJunit(report: GateReportForFiles, stepId: string): string {
  const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);
  const failures = report.checks.filter((check) => check.status === 'fail').length;
  const skipped = report.checks.filter((check) => check.status === 'skip').length;
  const suite = `${report.model}@${report.version} gates`;
  const cases = report.checks.map((check) => {
    const open = `    <testcase classname="${xmlText(`lathe.gates.${check.id}`)}" name="${xmlText(check.title)}" time="${seconds(check.durationMs)}"`;
    if (check.status === 'fail') return `${open}>\n      <failure message="${xmlText(check.sentence)}">${xmlText(check.sentence)}</failure>\n    </testcase>`;
    if (check.status === 'skip') return `${open}>\n      <skipped message="${xmlText(check.sentence)}"/>\n    </testcase>`;
    return `${open}>\n      <system-out>${xmlText(`${check.status.toUpperCase()}: ${check.sentence}`)}</system-out>\n    </testcase>`;
  });
  const total = report.checks.reduce((sum, check) => sum + (check.durationMs ?? 0), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlText(`lathe pipeline step ${stepId}`)}" tests="${report.checks.length}" failures="${failures}" skipped="${skipped}" time="${seconds(total)}">`,
    `  <testsuite name="${xmlText(suite)}" tests="${report.checks.length}" failures="${failures}" skipped="${skipped}" errors="0" time="${seconds(total)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

const MARK: Record<string, string> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', skip: '⏭️ skip' };

/** Markdown table cells: no line breaks, no pipes that would end the cell, no HTML. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

export function gateReportMarkdown(report: GateReportForFiles, stepId: string): string {
  return [
    `## Gates of ${cell(report.model)}@${report.version}: ${MARK[report.outcome] ?? report.outcome}`,
    '',
    `${cell(report.summary)}${report.baseline ? ` Compared with ${cell(report.baseline)}.` : ''} (pipeline step \`${stepId}\`)`,
    '',
    '| check | result | what was found |',
    '|---|---|---|',
    ...report.checks.map((check) => `| ${cell(check.title)} | ${MARK[check.status] ?? cell(check.status)} | ${cell(check.sentence)} |`),
    '',
  ].join('\n');
}
