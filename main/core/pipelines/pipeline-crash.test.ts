import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceResourcesDir } from '../paths.ts';
import { startScript } from '../testing/child-process.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { useTempDirs } from '../testing/temp-dir.ts';

const tempDir = useTempDirs();
const child = new URL('./pipeline-crash-child.ts', import.meta.url);

describe('a process killed while its pipeline runs', () => {
  it('leaves the run interrupted (not running forever) at the step it was in, with what earlier steps made', { timeout: 120_000 }, async () => {
    const { core, workspace, call } = await coreOnNewWorkspace(await tempDir());
    await copyFile(join(sourceResourcesDir(), 'samples/penguins.csv'), join(workspace, 'penguins.csv'));
    const steps = [
      { id: 'data', kind: 'import', file: 'penguins.csv', dataset: 'penguins' },
      { id: 'train', kind: 'train', from: 'data', target: 'Species', params: { model: 'linear', epochs: 5000 } },
      { id: 'register', kind: 'register', from: 'train', name: 'penguins' },
    ];
    await call('pipelines:save', { workspace, text: JSON.stringify({ schemaVersion: 1, name: 'crash', steps }) });
    await core.close();

    const run = startScript(child, [workspace]);
    const id = (await run.line((line) => line.startsWith('training ') || line.startsWith('failed '))).replace(/^training /, '');
    run.child.kill('SIGKILL');
    expect(await run.exited).toBe(null);

    const { core: after, call: callAfter } = await coreOnNewWorkspace(await tempDir());
    try {
      const [listed] = await callAfter('pipelines:runs', { workspace });
      expect(listed).toMatchObject({ id, status: 'interrupted', error: { message: expect.stringContaining('ended before it finished, during step "train"') } });
      expect(listed!.steps.map((step) => step.status)).toEqual(['passed', 'cancelled', 'skipped']);
      expect(listed!.made.datasets).toEqual([expect.objectContaining({ name: 'penguins', version: 1 })]);
      expect((await callAfter('datasets:log', { workspace, name: 'penguins' })).map((v) => v.version)).toEqual([1]);
      expect(await callAfter('models:list', { workspace })).toEqual([]);
      // A new run may start: the dead one holds nothing.
      await callAfter('pipelines:save', { workspace, text: JSON.stringify({ schemaVersion: 1, name: 'crash', steps: steps.slice(0, 1) }) });
      expect((await callAfter('pipelines:run', { workspace, wait: true })).status).toBe('passed');
    } finally {
      await after.close();
    }
  });
});
