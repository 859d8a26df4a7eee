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
      expect.stringContaining('./node_modules/.bin/lathe data pull\n'),
      './node_modules/.bin/lathe pipeline run --json --reports lathe-reports > lathe-reports-run.json',
      expect.stringContaining('./node_modules/.bin/lathe data push\n'),
      expect.stringContaining('git push origin "HEAD:$GITHUB_REF_NAME"'),
      expect.stringContaining('>> "$GITHUB_STEP_SUMMARY"'),
      'actions/upload-artifact@v4',
      'mikepenz/action-junit-report@v5',
    ]);
    expect(steps[0]!.with).toEqual({ 'fetch-depth': 0 });
    expect(steps[1]!.with).toEqual({ 'node-version': '24', cache: 'npm' });
    expect(steps[8]).toMatchObject({ if: '${{ always() }}', with: { path: 'lathe-reports/\nlathe-reports-run.json\n' } });
    expect(steps[9]).toMatchObject({ if: '${{ always() }}', with: { report_paths: 'lathe-reports/*.junit.xml' } });
  });

  it.skipIf(!pythonYamlAvailable)('pulls the bytes before the pipeline, and on the default branch pushes bytes, then commits, with the permission to (needs python3-yaml)', () => {
    const parsed = load(workflow) as { permissions: unknown; jobs: { pipeline: { env: Record<string, string>; steps: { name: string; run?: string; if?: string }[] } } };
    expect(parsed.permissions).toEqual({ contents: 'write', checks: 'write' });
    expect(parsed.jobs.pipeline.env.LATHE_REMOTE).toBe('${{ vars.LATHE_REMOTE || secrets.LATHE_REMOTE }}');
    const steps = parsed.jobs.pipeline.steps as { name: string; run?: string; if?: string; env?: Record<string, string> }[];
    // An HTTP remote's token reaches only the steps that move bytes (not npm ci's install scripts).
    expect(steps.filter((step) => step.env?.LATHE_REMOTE_TOKEN).map((step) => step.run?.match(/lathe (data \w+)/)?.[1])).toEqual(['data pull', 'data push']);
    expect(parsed.jobs.pipeline.env.LATHE_REMOTE_TOKEN).toBeUndefined();
    const index = (text: string) => steps.findIndex((step) => step.run?.includes(text));
    expect(index('lathe data pull')).toBeLessThan(index('lathe pipeline run'));
    expect(index('lathe pipeline run')).toBeLessThan(index('lathe data push'));
    // Bytes before commits: whoever pulls the registry's commits finds their bytes on the remote.
    expect(index('lathe data push')).toBeLessThan(index('git push'));
    for (const step of [steps[index('lathe data push')]!, steps[index('git push')]!]) {
      expect(step.if).toBe("${{ success() && github.ref == format('refs/heads/{0}', github.event.repository.default_branch) }}");
    }
    // No expression is pasted into a shell script (a branch name could hold shell syntax).
    for (const step of steps) expect(step.run ?? '').not.toContain('${{');
  });

  it('never installs or runs Lathe by its name from the npm registry, where "lathe" is another project', () => {
    for (const text of [workflow, githubWorkflow({ branches: ['main', 'data'], nodeVersion: '24' })]) {
      expect(text).not.toMatch(/npm (install|i) .*lathe|npx (--[a-z-]+ )*lathe/);
    }
  });
});
