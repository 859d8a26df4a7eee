import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startScript } from '../core/testing/child-process.ts';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { trackingFor } from '../core/tracking/open-tracking.ts';
import { Workspace } from '../core/workspace/workspace.ts';
import { runCli } from './cli-app.ts';
import { latheFiles } from './lathe-files.ts';

const tempDir = useTempDirs();
const files = latheFiles(new URL('./lathe.ts', import.meta.url));
const node = process.execPath;
const pythonExample = new URL('../../resources/examples/mlflow-urllib-train.py', import.meta.url).pathname;
const hasPython = spawnSync('python3', ['--version']).status === 0;

async function lathe(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  process.env.LATHE_CONFIG_DIR = join(cwd, '.state');
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), cwd, version: '9.9.9', files });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function newWorkspace() {
  const root = await tempDir();
  await (await Workspace.create(join(root, 'ws'))).close();
  return { root, ws: join(root, 'ws') };
}

/** The run as the UI reads it, from the workspace's tracking store. */
async function runIn(ws: string, runId: string, keys: readonly string[]) {
  const workspace = await Workspace.open(ws);
  try {
    const tracking = trackingFor(workspace, null);
    return { run: tracking.getRun(runId), metrics: Object.fromEntries(keys.map((key) => [key, Array.from(tracking.metricSeries(runId, key).values)])) };
  } finally {
    await workspace.close();
  }
}

describe('lathe run', () => {
  it.skipIf(!hasPython)("tracks a Python script that logs with MLflow's REST protocol (standard library only): params, metrics per epoch, an artifact, its output", { timeout: 120_000 }, async () => {
    const { ws } = await newWorkspace();
    const result = await lathe(ws, 'run', '--experiment', 'urllib', '--json', '--', 'python3', pythonExample, '--epochs', '5', '--lr', '0.1', '--pure-python');
    expect(result.err).toMatch(/epoch 4: train_loss/);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out);
    expect(summary).toMatchObject({ status: 'FINISHED', exitCode: 0, runName: 'mlflow-urllib-train.py' });

    const { run, metrics } = await runIn(ws, summary.runId, ['val_accuracy', 'train_loss']);
    expect(run).toMatchObject({ status: 'FINISHED', experimentName: 'urllib', params: { lr: '0.1', epochs: '5', model: 'logistic-regression' } });
    expect(metrics.val_accuracy).toHaveLength(5);
    expect(metrics.train_loss![4]).toBeLessThan(metrics.train_loss![0]!);
    expect(run.artifacts.map((artifact) => artifact.path).sort()).toEqual(['logs/output.txt', 'model/weights.json']);
    expect(run.systemTags['lathe.command']).toBe(`python3 ${pythonExample} --epochs 5 --lr 0.1 --pure-python`);
  });

  it("exits with the script's exit code, takes none of the script's flags as its own, and says how the run ended", { timeout: 60_000 }, async () => {
    const { ws } = await newWorkspace();
    await writeFile(join(ws, 'fail.mjs'), "console.log('args', process.argv.slice(2).join(' ')); process.exit(3);");
    const failed = await lathe(ws, 'run', '--name', 'failing', '--', node, 'fail.mjs', '--json', '--help', '-w', 'x');
    expect(failed.code).toBe(3);
    expect(failed.out).toContain('args --json --help -w x');
    expect(failed.out).toMatch(/Run [0-9a-f]{32} \(failing\) FAILED: .*fail\.mjs --json --help -w x exited with code 3 after/);
    expect(failed.err).toMatch(/^Run [0-9a-f]{32} \(failing\) started: /);
  });

  it('goes on echoing past the log\'s cap, to the last line, while the log keeps its head and tail', { timeout: 120_000 }, async () => {
    const { ws } = await newWorkspace();
    // 12 MB of output, past the 9 MB the log keeps from its start.
    const flood = "const line = 'z'.repeat(1023) + '\\n'; for (let i = 0; i < 12288; i++) process.stdout.write(line); console.log('THE END');";
    const result = await lathe(ws, 'run', '--json', '--', node, '-e', flood);
    expect(result.code).toBe(0);
    expect(result.err.trimEnd().endsWith('THE END')).toBe(true);
    const summary = JSON.parse(result.out);
    expect(summary.droppedBytes).toBeGreaterThan(2_000_000);
    expect(summary.logBytes).toBeLessThan(10 * 1024 * 1024 + 1000);
  });

  it('a program that does not exist: a clear error, exit code 1, and no run', { timeout: 60_000 }, async () => {
    const { ws } = await newWorkspace();
    const missing = await lathe(ws, 'run', '--', 'no-such-program-here', '--lr', '1');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('The program "no-such-program-here" was not found on PATH; nothing was run and no run was recorded.');
    expect((await lathe(ws, 'runs', 'list', '--json')).out).toContain('"total": 0');
    expect((await lathe(ws, 'run')).code).toBe(2);
  });

  it('Ctrl-C stops the script and what it started; the run is KILLED and lathe exits 130', { timeout: 60_000 }, async () => {
    const { ws } = await newWorkspace();
    const lathe = startScript(new URL('./lathe.ts', import.meta.url), ['run', '-w', ws, '--', node, '-e', "console.log('ready'); setInterval(() => {}, 1000)"]);
    await lathe.line((line) => line === 'ready');
    lathe.child.kill('SIGINT');
    expect(await lathe.exited).toBe(130);
    const runs = await (async () => {
      const workspace = await Workspace.open(ws);
      try {
        return trackingFor(workspace, null).searchRuns().runs;
      } finally {
        await workspace.close();
      }
    })();
    expect(runs.map((run) => run.status)).toEqual(['KILLED']);
  });

  it('a second Ctrl-C kills a script that ignores the first at once', { timeout: 60_000 }, async () => {
    const { ws } = await newWorkspace();
    const stubborn = "process.on('SIGTERM', () => console.log('not stopping')); console.log('ready'); setInterval(() => {}, 1000)";
    const lathe = startScript(new URL('./lathe.ts', import.meta.url), ['run', '-w', ws, '--', node, '-e', stubborn]);
    await lathe.line((line) => line === 'ready');
    lathe.child.kill('SIGINT');
    await lathe.line((line) => line === 'not stopping');
    lathe.child.kill('SIGINT');
    expect(await lathe.exited).toBe(130);
    const workspace = await Workspace.open(ws);
    try {
      const [run] = trackingFor(workspace, null).searchRuns().runs;
      expect(trackingFor(workspace, null).getRun(run!.id).systemTags['lathe.killed']).toMatch(/killed \(SIGKILL\) at once, as asked\.$/);
    } finally {
      await workspace.close();
    }
  });
});
