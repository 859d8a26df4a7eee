import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { gitCli } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

/** lathe.pipeline.json: read as it is on disk, saved as a commit under the workspace lock. */
const tempDir = useTempDirs();

const text = `${JSON.stringify({ schemaVersion: 1, name: 'churn', steps: [{ id: 'data', kind: 'import', dataset: 'penguins' }] }, null, 2)}\n`;

describe('the pipeline file', () => {
  it('offers a starting pipeline built from the workspace when there is none, without writing it', async () => {
    const { core, workspace, call } = await coreOnNewWorkspace(await tempDir());
    try {
      await call('datasets:import-sample', { workspace });
      const file = await call('pipelines:get', { workspace });
      expect(file).toMatchObject({ exists: false, uncommitted: false, problems: [] });
      expect(file.spec?.steps.map((step) => step.kind)).toEqual(['import', 'train', 'register', 'gates']);
      expect(file.spec?.steps[1]).toMatchObject({ target: 'Species' });
      await expect(readFile(join(workspace, 'lathe.pipeline.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await core.close();
    }
  });

  it('is saved as a commit of its own; saving the same text again makes none', async () => {
    const { core, workspace, call } = await coreOnNewWorkspace(await tempDir());
    try {
      const saved = await call('pipelines:save', { workspace, text: text.trimEnd() });
      expect(saved).toMatchObject({ status: 'committed', commit: expect.stringMatching(/^[0-9a-f]{40}$/), file: { exists: true, uncommitted: false, text } });
      expect(await readFile(join(workspace, 'lathe.pipeline.json'), 'utf8')).toBe(text);
      const git = (...args: string[]) => gitCli(workspace, ...args).trimEnd();
      expect(git('log', '-1', '--format=%s')).toBe('Add the pipeline "churn"');
      expect(git('show', 'HEAD:lathe.pipeline.json')).toBe(text.trimEnd());
      expect(git('status', '--porcelain')).toBe('');

      expect(await call('pipelines:save', { workspace, text })).toMatchObject({ status: 'unchanged', commit: null });
      const changed = text.replace('churn', 'churn v2');
      expect(await call('pipelines:save', { workspace, text: changed, message: 'Rename the pipeline' })).toMatchObject({ status: 'committed' });
      expect(git('log', '--format=%s')).toMatch(/^Rename the pipeline\nAdd the pipeline "churn"\n/);
    } finally {
      await core.close();
    }
  });

  it('shows a hand edit as it is on disk, marked uncommitted, with its problems at their lines', async () => {
    const { core, workspace, call } = await coreOnNewWorkspace(await tempDir());
    try {
      await call('pipelines:save', { workspace, text });
      await writeFile(join(workspace, 'lathe.pipeline.json'), text.replace('"import"', '"imprt"'));
      const file = await call('pipelines:get', { workspace });
      expect(file).toMatchObject({ exists: true, uncommitted: true, spec: null });
      expect(file.problems).toEqual([{ severity: 'error', path: 'steps.0.kind', line: 7, column: 7, message: '"kind" is one of import, train, gates, register, deploy' }]);
      await expect(call('pipelines:run', { workspace })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', location: { line: 7, field: 'steps.0.kind' } } });
    } finally {
      await core.close();
    }
  });

  it('refuses text with errors and writes nothing; refuses a file too large to be a pipeline', async () => {
    const { core, workspace, call } = await coreOnNewWorkspace(await tempDir());
    try {
      await expect(call('pipelines:save', { workspace, text: '{ "schemaVersion": 1, "steps": [' })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^lathe\.pipeline\.json line 1: Not valid JSON/) } });
      await expect(call('pipelines:save', { workspace, text: ' '.repeat(300 * 1024) })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringMatching(/at most 256 KiB/) } });
      expect(gitCli(workspace, 'log', '--format=%s').trim()).toBe('Create Lathe workspace "ws"');
    } finally {
      await core.close();
    }
  });

  it('warns, before anything runs, of a dataset version that is not there and a target that is not a column', async () => {
    const { core, workspace, call } = await coreOnNewWorkspace(await tempDir());
    try {
      await call('datasets:import-sample', { workspace });
      const steps = [
        { id: 'data', kind: 'import', dataset: 'penguins' },
        { id: 'train', kind: 'train', from: 'data', target: 'species' },
        { id: 'old', kind: 'train', dataset: 'penguins@7', target: 'Species' },
        { id: 'other', kind: 'train', dataset: 'weather', target: 'rain' },
      ];
      const saved = await call('pipelines:save', { workspace, text: JSON.stringify({ schemaVersion: 1, steps }, null, 2) });
      expect(saved.file.problems.map((p) => [p.severity, p.path, p.message])).toEqual([
        ['warning', 'steps.1.target', 'penguins@1 has no column "species"; did you mean "Species"?'],
        ['warning', 'steps.2.dataset', 'Dataset "penguins" has no version 7; its versions are 1 to 1.'],
        ['warning', 'steps.3.dataset', expect.stringContaining('weather')],
      ]);
      expect(saved.file.spec).not.toBeNull();
    } finally {
      await core.close();
    }
  });
});
