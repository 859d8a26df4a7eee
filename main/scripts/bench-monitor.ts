// npm run bench:monitor — what watching live models costs:
//   (a) the agent's latency at an even 1,000 requests/s (open loop, each request timed from when it
//       was due: paced-load.ts, as bench:serve) with recording on (sample rate 1, a training
//       reference loaded, count windows of 500, so windows close and are judged during the run)
//       beside recording off in the same run (sample rate 1e-6: the hub's cheapest path, one draw
//       per request; the agent has no switch that removes the hub). Two rounds, alternating, and
//       the ratio of the p99s. The aim (issue 10): under 10 % added.
//   (b) the monitoring hub in this process, per answered request (what recording adds to the
//       serving thread, without HTTP or a load generator competing for the cores).
//   (c) the prediction store alone: one transaction per request (append + flush) beside the
//       queued append the agent uses (a flush every 25 ms or 256 rows), per request.
//   (d) drift for 50 features, a 1,000,000-row reference against a 100,000-row window
//       (bench-drift.ts's benchDrift, in seconds).
//   LATHE_BENCH_SECONDS=10 npm run bench:monitor    (default 5 per paced run)
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ColumnReference, ReferenceProfile } from '../../shared/contract/monitoring.ts';
import { MonitoringHub } from '../agent/monitoring/monitoring-hub.ts';
import { countedReference, numericReference } from '../core/monitoring/column-reference.ts';
import { PredictionStore, type StoredPrediction } from '../agent/monitoring/prediction-store.ts';
import { tensorsOf } from '../agent/test-support/agent-client.ts';
import { ADELIE, trainPenguinBundles } from '../agent/test-support/trained-bundles.ts';
import { benchDrift, printDriftBench } from './bench-drift.ts';
import { benchProcesses } from './bench-processes.ts';
import { pacedLoad, type PacedResult } from './paced-load.ts';

const seconds = Number(process.env.LATHE_BENCH_SECONDS ?? 5);
const { dir, startProcess } = benchProcesses('lathe-bench-monitor-');

/** The penguins sample as a training reference: every value of each input column (exact), categories counted. */
function penguinsReference(): ReferenceProfile {
  const [header, ...lines] = readFileSync(new URL('../../resources/samples/penguins.csv', import.meta.url), 'utf8').trim().split('\n');
  const names = header!.split(',');
  const rows = lines.map((line) => line.split(','));
  const column = (index: number): ColumnReference => {
    const name = names[index]!;
    const cells = rows.map((row) => row[index] ?? '');
    const present = cells.filter((cell) => cell !== '' && cell !== 'NA');
    if (present.every((cell) => Number.isFinite(Number(cell)))) return numericReference(name, cells.map((cell) => (cell === '' || cell === 'NA' ? Number.NaN : Number(cell))));
    return countedReference(name, present.map((cell) => [cell, 1] as const), cells.length - present.length);
  };
  const species = column(0);
  return {
    schemaVersion: 1,
    model: 'penguins',
    version: 1,
    dataset: 'penguins@1',
    datasetRows: rows.length,
    createdAt: new Date().toISOString(),
    task: { kind: 'classification', classes: Object.keys((species as Extract<ColumnReference, { kind: 'categorical' }>).counts).sort() },
    features: names.slice(1).map((_, i) => column(i + 1)),
    prediction: { ...species, name: 'Species' },
    cbpe: null,
    testMetric: { name: 'accuracy', value: 0.97 },
  };
}

process.stdout.write('training a penguins classifier for the bundle … ');
const bundles = await trainPenguinBundles(join(dir, 'train'));
process.stdout.write('done\n');
const lathe = fileURLToPath(new URL('../cli/lathe.ts', import.meta.url));

/** An agent in a process of its own serving penguins, its monitoring set as given. */
async function agentWith(name: string, settings: Record<string, unknown>, reference: ReferenceProfile | null): Promise<string> {
  const started = JSON.parse(await startProcess([lathe, 'agent', '--port', '0', '--data-dir', join(dir, name), '--trust', bundles.key.publicKey.text, '--json'])) as { url: string; adminToken: string };
  const admin = { Authorization: `Bearer ${started.adminToken}` };
  const put = async (path: string, body: string | Uint8Array, type: string) => {
    const reply = await fetch(`${started.url}${path}`, { method: 'PUT', headers: { ...admin, 'Content-Type': type }, body });
    if (!reply.ok) throw new Error(`PUT ${path}: ${reply.status} ${await reply.text()}`);
  };
  await put('/admin/models/penguins', readFileSync(bundles.v1), 'application/octet-stream');
  await put('/admin/models/penguins/monitoring', JSON.stringify(settings), 'application/json');
  if (reference) await put('/admin/models/penguins/reference', JSON.stringify(reference), 'application/json');
  return started.url;
}

const body = JSON.stringify({ inputs: tensorsOf([ADELIE]) });
const off = await agentWith('off', { sampleRate: 0.000001 }, null);
const on = await agentWith('on', { sampleRate: 1, window: { kind: 'count', rows: 500 } }, penguinsReference());
for (const url of [off, on]) await pacedLoad(`${url}/v2/models/penguins/infer`, body, 500, 1); // warm-up: JIT, worker caches

console.log(`\nbench:monitor — ${seconds} s per paced run, ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; agents: 2 workers each`);
const pacedRow = (label: string, r: PacedResult) => `${label.padEnd(34)} ${String(r.rate).padStart(6)} req/s   p50 ${String(r.p50).padStart(5)} ms   p99 ${String(r.p99).padStart(6)} ms   non-2xx ${r.non2xx}, errors ${r.errors}`;
const p99s = { off: [] as number[], on: [] as number[] };
for (let round = 1; round <= 2; round += 1) {
  const offRun = await pacedLoad(`${off}/v2/models/penguins/infer`, body, 1000, seconds);
  const onRun = await pacedLoad(`${on}/v2/models/penguins/infer`, body, 1000, seconds);
  p99s.off.push(offRun.p99);
  p99s.on.push(onRun.p99);
  console.log(pacedRow(`round ${round}: recording off`, offRun));
  console.log(pacedRow(`round ${round}: recording on`, onRun));
}
const busy = loadavg()[0]! > availableParallelism();
if (busy) console.log(`(the machine is busy: load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores; the latencies say more about that than about recording — run it again on a quiet machine)`);
const best = (values: number[]) => Math.min(...values);
const ratio = best(p99s.on) / best(p99s.off);
console.log(`p99 with recording / without (best of 2 each): ${ratio.toFixed(3)} → ${((ratio - 1) * 100).toFixed(1)} % added; aim < 10 % → ${ratio < 1.1 ? 'met' : 'NOT met'}`);
const state = (await (await fetch(`${on}/metrics`)).text()).split('\n').filter((line) => /^lathe_predictions_(recorded|dropped)_total/.test(line));
console.log(`the recording agent's own count: ${state.join('; ') || '(no recorder gauges on /metrics)'}`);

// (b) The hub in this process: its work per answered request on the serving thread (sampling, the
// open window, the store's queued append; every 500th closes a window and judges it), load-free.
async function hubBench(): Promise<string> {
  const hub = await MonitoringHub.open({ dataDir: join(dir, 'hub'), warn: () => {} });
  await hub.setReference('penguins', penguinsReference());
  await hub.configure('penguins', { sampleRate: 1, window: { kind: 'count', rows: 500 } });
  const n = 20_000;
  const times = new Float64Array(n);
  const predictions = [{ predicted: 'Adelie', probabilities: { Adelie: 0.9, Chinstrap: 0.06, Gentoo: 0.04 } }];
  const started = performance.now();
  for (let i = 0; i < n; i += 1) {
    const rows = [{ ...ADELIE, 'Body Mass (g)': 3000 + (i % 2000) }];
    const t = performance.now();
    hub.observed({ model: 'penguins', version: '1', requestId: `r${i}`, rows, predictions, latencyMs: 1.5, failed: false });
    times[i] = (performance.now() - t) * 1000;
  }
  const total = (performance.now() - started) * 1000;
  await hub.close();
  times.sort();
  const at = (q: number) => times[Math.min(n - 1, Math.floor(q * n))]!.toFixed(1);
  return `${'hub.observed, 20,000 one-row requests'.padEnd(46)} mean ${(total / n).toFixed(1).padStart(6)} µs   p50 ${at(0.5).padStart(6)} µs   p99 ${at(0.99).padStart(7)} µs   max ${at(1).padStart(8)} µs (a window closed and judged every 500)`;
}
console.log('\nThe monitoring hub in process, per answered request on the serving thread (no HTTP, no load generator):');
console.log(await hubBench());

// (c) The store alone: what one request's record costs on the serving thread.
function storeBench(label: string, flushEach: boolean): string {
  const path = join(dir, `store-${flushEach ? 'sync' : 'queued'}`, 'predictions.db');
  const store = PredictionStore.open(path, { maxBytes: 1024 ** 3, retentionMs: 30 * 86_400_000 });
  const inputs = { ...ADELIE };
  const record = (i: number): StoredPrediction => ({ requestId: `r${i}`, row: 0, model: 'penguins', version: '1', at: Date.now(), window: Math.floor(i / 500), inputs, predicted: 'Adelie', probabilities: { Adelie: 0.9, Chinstrap: 0.06, Gentoo: 0.04 }, latencyMs: 1.2, label: null, labelAt: null });
  const n = 20_000;
  const times = new Float64Array(n);
  const started = performance.now();
  for (let i = 0; i < n; i += 1) {
    const t = performance.now();
    store.append([record(i)]);
    if (flushEach) store.flush();
    times[i] = (performance.now() - t) * 1000;
  }
  store.close();
  const total = (performance.now() - started) * 1000;
  times.sort();
  const at = (q: number) => times[Math.min(n - 1, Math.floor(q * n))]!.toFixed(1);
  return `${label.padEnd(46)} mean ${(total / n).toFixed(1).padStart(6)} µs   p50 ${at(0.5).padStart(6)} µs   p99 ${at(0.99).padStart(7)} µs   max ${at(1).padStart(8)} µs`;
}
console.log('\nThe prediction store, 20,000 one-row requests, per request on the serving thread:');
const syncLine = storeBench('one transaction per request (append + flush)', true);
const queuedLine = storeBench('queued append (flush every 25 ms / 256 rows)', false);
console.log(syncLine);
console.log(queuedLine);

// (d) Drift at scale.
printDriftBench(benchDrift({ features: 50, referenceRows: 1_000_000, windowRows: 100_000 }));
process.exit(0);
