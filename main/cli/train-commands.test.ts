import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

async function workspaceWithPenguins() {
  const root = await tempDir();
  await lathe(root, 'init', 'ws');
  await copyFile(new URL('../../resources/samples/penguins.csv', import.meta.url), join(root, 'penguins.csv'));
  expect((await lathe(root, 'data', 'import', 'penguins.csv', '-w', 'ws')).code).toBe(0);
  return root;
}

describe('lathe train', () => {
  it('trains, waits, and prints the finished run with its test metrics (--json for scripts)', { timeout: 120_000 }, async () => {
    const root = await workspaceWithPenguins();
    const trained = await lathe(root, 'train', '--dataset', 'penguins@1', '--target', 'Species', '--model', 'linear', '--epochs', '5', '--seed', '7', '-w', 'ws', '--json');
    expect(trained.code).toBe(0);
    const summary = JSON.parse(trained.out);
    expect(summary).toMatchObject({ status: 'FINISHED', model: 'linear', task: 'classification', target: 'Species', dataset: { name: 'penguins', version: 1 }, params: { seed: '7', epochs: '5' } });
    expect(summary.test.test_accuracy).toBeGreaterThan(0.5);
    const listed = JSON.parse((await lathe(root, 'runs', 'list', '-w', 'ws', '--json')).out);
    expect(listed.runs.map((run: { id: string }) => run.id)).toEqual([summary.runId]);
  });

  it('says what is wrong with the target or a knob before anything runs (exit 2)', async () => {
    const root = await workspaceWithPenguins();
    const noColumn = await lathe(root, 'train', '--dataset', 'penguins', '--target', 'species', '-w', 'ws');
    expect(noColumn).toMatchObject({ code: 2, err: expect.stringContaining('did you mean "Species"') });
    expect((await lathe(root, 'train', '--dataset', 'penguins', '--target', 'Species', '--learning-rate', '0', '-w', 'ws')).err).toContain('learningRate must be above 0');
    expect((await lathe(root, 'train', '--dataset', 'penguins', '--target', 'Species', '--hidden', '64,x', '-w', 'ws')).err).toContain('--hidden takes layer sizes');
    expect((await lathe(root, 'train', '--target', 'Species', '-w', 'ws')).code).toBe(2);
    expect(JSON.parse((await lathe(root, 'runs', 'list', '-w', 'ws', '--json')).out).runs).toEqual([]);
  });

  it('lathe doctor lists every backend and the one training uses', async () => {
    const root = await tempDir();
    const doctor = JSON.parse((await lathe(root, 'doctor', '--json')).out);
    expect(doctor.backends.map((b: { name: string }) => b.name)).toEqual(['node-gpu', 'node', 'wasm', 'cpu']);
    expect(doctor.backends.find((b: { name: string }) => b.name === doctor.selected)).toMatchObject({ available: true, selected: true });
  });
});
