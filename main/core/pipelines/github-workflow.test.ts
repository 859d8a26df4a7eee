import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { githubWorkflow } from './github-workflow.ts';
import { parseYamlWithPython as load, pythonYamlAvailable } from './testing/python-yaml.ts';
import { yamlText } from './yaml-text.ts';

describe('the YAML Lathe writes', () => {
  it.skipIf(!pythonYamlAvailable)('reads back as the same value in PyYAML, whatever the strings hold (needs python3-yaml)', () => {
    const value = {
      plain: 'actions/checkout@v4',
      'needs quotes': 'yes',
      colon: 'a: b',
      hash: 'x # not a comment',
      expression: '${{ always() }}',
      quote: 'say "hi"\\',
      number: 12,
      numberLike: '12',
      empty: '',
      unicode: 'naïve ✓',
      nested: { list: ['a', 'on', 'null', { deep: true }], none: [], nothing: {} },
      script: 'echo one\n  indented two\n\necho "three"\n',
      noFinalBreak: 'one\ntwo',
      trailingSpace: 'one \ntwo\n',
      leadingSpace: '  one\ntwo\n',
      control: 'bell\u0007',
    };
    expect(load(yamlText(value))).toEqual(value);
  });
});

describe('lathe pipeline export --github', () => {
  const workflow = githubWorkflow({ branches: ['main'], nodeVersion: '24' });

  it('writes the workflow the golden file holds', async () => {
    expect(workflow).toBe(await readFile(new URL('./testing/lathe-workflow.golden.yml', import.meta.url), 'utf8'));
  });

  it.skipIf(!pythonYamlAvailable)('is a valid workflow that installs Lathe from the workspace\'s package.json, runs the pipeline and keeps the gates reports (needs python3-yaml)', () => {
    const parsed = load(workflow) as { on: unknown; jobs: { pipeline: { steps: { name: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> }[] } } };
    expect(parsed.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: {} });
    const steps = parsed.jobs.pipeline.steps;
    expect(steps.map((step) => step.uses ?? step.run)).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm ci',
      './node_modules/.bin/lathe pipeline run --json --reports lathe-reports > lathe-reports-run.json',
      expect.stringContaining('>> "$GITHUB_STEP_SUMMARY"'),
      'actions/upload-artifact@v4',
      'mikepenz/action-junit-report@v5',
    ]);
    expect(steps[0]!.with).toEqual({ 'fetch-depth': 0 });
    expect(steps[1]!.with).toEqual({ 'node-version': '24', cache: 'npm' });
    expect(steps[5]).toMatchObject({ if: '${{ always() }}', with: { path: 'lathe-reports/\nlathe-reports-run.json\n' } });
    expect(steps[6]).toMatchObject({ if: '${{ always() }}', with: { report_paths: 'lathe-reports/*.junit.xml' } });
  });

  it('never installs or runs Lathe by its name from the npm registry, where "lathe" is another project', () => {
    for (const text of [workflow, githubWorkflow({ branches: ['main', 'data'], nodeVersion: '24' })]) {
      expect(text).not.toMatch(/npm (install|i) .*lathe|npx (--[a-z-]+ )*lathe/);
    }
  });
});
