// npm run bench:mlflow-api — metric points per second through MLflow's runs/log-batch on a real
// `lathe serve` (its own process, a fresh workspace), from 8 concurrent keep-alive clients in this
// process, each logging its own metric with steps 0, 1, 2, … for a fixed time; beside the same
// load on the core API in-process (MlflowTracking.logBatch, 8 interleaved loops, a workspace of
// its own), measured in the same run. Prints points/s, p50/p99 per batch, the ratio REST/core,
// answers that were not 200 (5xx apart), and checks that each store holds exactly the points it
// acknowledged: every step of every client once, none lost, none twice.
//   LATHE_BENCH_SECONDS=10 npm run bench:mlflow-api    (default 5 per load)
//   LATHE_BENCH_BATCHES=100,1000                        (points per log-batch; default both)
//   LATHE_BENCH_PROFILE=/tmp/prof                       (a CPU profile of the server process there)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { mlflowTrackingFor, type MlflowTracking } from '../core/tracking/mlflow-tracking.ts';
import { Workspace } from '../core/workspace/workspace.ts';

const SECONDS = Number(process.env.LATHE_BENCH_SECONDS ?? 5);
const BATCHES = (process.env.LATHE_BENCH_BATCHES ?? '100,1000').split(',').map(Number);
const CLIENTS = 8;
const T0 = 1_750_000_000_000;
const dir = mkdtempSync(join(tmpdir(), 'lathe-bench-mlflow-'));
let server: ChildProcess | null = null;
process.on('exit', () => {
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

interface LoadResult {
  acknowledged: number[];
  latencies: number[];
  millis: number;
  status: Map<number, number>;
  errors: number;
}

/** The points of client `client`'s batch starting at `step`, as an MLflow client sends them. */
function batchOf(client: number, step: number, size: number) {
  return Array.from({ length: size }, (_, i) => ({ key: `client_${client}`, value: Math.sin((step + i) / 50), timestamp: T0 + step + i, step: step + i }));
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

// —— the server ——

async function startServe(workspace: string): Promise<{ base: string; token: string }> {
  const lathe = fileURLToPath(new URL('../cli/lathe.ts', import.meta.url));
  server = spawn(process.execPath, [...(process.env.LATHE_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.LATHE_BENCH_PROFILE] : []), lathe, 'serve', '--workspace', workspace, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  server.on('exit', (code, signal) => console.error(`lathe serve stopped (${signal ?? `exit code ${code}`})`));
  const line = await createInterface({ input: server.stdout! })[Symbol.asyncIterator]().next();
  if (line.done) throw new Error('lathe serve exited before printing its address');
  const { port, token } = JSON.parse(line.value as string) as { port: number; token: string };
  return { base: `http://127.0.0.1:${port}`, token };
}

function call(agent: Agent, base: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, {
      method,
      agent,
      headers: { Authorization: `Bearer ${token}`, ...(text === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }) },
    });
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => {
        const answer = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode ?? 0, json: answer ? (JSON.parse(answer) as Record<string, unknown>) : {} });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(text);
  });
}

async function restLoad(base: string, token: string, runId: string, size: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const result: LoadResult = { acknowledged: Array(CLIENTS).fill(0), latencies: [], millis: 0, status: new Map(), errors: 0 };
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      let step = 0;
      while (performance.now() < until) {
        const sent = performance.now();
        try {
          const reply = await call(agent, base, token, 'POST', '/api/2.0/mlflow/runs/log-batch', { run_id: runId, metrics: batchOf(client, step, size) });
          result.latencies.push(performance.now() - sent);
          result.status.set(reply.status, (result.status.get(reply.status) ?? 0) + 1);
          // Only an acknowledged batch moves the client on; a refused one would be sent again.
          if (reply.status === 200) {
            result.acknowledged[client]! += size;
            step += size;
          }
        } catch {
          result.errors += 1;
        }
      }
    }),
  );
  result.millis = performance.now() - started;
  agent.destroy();
  return result;
}

// —— the same on the core, in-process ——

async function coreLoad(tracking: MlflowTracking, runId: string, size: number): Promise<LoadResult> {
  const result: LoadResult = { acknowledged: Array(CLIENTS).fill(0), latencies: [], millis: 0, status: new Map(), errors: 0 };
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      let step = 0;
      while (performance.now() < until) {
        const sent = performance.now();
        tracking.logBatch(runId, { metrics: batchOf(client, step, size) });
        result.latencies.push(performance.now() - sent);
        result.acknowledged[client]! += size;
        step += size;
        await new Promise<void>((resolve) => setImmediate(resolve)); // let the other clients in, as 8 callers would
      }
    }),
  );
  result.millis = performance.now() - started;
  return result;
}

// —— checking what was kept ——

/** Each client's metric holds steps 0 … acknowledged−1, each once. */
function checkKept(label: string, acknowledged: number[], stepsOf: (client: number) => number[]): string {
  const problems: string[] = [];
  for (let client = 0; client < CLIENTS; client += 1) {
    const steps = stepsOf(client);
    const expected = acknowledged[client]!;
    const distinct = new Set(steps).size;
    const inRange = steps.every((step) => Number.isInteger(step) && step >= 0 && step < expected);
    if (steps.length !== expected || distinct !== expected || !inRange) {
      problems.push(`client_${client}: acknowledged ${expected}, kept ${steps.length} (${distinct} distinct steps${inRange ? '' : ', some out of range'})`);
    }
  }
  if (problems.length > 0) {
    console.error(`${label}: the store does not hold exactly what was acknowledged:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
    return 'MISMATCH';
  }
  return 'exactly the acknowledged points, no loss, no duplicates';
}

function row(label: string, r: LoadResult): string {
  const points = r.acknowledged.reduce((a, b) => a + b, 0);
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return `${label.padEnd(34)} ${Math.round((points / r.millis) * 1000).toLocaleString('en-US').padStart(10)} points/s   p50 ${percentile(sorted, 50).toFixed(2).padStart(7)} ms   p99 ${percentile(sorted, 99).toFixed(2).padStart(7)} ms   (${points.toLocaleString('en-US')} points in ${r.latencies.length} batches)`;
}

const restWorkspace = join(dir, 'rest');
const coreWorkspace = await Workspace.create(join(dir, 'core'));
const core = mlflowTrackingFor(coreWorkspace, null);
const { base, token } = await startServe(restWorkspace);
const setup = new Agent({ keepAlive: false }); // between loads it idles past the server's keep-alive timeout

console.log(`bench:mlflow-api — ${CLIENTS} clients, ${SECONDS} s per load, ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('lathe serve in its own process; the core reference in this one (same code below the HTTP adapter)\n');

let failures = 0;
for (const size of BATCHES) {
  const created = await call(setup, base, token, 'POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0', run_name: `bench-${size}`, start_time: Date.now() });
  if (created.status !== 200) throw new Error(`runs/create answered ${created.status}: ${JSON.stringify(created.json)}`);
  const restRun = (created.json.run as { info: { run_id: string } }).info.run_id;
  const coreRun = core.createRun({ runName: `bench-${size}` }).id;

  const rest = await restLoad(base, token, restRun, size);
  const inProcess = await coreLoad(core, coreRun, size);

  const restHistories: number[][] = [];
  for (let client = 0; client < CLIENTS; client += 1) {
    const history = await call(setup, base, token, 'GET', `/api/2.0/mlflow/metrics/get-history?run_id=${restRun}&metric_key=client_${client}`);
    restHistories.push(((history.json.metrics ?? []) as { step: number }[]).map((point) => point.step));
  }
  const restKept = checkKept('REST', rest.acknowledged, (client) => restHistories[client]!);
  const coreKept = checkKept('core', inProcess.acknowledged, (client) => Array.from(core.store.metricSeries(coreRun, `client_${client}`).steps));

  const restRate = rest.acknowledged.reduce((a, b) => a + b, 0) / rest.millis;
  const coreRate = inProcess.acknowledged.reduce((a, b) => a + b, 0) / inProcess.millis;
  const fiveHundreds = [...rest.status].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0);
  const other = [...rest.status].filter(([status]) => status !== 200 && status < 500).reduce((sum, [, count]) => sum + count, 0);
  if (fiveHundreds > 0 || rest.errors > 0) failures += 1;
  console.log(`log-batch of ${size} points`);
  console.log(`  ${row('REST (runs/log-batch, 8 clients)', rest)}`);
  console.log(`  ${row('core in-process (8 loops)', inProcess)}`);
  console.log(`  REST / core: ${(restRate / coreRate).toFixed(2)} × the points/s   5xx: ${fiveHundreds}   other non-200: ${other}   connection errors: ${rest.errors}`);
  console.log(`  kept, REST: ${restKept}`);
  console.log(`  kept, core: ${coreKept}\n`);
}
setup.destroy();
await coreWorkspace.close();
if (failures > 0) {
  console.error('Some REST loads had 5xx answers or connection errors.');
  process.exitCode = 1;
}
