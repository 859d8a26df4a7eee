import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRemoteRun, type RemoteRunContext } from '../core/script-runs/remote-script-run.ts';
import { defaultScriptRunLimits } from '../core/script-runs/script-run.ts';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { startMlflowServer, type MlflowTestServer } from '../server/mlflow/mlflow-test-server.ts';
import { runCli } from './cli-app.ts';
import { latheFiles } from './lathe-files.ts';

const tempDir = useTempDirs();
const files = latheFiles(new URL('./lathe.ts', import.meta.url));
const node = process.execPath;
const pythonExample = new URL('../../resources/examples/mlflow-urllib-train.py', import.meta.url).pathname;
const hasPython = spawnSync('python3', ['--version']).status === 0;

/** A training script that logs over MLflow's REST API with fetch, as MLflow's client would. */
const LOGGING_SCRIPT = `
const uri = process.env.MLFLOW_TRACKING_URI, run_id = process.env.MLFLOW_RUN_ID;
const headers = { authorization: 'Bearer ' + process.env.MLFLOW_TRACKING_TOKEN, 'content-type': 'application/json' };
(async () => {
  for (const [step, value] of [[0, 0.9], [1, 0.5]]) {
    const r = await fetch(uri + '/api/2.0/mlflow/runs/log-metric', { method: 'POST', headers, body: JSON.stringify({ run_id, key: 'loss', value, timestamp: Date.now(), step }) });
    if (!r.ok) throw new Error('log-metric ' + r.status);
  }
  console.log('trained on', process.env.MLFLOW_EXPERIMENT_ID);
  process.exit(Number(process.argv[1] ?? 0));
})();`;

let server: MlflowTestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  delete process.env.LATHE_SERVER_TOKEN;
  delete process.env.LATHE_RUN_RETRY_DELAY_MS;
});

async function lathe(cwd: string, argv: string[], onOut: (text: string) => void = () => undefined) {
  const out: string[] = [];
  const err: string[] = [];
  process.env.LATHE_CONFIG_DIR = join(cwd, '.state');
  const code = await runCli(argv, { out: (t) => (out.push(t), onOut(t)), err: (t) => err.push(t), cwd, version: '9.9.9', files });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function runsOn(mlflow: MlflowTestServer) {
  const experiments = ((await mlflow.get('experiments/search')).json.experiments ?? []) as { experiment_id: string }[];
  return ((await mlflow.post('runs/search', { experiment_ids: experiments.map((e) => e.experiment_id) })).json.runs ?? []) as unknown[];
}

describe('lathe run --server', () => {
  it('makes the run on a lathe serve elsewhere: what the script logs, its log and its exit land there', { timeout: 60_000 }, async () => {
    server = await startMlflowServer();
    const cwd = await tempDir();
    await writeFile(join(cwd, 'token.txt'), `${server.token}\n`);
    const url = `http://127.0.0.1:${server.port}`;

    const ok = await lathe(cwd, ['run', '--server', url, '--token-file', 'token.txt', '--experiment', 'gpu-box', '--name', 'first', '--json', '--', node, '-e', LOGGING_SCRIPT]);
    expect(ok.err).not.toContain('warning');
    expect(ok.code).toBe(0);
    const summary = JSON.parse(ok.out) as { runId: string; status: string; reported: boolean; trackingUri: string };
    expect(summary).toMatchObject({ status: 'FINISHED', reported: true, trackingUri: url });

    const run = (await server.call('runs:get', { runId: summary.runId })) as { name: string; status: string; endTime: number | null; systemTags: Record<string, string> };
    expect(run).toMatchObject({ name: 'first', status: 'FINISHED', systemTags: expect.objectContaining({ 'lathe.source': 'script', 'lathe.exit_code': '0', 'lathe.cwd': cwd }) });
    expect(run.endTime).not.toBeNull();
    expect(run.systemTags['lathe.host']).toBeTruthy();
    expect(run.systemTags['lathe.command']).toContain(node);
    const mlflowLoss = await server.get('metrics/get-history', { run_id: summary.runId, metric_key: 'loss' });
    expect((mlflowLoss.json.metrics as { value: number }[]).map((m) => m.value)).toEqual([0.9, 0.5]);
    const log = await server.send({ path: `/api/2.0/mlflow-artifacts/artifacts/${(run as unknown as { experimentId: string }).experimentId}/${summary.runId}/artifacts/logs/output.txt` });
    expect(log.status).toBe(200);
    expect(log.text).toMatch(/^trained on \d+/);

    // The script's exit code passes through; the run is FAILED. The token from the environment works too.
    process.env.LATHE_SERVER_TOKEN = server.token;
    const failed = await lathe(cwd, ['run', '--server', url, '--', node, '-e', LOGGING_SCRIPT, '3']);
    expect(failed.code).toBe(3);
    const runs = await runsOn(server);
    expect(runs).toHaveLength(2);
    const failedRun = (await server.call('runs:get', { runId: failed.out.match(/Run ([0-9a-f]+)/)![1] })) as { status: string; systemTags: Record<string, string> };
    expect(failedRun).toMatchObject({ status: 'FAILED', systemTags: expect.objectContaining({ 'lathe.exit_code': '3' }) });
  });

  it.skipIf(!hasPython)('tracks a plain Python training script (MLflow REST, standard library only) on the server', { timeout: 120_000 }, async () => {
    server = await startMlflowServer();
    const cwd = await tempDir();
    process.env.LATHE_SERVER_TOKEN = server.token;
    const result = await lathe(cwd, ['run', '--server', `http://127.0.0.1:${server.port}`, '--experiment', 'gpu-box', '--json', '--', 'python3', pythonExample, '--epochs', '5', '--lr', '0.1', '--pure-python']);
    expect(result.err).toMatch(/epoch 4: train_loss/);
    expect(result.code).toBe(0);
    const { runId } = JSON.parse(result.out) as { runId: string };
    const run = (await server.call('runs:get', { runId })) as { status: string; experimentName: string; params: Record<string, string>; artifacts: { path: string }[] };
    expect(run).toMatchObject({ status: 'FINISHED', experimentName: 'gpu-box', params: { lr: '0.1', epochs: '5' } });
    expect(run.artifacts.map((artifact) => artifact.path).sort()).toEqual(['logs/output.txt', 'model/weights.json']);
    const accuracy = await server.get('metrics/get-history', { run_id: runId, metric_key: 'val_accuracy' });
    expect(accuracy.json.metrics).toHaveLength(5);
  });

  it('refuses a wrong token, an unreachable server and --workspace with a sentence, making no run', { timeout: 60_000 }, async () => {
    server = await startMlflowServer();
    const cwd = await tempDir();
    process.env.LATHE_SERVER_TOKEN = 'not-the-token';
    const url = `http://127.0.0.1:${server.port}`;
    const wrong = await lathe(cwd, ['run', '--server', url, '--', node, '-e', '1']);
    expect(wrong).toMatchObject({ code: 1, err: expect.stringContaining(`The Lathe server at ${url} refused the token (HTTP 401)`) });
    expect(await runsOn(server)).toHaveLength(0);

    const closed = `http://127.0.0.1:${server.port}`;
    await server.close();
    server = null;
    const unreachable = await lathe(cwd, ['run', '--server', closed, '--', node, '-e', '1']);
    expect(unreachable).toMatchObject({ code: 1, err: expect.stringContaining(`Could not reach the Lathe server at ${closed}`) });

    expect(await lathe(cwd, ['run', '--server', closed, '-w', cwd, '--', node, '-e', '1'])).toMatchObject({ code: 2, err: expect.stringContaining('--server and --workspace do not go together') });
    delete process.env.LATHE_SERVER_TOKEN;
    expect(await lathe(cwd, ['run', '--server', closed, '--', node, '-e', '1'])).toMatchObject({ code: 2, err: expect.stringContaining('--token-file FILE, or set LATHE_SERVER_TOKEN') });
    // A token in the URL is refused before anything is sent.
    expect(await lathe(cwd, ['run', '--server', 'http://user:secret@127.0.0.1:1', '--token-file', 'x', '--', node])).toMatchObject({ code: 2, err: expect.stringContaining('give the address alone, with no user, password') });
    expect(await lathe(cwd, ['run', '--server', 'ftp://127.0.0.1:1', '--token-file', 'x', '--', node])).toMatchObject({ code: 2, err: expect.stringContaining('only http:// and https://') });
  });

  it('keeps the script going when the server drops, keeps the log here and exits with its code and a warning', { timeout: 60_000 }, async () => {
    server = await startMlflowServer();
    const cwd = await tempDir();
    process.env.LATHE_SERVER_TOKEN = server.token;
    process.env.LATHE_RUN_RETRY_DELAY_MS = '0';
    // The script waits until the server is gone (its own requests fail), then ends with 4.
    const script = `console.log('DROP-NOW'); (async () => { for (;;) { try { await fetch(process.env.MLFLOW_TRACKING_URI); } catch { break; } } console.log('still running'); process.exit(4); })();`;
    let dropping: Promise<void> | null = null;
    const dropped = await lathe(cwd, ['run', '--server', `http://127.0.0.1:${server.port}`, '--', node, '-e', script], (text) => {
      if (text.includes('DROP-NOW') && server) {
        const closing = server;
        server = null;
        dropping = closing.close();
      }
    });
    await dropping;
    expect(dropped.code).toBe(4);
    expect(dropped.err).toMatch(/lathe: warning: Run [0-9a-f]+ on http:\/\/127\.0\.0\.1:\d+ could not be given its end \(FAILED\): Could not reach the Lathe server/);
    const kept = dropped.err.match(/Its log is kept here at (\S+\.log)\./)![1]!;
    expect(await readFile(kept, 'utf8')).toBe('DROP-NOW\nstill running\n');
  });
});

describe('remote script runs (core)', () => {
  const recordedGpus = async () => '0, NVIDIA H200, 87, 40960, 143771\n1, NVIDIA H200, [N/A], 0, 143771\n';

  function remoteContext(output: (text: string) => void, limits: Partial<RemoteRunContext['limits']> = {}): RemoteRunContext {
    return { limits: { ...defaultScriptRunLimits, graceMs: 300, gpuIntervalMs: 60_000, ...limits }, queryGpus: recordedGpus, env: process.env, output, retryDelayMs: 0 };
  }

  it('sends GPU samples with log-batch, caps the log it uploads, and a cancel ends the run KILLED', { timeout: 60_000 }, async () => {
    server = await startMlflowServer();
    const cwd = await tempDir();
    let cancel = () => undefined as void;
    const active = await startRemoteRun(
      remoteContext((text) => text.includes('ready') && cancel(), { headBytes: 1024, tailBytes: 64 }),
      { server: `http://127.0.0.1:${server.port}`, token: server.token, cwd, command: [node, '-e', "console.log('x'.repeat(5000)); console.log('ready'); setInterval(() => undefined, 1000);"] },
    );
    cancel = () => active.cancel();
    const end = await active.ended;
    expect(end).toMatchObject({ status: 'KILLED', reported: true, signal: 'SIGTERM' });
    expect(end.droppedBytes).toBeGreaterThan(3000);

    const run = (await server.call('runs:get', { runId: end.runId })) as { status: string; experimentId: string; systemTags: Record<string, string> };
    expect(run).toMatchObject({ status: 'KILLED', systemTags: expect.objectContaining({ 'lathe.gpus': '0: NVIDIA H200 (143771 MiB); 1: NVIDIA H200 (143771 MiB)', 'lathe.signal': 'SIGTERM' }) });
    expect(run.systemTags['lathe.killed']).toMatch(/^Cancelled after/);
    const utilisation = await server.get('metrics/get-history', { run_id: end.runId, metric_key: 'system/gpu_0_utilization_percentage' });
    expect((utilisation.json.metrics as { value: number; step: number }[]).map(({ value, step }) => ({ value, step }))).toEqual([{ value: 87, step: 0 }]);
    const log = await server.send({ path: `/api/2.0/mlflow-artifacts/artifacts/${run.experimentId}/${end.runId}/artifacts/logs/output.txt` });
    expect(log.text.length).toBeLessThan(1024 + 64 + 200);
    expect(log.text).toContain('bytes of output dropped here');
    expect(log.text.endsWith('ready\n')).toBe(true);
  });

  it('refuses a server that is not Lathe, naming it, before starting anything', async () => {
    const other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>a router</html>'));
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
    try {
      const port = (other.address() as { port: number }).port;
      const cwd = await tempDir();
      await expect(startRemoteRun(remoteContext(() => undefined), { server: `http://127.0.0.1:${port}`, token: 't', cwd, command: [node, '-e', '1'] })).rejects.toMatchObject({
        error: { code: 'FAILED_PRECONDITION', message: expect.stringContaining(`http://127.0.0.1:${port} does not look like a Lathe server with MLflow's tracking API`) },
      });
    } finally {
      await new Promise((done) => other.close(done));
    }
  });

  it('names a program that is not there before any run is made', async () => {
    server = await startMlflowServer();
    const cwd = await tempDir();
    await expect(startRemoteRun(remoteContext(() => undefined), { server: `http://127.0.0.1:${server.port}`, token: server.token, cwd, command: ['no-such-program-here'] })).rejects.toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(await runsOn(server)).toHaveLength(0);
  });
});
