import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { GateReport } from '../../../shared/contract/gates.ts';
import { gateReportJunit, gateReportMarkdown } from './report-files.ts';

const hostile = 'Island = "<Biscoe> & \'Dream\'" | x\u0001\n';

const report: GateReport = {
  id: '20261130T050000Z-abcdef',
  model: 'penguins',
  version: 2,
  baseline: 'penguins@1',
  data: { name: 'penguins', version: 1, rows: 69, testSplit: true },
  startedAt: '2026-11-30T05:00:00.000Z',
  durationMs: 1234,
  outcome: 'fail',
  summary: 'penguins@2 failed 1 of 3 checks: Worst slice.',
  checks: [
    { group: 'data', id: 'data.schema', title: 'Columns and types', status: 'pass', sentence: 'All there.', durationMs: 1 },
    { group: 'model', id: 'model.slices', title: 'Worst slice', status: 'fail', sentence: `Accuracy falls below the floor on ${hostile}`, durationMs: 2 },
    { group: 'integration', id: 'integration.bundle', title: 'Signed bundle loads', status: 'skip', sentence: 'No runtime.', durationMs: 0 },
  ],
};

describe('the JUnit report', () => {
  const xml = gateReportJunit(report);

  it('has one test case per check; a failed check is a failure with its sentence, a skipped one skipped', () => {
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('<testsuite name="penguins@2 gates" timestamp="2026-11-30T05:00:00.000Z" tests="3" failures="1" errors="0" skipped="1" time="1.234">');
    expect(xml).toContain('<failure message="Accuracy falls below the floor on Island = &quot;&lt;Biscoe&gt; &amp; &apos;Dream&apos;&quot; | x\n" type="model.slices">');
    expect(xml).toContain('<skipped message="No runtime."/>');
    expect(xml).not.toContain('\u0001');
  });

  const python = '/usr/bin/python3';
  it.skipIf(spawnSync(python, ['-c', 'import xml.dom.minidom'], { encoding: 'utf8' }).status !== 0)('is well-formed XML (Python’s parser reads it back)', () => {
    const read = spawnSync(python, ['-c', 'import sys, xml.dom.minidom as m; d = m.parseString(sys.stdin.buffer.read()); print(len(d.getElementsByTagName("testcase")), d.getElementsByTagName("failure")[0].getAttribute("message"))'], { input: xml, encoding: 'utf8' });
    expect(read.stderr).toBe('');
    expect(read.stdout).toBe(`3 Accuracy falls below the floor on Island = "<Biscoe> & 'Dream'" | x \n`);
  });
});

describe('the Markdown summary', () => {
  it('is a table with a row per check, its cells kept to one line with pipes and HTML escaped', () => {
    const markdown = gateReportMarkdown(report);
    expect(markdown).toMatch(/^## Gates of penguins@2: ❌ fail\n/);
    expect(markdown).toContain('| model | Worst slice | ❌ fail | Accuracy falls below the floor on Island = "&lt;Biscoe> & \'Dream\'" \\| x  |');
    expect(markdown.split('\n').filter((line) => line.startsWith('| '))).toHaveLength(4);
  });
});
