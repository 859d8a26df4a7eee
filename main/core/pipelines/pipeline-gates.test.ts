import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceResourcesDir } from '../paths.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

/** Pipelines that register and gate: the challenger flow CI runs on a push. */
const tempDir = useTempDirs();

async function pipelineRun(gates: Record<string, unknown>) {
  const fixture = await coreOnNewWorkspace(await tempDir());
  await copyFile(join(sourceResourcesDir(), 'samples/penguins.csv'), join(fixture.workspace, 'penguins.csv'));
  const steps = [
    { id: 'data', kind: 'import', file: 'penguins.csv', dataset: 'penguins' },
    { id: 'train', kind: 'train', from: 'data', target: 'Species', params: { model: 'linear', epochs: 3 } },
    { id: 'register', kind: 'register', from: 'train', name: 'penguins', description: 'trained by the pipeline' },
    { id: 'gates', kind: 'gates', from: 'register', alias: 'challenger', ...gates },
    { id: 'ship', kind: 'deploy', from: 'gates' },
  ];
  await fixture.call('pipelines:save', { workspace: fixture.workspace, text: JSON.stringify({ schemaVersion: 1, name: 'penguins', steps }) });
  const run = await fixture.call('pipelines:run', { workspace: fixture.workspace, wait: true });
  return { ...fixture, run };
}

describe('a pipeline with gates', () => {
  it('registers the run, gates the version, moves the alias when they pass, and writes JUnit and Markdown', async () => {
    const { core, workspace, call, run } = await pipelineRun({});
    try {
      expect(run.steps.map((step) => [step.id, step.status])).toEqual([['data', 'passed'], ['train', 'passed'], ['register', 'passed'], ['gates', 'passed'], ['ship', 'failed']]);
      expect(run.failedStep).toBe('ship');
      expect(run.made.models).toEqual([{ name: 'penguins', version: 1 }]);
      expect(run.made.gates).toEqual([{ step: 'gates', passed: true, summary: expect.stringMatching(/^penguins@1 passed/) }]);
      expect((await call('models:get-version', { workspace, ref: 'penguins@challenger' })).version).toBe(1);
      expect(run.reports.map((report) => [report.step, report.format])).toEqual([['gates', 'junit'], ['gates', 'markdown']]);
      const junit = await readFile(run.reports[0]!.path, 'utf8');
      expect(junit).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="lathe gates" tests="\d+" failures="0"/);
      expect(await readFile(run.reports[1]!.path, 'utf8')).toMatch(/^## Gates of penguins@1: /);
    } finally {
      await core.close();
    }
  });

  it('is FAILED at a failing gate: the version stays registered, the alias does not move, nothing after runs', async () => {
    const { core, workspace, call, run } = await pipelineRun({ require: ['accuracy>=0.999'] });
    try {
      expect(run).toMatchObject({ status: 'failed', failedStep: 'gates', error: { message: expect.stringMatching(/^The gates of penguins@1 failed: /) } });
      expect(run.steps.map((step) => step.status)).toEqual(['passed', 'passed', 'passed', 'failed', 'skipped']);
      expect(run.made.gates).toEqual([{ step: 'gates', passed: false, summary: expect.stringMatching(/failed/) }]);
      const model = await call('models:show', { workspace, name: 'penguins' });
      expect(JSON.stringify(model)).not.toContain('challenger');
      const junit = await readFile(run.reports.find((report) => report.format === 'junit')!.path, 'utf8');
      expect(junit).toMatch(/failures="[1-9]/);
      expect(junit).toMatch(/<failure message="[^"]*0\.999/);
    } finally {
      await core.close();
    }
  });
});
