import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatedWorkspace } from '../core/gates/gates-fixture.ts';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { runCli } from './cli-app.ts';
import { latheFiles } from './lathe-files.ts';

const tempDir = useTempDirs();
const files = latheFiles(new URL('./lathe.ts', import.meta.url));

async function lathe(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  process.env.LATHE_CONFIG_DIR = join(cwd, '.state');
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), cwd, version: '9.9.9', files });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lathe gates', () => {
  it('writes a spec, runs the gates for CI (exit code, JUnit, Markdown) and lists the reports', { timeout: 180_000 }, async () => {
    const root = await tempDir();
    const fixture = await gatedWorkspace(root);
    try {
      const init = await lathe(root, 'gates', 'init', 'penguins-species', '-w', 'ws');
      expect(init).toMatchObject({ code: 0, out: expect.stringMatching(/^Wrote models\/penguins-species\/gates\.json \(commit [0-9a-f]{10}\) with the default gates/) });
      expect((await lathe(root, 'gates', 'init', 'penguins-species', '-w', 'ws')).out).toContain('is already there; kept');
      expect((await lathe(root, 'gates', 'show', 'penguins-species', '-w', 'ws')).out).toContain('"significance": 0.05');

      // The weak version against the champion: the paired test fails it, so the command exits 1.
      const failed = await lathe(root, 'gates', 'run', 'penguins-species@2', '--junit', 'reports/gates.xml', '--markdown', 'reports/gates.md', '-w', 'ws');
      expect(failed.code).toBe(1);
      expect(failed.out).toMatch(/^Gates of penguins-species@2 on the test split of penguins@1 \(\d+ rows\), against penguins-species@1:\n/);
      expect(failed.out).toMatch(/\n {2}FAIL {2}model {7}No worse than penguins-species@1: penguins-species@2 is worse than penguins-species@1 on the same \d+ rows/);
      expect(failed.out).toMatch(/\n {2}PASS {2}integration Served predictions match training: penguins-species@2, served, predicts all \d+ test rows as training did/);
      expect(failed.out).toContain(`Wrote ${join(root, 'reports/gates.xml')}`);
      const junit = await readFile(join(root, 'reports/gates.xml'), 'utf8');
      expect(junit).toMatch(/<testsuite name="penguins-species@2 gates" timestamp="[^"]+" tests="\d+" failures="[1-9]\d*"/);
      expect(junit).toContain('<failure message="penguins-species@2 is worse than penguins-species@1');
      expect(await readFile(join(root, 'reports/gates.md'), 'utf8')).toMatch(/^## Gates of penguins-species@2: ❌ fail\n/);

      // The champion alone, with a threshold it meets: exit 0, and --json gives the report. (A latency budget no machine misses: the exit code must not depend on timing.)
      await fixture.saveSpec({ integration: { p50Ms: 60_000, p99Ms: 60_000 } });
      const passed = await lathe(root, 'gates', 'run', 'penguins-species@1', '--require', 'accuracy>=0.5', '--json', '-w', 'ws');
      expect(passed.code).toBe(0);
      const report = JSON.parse(passed.out) as { outcome: string; checks: { id: string; status: string }[] };
      expect(report.outcome).not.toBe('fail');
      expect(report.checks).toContainEqual(expect.objectContaining({ id: 'model.threshold.accuracy', status: 'pass' }));

      const results = await lathe(root, 'gates', 'results', 'penguins-species@2', '-w', 'ws');
      expect(results.out.split('\n')[2]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+fail\s+penguins-species@1\s+penguins@1\s+penguins-species@2 failed/);

      // A request that is wrong exits 2, saying what.
      const bad = await lathe(root, 'gates', 'run', 'penguins-species@1', '--require', 'acc>0.9', '-w', 'ws');
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('"acc" is not a metric a gate knows');
    } finally {
      await fixture.core.close();
    }
  });
});
