import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../core/testing/temp-dir.ts';
import { runCli } from '../cli-app.ts';
import { latheFiles } from '../lathe-files.ts';

const tempDir = useTempDirs();
const files = latheFiles(new URL('../lathe.ts', import.meta.url));

async function lathe(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  process.env.LATHE_CONFIG_DIR = join(cwd, '.state');
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), cwd, version: '9.9.9', files });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function penguinsWorkspace() {
  const root = await tempDir();
  await lathe(root, 'init', 'ws');
  const ws = join(root, 'ws');
  expect((await lathe(ws, 'data', 'import', new URL('../../../resources/samples/penguins.csv', import.meta.url).pathname, '--name', 'penguins')).code).toBe(0);
  return ws;
}

const spec = {
  name: 'lr search',
  train: { kind: 'builtin', dataset: 'penguins', target: 'Species', fixed: { epochs: 2, hidden: [8] } },
  method: 'grid',
  metric: { name: 'val_accuracy', goal: 'maximize' },
  parameters: { learningRate: { values: [0.01, 0.001] } },
  parallel: 2,
};

describe('lathe sweep', () => {
  it('create runs the sweep to its end: trials on stderr, the sweep on stdout; status and list read it back', { timeout: 120_000 }, async () => {
    const ws = await penguinsWorkspace();
    await writeFile(join(ws, 'sweep.json'), JSON.stringify(spec));
    const created = await lathe(ws, 'sweep', 'create', 'sweep.json', '--wait', '--json');
    expect(created.code).toBe(0);
    const sweep = JSON.parse(created.out);
    expect(sweep).toMatchObject({ name: 'lr search', status: 'finished', planned: 2, counts: { finished: 2 } });
    expect(created.err).toMatch(/^\[1\/2\] started learningRate=0\.01 {2}\(run [0-9a-f]{32}\)$/m);
    expect(created.err).toMatch(/^\[2\/2\] FINISHED · val_accuracy [\d.]+ at step 2 {2}learningRate=0\.001$/m);

    const status = await lathe(ws, 'sweep', 'status', sweep.id);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(new RegExp(`^Sweep "lr search" FINISHED · 2 of 2 trials ended .*\\(${sweep.id}\\)$`, 'm'));
    expect(status.out).toMatch(new RegExp(`^best: trial #${sweep.best.number}, run ${sweep.best.runId}: val_accuracy `, 'm'));
    expect(status.out).toMatch(/^2 +FINISHED +[\d.]+ +2 +0\.001 +[0-9a-f]{32}$/m);

    const listed = await lathe(ws, 'sweep', 'list', '--json');
    expect(JSON.parse(listed.out).map((s: { id: string }) => s.id)).toEqual([sweep.id]);
    expect((await lathe(ws, 'sweep', 'list')).out).toMatch(new RegExp(`^${sweep.id} +lr search +finished +2/2 +0 +val_accuracy \\(max\\)`, 'm'));
  });

  it('refuses a bad spec file (exit 2) with the path of each problem, and starts nothing', { timeout: 60_000 }, async () => {
    const ws = await penguinsWorkspace();
    const write = (text: string) => writeFile(join(ws, 'bad.json'), text);

    await write(JSON.stringify({ ...spec, parameters: { learningRate: { min: 0.1, max: 0.01 } }, runCap: 0 }));
    let refused = await lathe(ws, 'sweep', 'create', 'bad.json');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/bad\.json is not a valid sweep spec: /);
    expect(refused.err).toMatch(/runCap: runCap is at least 1/);
    expect(refused.err).toMatch(/parameters\.learningRate\.min: min \(0\.1\) is above max \(0\.01\)/);
    expect(refused.err).toMatch(/parameters\.learningRate: a grid needs values to enumerate/);

    await write('{\n  "method": "grid",\n  "metric" {}\n}');
    refused = await lathe(ws, 'sweep', 'create', 'bad.json', '--json');
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.out)).toMatchObject({ error: { code: 'INVALID_INPUT', location: { line: 3, column: 12 } } });

    await write(JSON.stringify({ ...spec, metric: { name: 'test_rmse', goal: 'minimize' } }));
    refused = await lathe(ws, 'sweep', 'create', 'bad.json', '--json');
    expect(JSON.parse(refused.out).error).toMatchObject({ code: 'INVALID_INPUT', location: { file: join(ws, 'bad.json'), field: 'metric.name' } });

    await write('');
    expect((await lathe(ws, 'sweep', 'create', 'bad.json')).err).toMatch(/the spec is empty/);
    expect((await lathe(ws, 'sweep', 'create', 'missing.json')).err).toMatch(/There is no sweep spec at .*missing\.json/);
    expect((await lathe(ws, 'sweep', 'status', 'nope')).err).toMatch(/a sweep id looks like sweep-/);
    expect((await lathe(ws, 'sweep', 'list')).out).toMatch(/^No sweeps yet/);
  });
});
