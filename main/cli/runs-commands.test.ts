import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { trackingFor } from '../core/tracking/open-tracking.ts';
import { Workspace } from '../core/workspace/workspace.ts';
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

/** A workspace holding three finished runs, logged straight into its tracking store. */
async function workspaceWithRuns() {
  const root = await tempDir();
  const workspace = await Workspace.create(join(root, 'ws'));
  const tracking = trackingFor(workspace, null);
  const ids: string[] = [];
  for (const [name, model, accuracy] of [['mlp-a', 'mlp', 0.93], ['mlp-b', 'mlp', 0.81], ['linear', 'linear', 0.88]] as const) {
    const run = tracking.createRun({ experiment: 'penguins', name, params: { model, lr: 0.01 }, datasets: [{ name: 'penguins', version: 1, contentHash: `sha256:${'a'.repeat(64)}` }] });
    tracking.logMetrics(run.id, [{ key: 'loss', value: 0.5, step: 1 }, { key: 'test_accuracy', value: accuracy, step: 0 }]);
    tracking.setStatus(run.id, 'FINISHED');
    ids.push(run.id);
  }
  await workspace.close();
  return { root, ids };
}

describe('lathe runs', () => {
  it('lists runs, filters them with MLflow syntax plus OR, and shows one', async () => {
    const { root, ids } = await workspaceWithRuns();
    const all = await lathe(root, 'runs', 'list', '-w', 'ws');
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/mlp-a\s+FINISHED/);
    expect(all.out).toContain('test_accuracy');

    const filtered = JSON.parse((await lathe(root, 'runs', 'list', '-w', 'ws', '--json', '--filter', "metrics.test_accuracy > 0.9 OR params.model = 'linear'")).out);
    expect(filtered.runs.map((run: { name: string }) => run.name).sort()).toEqual(['linear', 'mlp-a']);

    const shown = await lathe(root, 'runs', 'show', ids[0]!.slice(0, 12), '-w', 'ws');
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('mlp-a  FINISHED  (experiment penguins)');
    expect(shown.out).toMatch(/lr\s+0\.01/);
    expect(JSON.parse((await lathe(root, 'runs', 'show', ids[1]!, '-w', 'ws', '--json')).out)).toMatchObject({ id: ids[1], params: { model: 'mlp' } });
  });

  it('says why two runs differ', async () => {
    const { root, ids } = await workspaceWithRuns();
    const compared = await lathe(root, 'runs', 'compare', ids[0]!, ids[2]!.slice(0, 12), '-w', 'ws');
    expect(compared.code).toBe(0);
    expect(compared.out).toContain('linear differs from mlp-a in:\n  - param model: mlp → linear');
    expect(compared.out).toMatch(/test_accuracy\s+0\.93\s+0\.88/);
    expect((await lathe(root, 'runs', 'compare', ids[0]!, '-w', 'ws')).code).toBe(2);
  });

  it('points at the position of a filter that does not parse, and refuses a bad id (exit 2)', async () => {
    const { root } = await workspaceWithRuns();
    const bad = await lathe(root, 'runs', 'list', '-w', 'ws', '--filter', 'metrics.acc >> 0.9');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/position|character|\^/);
    expect((await lathe(root, 'runs', 'show', 'not-an-id', '-w', 'ws')).code).toBe(2);
    expect((await lathe(root, 'runs', 'list', '-w', 'ws', '--experiment', 'nope')).err).toContain('Experiments: Default, penguins.');
  });
});
