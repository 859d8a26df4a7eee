import { readFileSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refusal } from '../testing/refusal.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { scriptRunFixture, type ScriptRunFixture } from './script-run-fixture.ts';

const tempDir = useTempDirs();
const node = process.execPath;

/** A Node script that logs over MLflow's REST protocol with nothing but fetch, as a user's script would with MLflow's client. */
const MLFLOW_LOGGER = `
const { MLFLOW_TRACKING_URI: uri, MLFLOW_TRACKING_TOKEN: token, MLFLOW_RUN_ID: run_id } = process.env;
const post = async (path, body) => {
  const response = await fetch(uri + '/api/2.0/mlflow/' + path, { method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' }, body: JSON.stringify({ run_id, ...body }) });
  if (!response.ok) throw new Error(path + ': ' + response.status + ' ' + (await response.text()));
};
await post('runs/log-parameter', { key: 'lr', value: process.argv[2] });
for (let step = 0; step < 3; step++) {
  await post('runs/log-metric', { key: 'loss', value: 1 / (step + 1), timestamp: Date.now(), step });
  console.log('step ' + step);
}
console.error('experiment ' + process.env.MLFLOW_EXPERIMENT_ID);
`;

/** The run of a script, read back through the calls the UI makes. */
async function runOf(fixture: ScriptRunFixture, runId: string) {
  return fixture.call('runs:get', { workspace: fixture.workspace, runId });
}

async function withFixture<T>(work: (fixture: ScriptRunFixture) => Promise<T>, options: Parameters<typeof scriptRunFixture>[1] = {}): Promise<T> {
  const fixture = await scriptRunFixture(await tempDir(), options);
  try {
    return await work(fixture);
  } finally {
    await fixture.close();
  }
}

function isGone(pid: number): boolean {
  try {
    // A zombie (killed, not yet reaped by a PID 1 that does not reap) is gone for our purpose.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

describe('a script run', () => {
  it('logs params and metrics over MLflow into its own run, keeps its output as the log, and ends FINISHED', { timeout: 60_000 }, () =>
    withFixture(async (fixture) => {
      await fixture.file('train.mjs', MLFLOW_LOGGER);
      const started = await fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, 'train.mjs', '0.01'], experiment: 'scripts', name: 'first' });
      expect(started.trackingUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const end = await fixture.call('scripts:wait', { workspace: fixture.workspace, runId: started.runId });
      expect(end).toMatchObject({ status: 'FINISHED', exitCode: 0, signal: null, droppedBytes: 0, message: null });

      const run = await runOf(fixture, started.runId);
      expect(run).toMatchObject({ name: 'first', status: 'FINISHED', params: { lr: '0.01' } });
      expect(run.metrics.loss).toMatchObject({ value: 1 / 3, step: 2 });
      const history = await fixture.call('runs:metric-history', { workspace: fixture.workspace, runId: started.runId, key: 'loss' });
      expect(history.values).toEqual([1, 0.5, 1 / 3]);
      expect(run.systemTags).toMatchObject({
        'lathe.source': 'script',
        'lathe.command': `${node} train.mjs 0.01`,
        'lathe.cwd': fixture.workspace,
        'lathe.exit_code': '0',
        'lathe.gpus': expect.stringContaining('no GPU seen'),
      });
      expect(Number(run.systemTags['lathe.duration_ms'])).toBeGreaterThanOrEqual(0);

      const log = await fixture.call('scripts:log', { workspace: fixture.workspace, runId: started.runId });
      expect(log.text.split('\n').sort()).toEqual(['', `experiment ${started.experimentId}`, 'step 0', 'step 1', 'step 2'].sort());
      expect(log).toMatchObject({ from: 0, next: log.total, complete: true });
      const artifact = await fixture.call('runs:read-artifact', { workspace: fixture.workspace, runId: started.runId, path: 'logs/output.txt' });
      expect(artifact.text).toBe(log.text);
    }));

  it('takes its status from the exit: 0 FINISHED, any other code FAILED with the code said', { timeout: 60_000 }, () =>
    withFixture(async (fixture) => {
      const statuses = [];
      for (const code of [0, 1, 3]) {
        const { runId } = await fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, '-e', `process.exit(${code})`] });
        const end = await fixture.call('scripts:wait', { workspace: fixture.workspace, runId });
        const run = await runOf(fixture, runId);
        statuses.push([code, end.status, run.status, run.systemTags['lathe.exit_code']]);
        if (code !== 0) expect(run.systemTags['lathe.failure']).toMatch(new RegExp(`exited with code ${code} after`));
      }
      expect(statuses).toEqual([
        [0, 'FINISHED', 'FINISHED', '0'],
        [1, 'FAILED', 'FAILED', '1'],
        [3, 'FAILED', 'FAILED', '3'],
      ]);
    }));

  it('a script killed from outside (not by Lathe) is FAILED, naming the signal', { timeout: 60_000 }, () =>
    withFixture(async (fixture) => {
      const { runId } = await fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, '-e', "process.kill(process.pid, 'SIGKILL')"] });
      expect(await fixture.call('scripts:wait', { workspace: fixture.workspace, runId })).toMatchObject({ status: 'FAILED', exitCode: null, signal: 'SIGKILL' });
      expect((await runOf(fixture, runId)).systemTags['lathe.failure']).toMatch(/ended by SIGKILL .*not by Lathe/);
    }));

  it('cancel stops the whole process tree: a grandchild that ignores SIGTERM is gone too, and the run is KILLED', { timeout: 60_000 }, () =>
    withFixture(async (fixture) => {
      await fixture.file(
        'spawner.mjs',
        `import { spawn } from 'node:child_process';
const grandchild = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('grandchild up')"], { stdio: ['ignore', 'inherit', 'inherit'] });
console.log('grandchild ' + grandchild.pid);
setInterval(() => {}, 1000);`,
      );
      const { runId, pid } = await fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, 'spawner.mjs'] });
      const log = await fixture.output(runId, (text) => /grandchild \d+/.test(text) && text.includes('grandchild up'));
      const grandchild = Number(/grandchild (\d+)/.exec(log)![1]);
      expect(isGone(grandchild)).toBe(false);

      expect(await fixture.call('scripts:cancel', { workspace: fixture.workspace, runId })).toEqual({ runId, cancelling: true });
      const end = await fixture.call('scripts:wait', { workspace: fixture.workspace, runId });
      expect(end).toMatchObject({ status: 'KILLED', signal: 'SIGTERM' });
      expect(end.message).toMatch(/^Cancelled after .* was stopped by SIGTERM\.$/);
      expect(isGone(pid)).toBe(true);
      expect(isGone(grandchild)).toBe(true);
      expect((await runOf(fixture, runId)).status).toBe('KILLED');
    }));

  it('a script that never exits and ignores SIGTERM is killed after the grace period', { timeout: 60_000 }, () =>
    withFixture(async (fixture) => {
      const { runId, pid } = await fixture.call('scripts:start', {
        workspace: fixture.workspace,
        command: [node, '-e', "process.on('SIGTERM', () => console.log('not stopping')); console.log('ready'); setInterval(() => {}, 1000)"],
      });
      await fixture.output(runId, (text) => text.includes('ready'));
      await fixture.call('scripts:cancel', { workspace: fixture.workspace, runId });
      const end = await fixture.call('scripts:wait', { workspace: fixture.workspace, runId });
      expect(end).toMatchObject({ status: 'KILLED', signal: 'SIGKILL' });
      expect(end.message).toMatch(/killed \(SIGKILL\) when it had not stopped 0\.3 s after SIGTERM/);
      expect(isGone(pid)).toBe(true);
      const log = await fixture.call('scripts:log', { workspace: fixture.workspace, runId });
      expect(log.text).toBe('ready\nnot stopping\n');
    }));

  it('cancelled again "now" (a second Ctrl-C), a script that ignores SIGTERM is killed at once', { timeout: 60_000 }, () =>
    withFixture(
      async (fixture) => {
        const { runId, pid } = await fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, '-e', "process.on('SIGTERM', () => console.log('not stopping')); console.log('ready'); setInterval(() => {}, 1000)"] });
        await fixture.output(runId, (text) => text.includes('ready'));
        await fixture.call('scripts:cancel', { workspace: fixture.workspace, runId });
        await fixture.output(runId, (text) => text.includes('not stopping'));
        await fixture.call('scripts:cancel', { workspace: fixture.workspace, runId, now: true });
        const end = await fixture.call('scripts:wait', { workspace: fixture.workspace, runId });
        expect(end).toMatchObject({ status: 'KILLED', signal: 'SIGKILL' });
        expect(end.message).toMatch(/killed \(SIGKILL\) at once, as asked\.$/);
        expect(isGone(pid)).toBe(true);
      },
      // A grace period the test would notice: the kill must not wait for it.
      { limits: { graceMs: 600_000 } },
    ));

  it('a flood of output is capped: the log keeps its head and tail, says what it dropped, and the run still ends', { timeout: 60_000 }, () =>
    withFixture(
      async (fixture) => {
        // 8 MB of numbered lines, then one last line.
        const flood = `const line = 'x'.repeat(1000) + '\\n'; for (let i = 0; i < 8192; i++) process.stdout.write(i + ' ' + line); console.log('THE END');`;
        const { runId } = await fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, '-e', flood] });
        const end = await fixture.call('scripts:wait', { workspace: fixture.workspace, runId });
        expect(end.status).toBe('FINISHED');
        expect(end.logBytes).toBeLessThan(64 * 1024 + 16 * 1024 + 200);
        expect(end.droppedBytes).toBeGreaterThan(8_000_000);
        const log = await fixture.call('scripts:log', { workspace: fixture.workspace, runId });
        expect(log.total).toBe(end.logBytes);
        expect(log.text.startsWith('0 xxx')).toBe(true);
        expect(log.text).toContain(`… ${end.droppedBytes.toLocaleString('en')} bytes of output dropped here: the log keeps its first 64 KB and its last 16 KB …`);
        expect(log.text.endsWith('THE END\n')).toBe(true);
        expect((await runOf(fixture, runId)).systemTags['lathe.log.dropped']).toBe(String(end.droppedBytes));
        // The last 1000 bytes, from the end, start on a whole character.
        const tail = await fixture.call('scripts:log', { workspace: fixture.workspace, runId, from: -1000 });
        expect(tail).toMatchObject({ from: log.total - 1000, next: log.total, complete: true });
        expect(log.text.endsWith(tail.text)).toBe(true);
      },
      { limits: { headBytes: 64 * 1024, tailBytes: 16 * 1024 } },
    ));

  it('CRLF, a redrawn line, colours, control characters and bytes that are not UTF-8 become plain log text', { timeout: 60_000 }, () =>
    withFixture(async (fixture) => {
      const bytes = "process.stdout.write(Buffer.from([...Buffer.from('a\\r\\nb 10%\\rb 100%\\n\\u001b[31mred\\u001b[0m\\u0000\\u0007 '), 0xff, 0xfe, 0x0a]))";
      const { runId } = await fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, '-e', bytes] });
      await fixture.call('scripts:wait', { workspace: fixture.workspace, runId });
      const log = await fixture.call('scripts:log', { workspace: fixture.workspace, runId });
      expect(log.text).toBe('a\nb 10%\nb 100%\nred \ufffd\ufffd\n');
    }));

  it('a program that does not exist is an error naming it, and no run is recorded', { timeout: 60_000 }, () =>
    withFixture(async (fixture) => {
      const missing = await refusal(fixture.call('scripts:start', { workspace: fixture.workspace, command: ['pyhton3-not-here', 'train.py'] }));
      expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'The program "pyhton3-not-here" was not found on PATH; nothing was run and no run was recorded.' });
      const path = await refusal(fixture.call('scripts:start', { workspace: fixture.workspace, command: ['./train.sh'] }));
      expect(path.message).toMatch(/^There is no program "\.\/train\.sh" \(looked for .*train\.sh, from /);
      await fixture.file('not-executable.sh', 'echo hi\n');
      expect((await refusal(fixture.call('scripts:start', { workspace: fixture.workspace, command: ['./not-executable.sh'] }))).hint).toMatch(/not executable: chmod \+x it/);
      expect((await fixture.call('runs:search', { workspace: fixture.workspace })).total).toBe(0);
    }));

  it('a program found but that cannot start (its interpreter is missing) ends its run FAILED, saying why, and nothing runs', { timeout: 60_000 }, () =>
    withFixture(async (fixture) => {
      await fixture.file('bad-interpreter.sh', '#!/no/such/interpreter\necho never\n', true);
      const refused = await refusal(fixture.call('scripts:start', { workspace: fixture.workspace, command: ['./bad-interpreter.sh'] }));
      expect(refused.message).toMatch(/^Could not start \.\/bad-interpreter\.sh: the system could not run .*bad-interpreter\.sh \(ENOENT\): for a script, the interpreter its #! line names is not installed\. Run [0-9a-f]{32} is FAILED\.$/);
      const { runs } = await fixture.call('runs:search', { workspace: fixture.workspace });
      expect(runs.map((run) => run.status)).toEqual(['FAILED']);
      const run = await runOf(fixture, runs[0]!.id);
      expect(run.systemTags['lathe.failure']).toMatch(/^Could not start \.\/bad-interpreter\.sh: /);
      expect(run.artifacts).toEqual([]);
    }));

  it('refuses a folder outside the workspace, an empty command and a NUL in a word, before anything runs', { timeout: 60_000 }, () =>
    withFixture(async (fixture) => {
      const outside = await refusal(fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, '-e', '1'], cwd: '..' }));
      expect(outside).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'cwd' } });
      expect(outside.message).toMatch(/is outside the workspace/);
      expect((await refusal(fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, '-e', '1'], cwd: 'no-such-folder' }))).code).toBe('NOT_FOUND');
      expect((await refusal(fixture.call('scripts:start', { workspace: fixture.workspace, command: [] }))).message).toMatch(/name the command to run/);
      expect((await refusal(fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, 'a\u0000b'] }))).message).toMatch(/cannot hold a NUL/);
      expect((await refusal(fixture.call('scripts:start', { workspace: fixture.workspace, command: [node], cwd: 'a\u0000b' }))).message).toMatch(/cannot hold a NUL/);
      const huge = Array.from({ length: 100 }, () => 'x'.repeat(10_000));
      expect((await refusal(fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, ...huge] }))).message).toMatch(/a command is at most 262,144 characters in all/);
      expect((await fixture.call('runs:search', { workspace: fixture.workspace })).total).toBe(0);
    }));

  it('a log whose stored bytes were altered is refused as damaged, never shown', { timeout: 60_000 }, () =>
    withFixture(async (fixture) => {
      const { runId } = await fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, '-e', "console.log('the real output')"] });
      await fixture.call('scripts:wait', { workspace: fixture.workspace, runId });
      const log = (await runOf(fixture, runId)).artifacts.find((artifact) => artifact.path === 'logs/output.txt')!;
      const hex = log.contentHash.replace(/^sha256:/, '');
      const blob = join(fixture.workspace, '.lathe', 'objects', 'sha256', hex.slice(0, 2), hex.slice(2));
      await chmod(blob, 0o644);
      await writeFile(blob, 'the fake output\n'); // as long as the real one: only its hash tells
      const damaged = await refusal(fixture.call('scripts:log', { workspace: fixture.workspace, runId }));
      expect(damaged.code).toBe('DATA_DAMAGED');
    }));

  it("gives the script a token that opens MLflow's routes and nothing else, and stops working when the run ends", { timeout: 60_000 }, () =>
    withFixture(async (fixture) => {
      const probe = `
const { MLFLOW_TRACKING_URI: uri, MLFLOW_TRACKING_TOKEN: token } = process.env;
const status = async (path, auth, host) => (await fetch(uri + path, { method: 'POST', headers: { ...(auth ? { authorization: auth } : {}), 'content-type': 'application/json' }, body: '{}' })).status;
console.log(JSON.stringify({
  noToken: await status('/api/2.0/mlflow/runs/log-metric'),
  wrongToken: await status('/api/2.0/mlflow/runs/log-metric', 'Bearer ' + token.slice(1) + 'x'),
  latheApi: await status('/api/call/workspace:open', 'Bearer ' + token),
  mlflow: await status('/api/2.0/mlflow/nothing-here', 'Bearer ' + token),
}));
console.log(uri);`;
      const { runId } = await fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, '--input-type=module', '-e', probe] });
      await fixture.call('scripts:wait', { workspace: fixture.workspace, runId });
      const [answers, uri] = (await fixture.call('scripts:log', { workspace: fixture.workspace, runId })).text.trim().split('\n');
      expect(JSON.parse(answers!)).toEqual({ noToken: 401, wrongToken: 401, latheApi: 404, mlflow: 404 });
      await expect(fetch(`${uri}/api/2.0/mlflow/runs/log-metric`, { method: 'POST' })).rejects.toThrow();
    }));

  it('where the front door serves no MLflow API, the script gets no tracking URI and its log says so first', { timeout: 60_000 }, () =>
    withFixture(
      async (fixture) => {
        const probe = "console.log(JSON.stringify([process.env.MLFLOW_TRACKING_URI ?? null, process.env.MLFLOW_TRACKING_TOKEN ?? null, process.env.MLFLOW_RUN_ID]))";
        const started = await fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, '-e', probe] });
        expect(started.trackingUri).toBeNull();
        await fixture.call('scripts:wait', { workspace: fixture.workspace, runId: started.runId });
        const [said, seen] = (await fixture.call('scripts:log', { workspace: fixture.workspace, runId: started.runId })).text.split('\n');
        expect(said).toMatch(/^lathe: MLFLOW_TRACKING_URI is not set: this front door serves no MLflow API/);
        expect(JSON.parse(seen!)).toEqual([null, null, started.runId]);
      },
      { mlflow: false },
    ));

  it('samples the GPUs nvidia-smi lists into system metrics and names them in lathe.gpus', { timeout: 60_000 }, () =>
    withFixture(
      async (fixture) => {
        await fixture.file('wait.mjs', "process.stdin.resume(); console.log('sampled'); setInterval(() => {}, 1000);");
        const { runId } = await fixture.call('scripts:start', { workspace: fixture.workspace, command: [node, 'wait.mjs'] });
        await fixture.output(runId, (text) => text.includes('sampled'));
        await fixture.call('scripts:cancel', { workspace: fixture.workspace, runId });
        await fixture.call('scripts:wait', { workspace: fixture.workspace, runId });
        const run = await runOf(fixture, runId);
        expect(run.systemTags['lathe.gpus']).toBe('0: NVIDIA H200 (143771 MiB); 1: NVIDIA H200 (143771 MiB)');
        expect(run.metrics['system/gpu_0_utilization_percentage']?.value).toBe(87);
        expect(run.metrics['system/gpu_1_memory_usage_megabytes']?.value).toBe(0);
        expect(run.metrics['system/gpu_0_memory_usage_percentage']?.value).toBe(50);
      },
      { queryGpus: async () => '0, NVIDIA H200, 87, 71885, 143771\n1, NVIDIA H200, 0, 0, 143771\n' },
    ));
});
