import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYamlWithPython as load, pythonYamlAvailable } from '../core/pipelines/testing/python-yaml.ts';
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

async function workspaceWithPipeline(steps: unknown[]) {
  const root = await tempDir();
  await lathe(root, 'init', 'ws');
  const ws = join(root, 'ws');
  await copyFile(new URL('../../resources/samples/penguins.csv', import.meta.url), join(ws, 'penguins.csv'));
  await writeFile(join(ws, 'lathe.pipeline.json'), JSON.stringify({ schemaVersion: 1, name: 'penguins', steps }, null, 2));
  return ws;
}

const importStep = { id: 'data', kind: 'import', file: 'penguins.csv', dataset: 'penguins' };
const trainStep = { id: 'train', kind: 'train', from: 'data', target: 'Species', params: { model: 'linear', epochs: 2 } };

describe('lathe pipeline', () => {
  it('run: progress and logs on stderr, the run on stdout (--json), exit 0 when it passed; runs lists it', { timeout: 120_000 }, async () => {
    const ws = await workspaceWithPipeline([importStep, trainStep]);
    const ran = await lathe(ws, 'pipeline', 'run', '--json');
    expect(ran.code).toBe(0);
    const run = JSON.parse(ran.out);
    expect(run).toMatchObject({ status: 'passed', steps: [{ id: 'data', status: 'passed' }, { id: 'train', status: 'passed' }] });
    expect(ran.err).toMatch(/^\[1\/2\] data \(import\) running$/m);
    expect(ran.err).toMatch(/^\[2\/2\] train \(train\) passed \(\d+\.\ds\): run [0-9a-f]{12} · test_accuracy /m);
    expect(ran.err).toMatch(/^ {4}train \| epoch 2 of 2/m);

    const listed = await lathe(ws, 'pipeline', 'runs');
    expect(listed.out).toMatch(new RegExp(`^${run.id}  passed .*data penguins@1, run ${run.steps[1].outputs.runId.slice(0, 12)}$`, 'm'));
    const detail = await lathe(ws, 'pipeline', 'runs', run.id);
    expect(detail.out).toMatch(/── train \(train, passed\)\n {2}Training linear on penguins@1 to predict Species/);
  });

  it('run: exit 1 and the failing step named when a step fails', { timeout: 120_000 }, async () => {
    const ws = await workspaceWithPipeline([importStep, { ...trainStep, target: 'Wingspan' }]);
    const ran = await lathe(ws, 'pipeline', 'run');
    expect(ran.code).toBe(1);
    expect(ran.out).toMatch(/^Pipeline "penguins" FAILED at step train in /);
    expect(ran.out).toMatch(/^failed: .*Wingspan/m);
  });

  it('validate: each problem at its line and column, exit 1 on errors', async () => {
    const ws = await workspaceWithPipeline([importStep, { ...trainStep, from: 'nothing' }, { id: 'ship', kind: 'deploy' }]);
    const checked = await lathe(ws, 'pipeline', 'validate');
    expect(checked.code).toBe(1);
    expect(checked.out).toContain('lathe.pipeline.json:14:7: error: There is no step "nothing"; steps are "data", "train", "ship". (steps.1.from)');
    expect(checked.out).toMatch(/^lathe\.pipeline\.json:\d+:\d+: warning: Deploy steps are not built yet/m);
    expect(checked.out).toMatch(/\n1 error: the pipeline will not run until it is fixed\.$/);
    const json = JSON.parse((await lathe(ws, 'pipeline', 'validate', '--json')).out);
    expect(json).toMatchObject({ valid: false, uncommitted: true });
    expect(json.problems).toHaveLength(2);
  });

  it('export --github: writes a workflow that parses, keeps a hand-edited one unless --force', async () => {
    const ws = await workspaceWithPipeline([importStep, trainStep]);
    // Lathe is not on the npm registry under its name (another project is): CI installs it from the workspace's package.json.
    const path = join(ws, '.github/workflows/lathe.yml');
    const refused = await lathe(ws, 'pipeline', 'export', '--github');
    expect(refused).toMatchObject({ code: 1, err: expect.stringContaining('This workspace has no package.json that installs Lathe') });
    expect(refused.err).toContain('npm install --save-dev');
    expect(await readFile(path, 'utf8').catch(() => null)).toBeNull();
    await writeFile(join(ws, 'package.json'), JSON.stringify({ name: 'ws', private: true, devDependencies: { 'left-pad': '1.3.0' } }));
    expect((await lathe(ws, 'pipeline', 'export', '--github')).err).toContain('package.json does not list Lathe');
    await writeFile(join(ws, 'package.json'), JSON.stringify({ name: 'ws', private: true, devDependencies: { lathe: 'github:example/lathe#v0.1.0' } }));

    const exported = await lathe(ws, 'pipeline', 'export', '--github');
    expect(exported).toMatchObject({ code: 0, out: 'Wrote .github/workflows/lathe.yml: commit and push it, and every push to main runs the pipeline.' });
    const text = await readFile(path, 'utf8');
    expect(text).toContain('run: "./node_modules/.bin/lathe pipeline run --json --reports lathe-reports > lathe-reports-run.json"');
    if (pythonYamlAvailable) expect((load(text) as { jobs: { pipeline: { steps: unknown[] } } }).jobs.pipeline.steps).toHaveLength(10); // with data pull before the pipeline, data push and git push after

    await writeFile(path, '# mine\n');
    expect(await lathe(ws, 'pipeline', 'export', '--github')).toMatchObject({ code: 1, err: expect.stringContaining('already exists and differs') });
    expect(await readFile(path, 'utf8')).toBe('# mine\n');
    expect((await lathe(ws, 'pipeline', 'export', '--github', '--force', '--out', 'ci/lathe.yml')).code).toBe(0);
    expect((await lathe(ws, 'pipeline', 'export', '--github', '--out', '../elsewhere.yml')).code).toBe(2);
    expect((await lathe(ws, 'pipeline', 'export')).err).toContain('--github');
  });
});
