// npm run bench:serve — single-row predictions from `lathe agent` (a small penguins classifier,
// trained first), by autocannon at 1, 16 and 64 connections, each for a bounded time, beside the
// floor measured in the same run: a minimal Node HTTP server that reads the same body and answers
// a constant. Both servers run in processes of their own; autocannon runs here. Prints requests/s,
// p50 and p99 latency, non-2xx answers (503s apart), the ratio to the floor, an even 1,000
// requests/s for both (paced-load.ts; the aim: p99 < 10 ms there, on 2 cores), the same
// rate as autocannon's once-a-second bursts, and an overload (256 connections against a queue of
// 64) that must answer only 2xx or 503.
//   LATHE_BENCH_SECONDS=10 npm run bench:serve    (default 5 per run)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tensorsOf } from '../agent/test-support/agent-client.ts';
import { ADELIE, trainPenguinBundles } from '../agent/test-support/trained-bundles.ts';
import { benchProcesses } from './bench-processes.ts';
import { pacedLoad, type PacedResult } from './paced-load.ts';

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; p97_5: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Cannon = (options: Record<string, unknown>) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const seconds = Number(process.env.LATHE_BENCH_SECONDS ?? 5);
const { dir, startProcess } = benchProcesses('lathe-bench-serve-');

const floorSource = `
const { createServer } = require('node:http');
const answer = JSON.stringify({ model_name: 'constant', outputs: [{ name: 'Species', shape: [1], datatype: 'BYTES', data: ['Adelie'] }] });
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(answer) }).end(answer));
});
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));
`;

process.stdout.write('training a penguins classifier for the bundle … ');
const bundles = await trainPenguinBundles(join(dir, 'train'));
process.stdout.write('done\n');
const lathe = fileURLToPath(new URL('../cli/lathe.ts', import.meta.url));
const started = JSON.parse(await startProcess([lathe, 'agent', '--port', '0', '--data-dir', join(dir, 'agent'), '--trust', bundles.key.publicKey.text, '--json'])) as { url: string; adminToken: string };
const upload = await fetch(`${started.url}/admin/models/penguins`, { method: 'PUT', headers: { Authorization: `Bearer ${started.adminToken}`, 'Content-Type': 'application/octet-stream' }, body: readFileSync(bundles.v1) });
if (!upload.ok) throw new Error(`upload failed: ${upload.status} ${await upload.text()}`);
const floorUrl = await startProcess(['-e', floorSource]);

const body = JSON.stringify({ inputs: tensorsOf([ADELIE]) });
const check = await fetch(`${started.url}/v2/models/penguins/infer`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
if (!check.ok) throw new Error(`a prediction failed: ${check.status} ${await check.text()}`);

async function load(url: string, connections: number, overallRate?: number): Promise<CannonResult> {
  return autocannon({ url: `${url}/v2/models/penguins/infer`, method: 'POST', headers: { 'Content-Type': 'application/json' }, body, connections, duration: seconds, ...(overallRate ? { overallRate } : {}) });
}

const row = (label: string, r: CannonResult) => {
  const s503 = r.statusCodeStats['503']?.count ?? 0;
  return `${label.padEnd(28)} ${r.requests.average.toFixed(0).padStart(8)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   non-2xx ${r.non2xx - s503} (+${s503} × 503), errors ${r.errors + r.timeouts}`;
};

console.log(`\nbench:serve — ${seconds} s per run, ${availableParallelism()} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; agent: 2 workers, queue 64`);
await load(started.url, 4).catch(() => null); // warm-up: JIT, worker caches
for (const connections of [1, 16, 64]) {
  const floor = await load(floorUrl, connections);
  const agent = await load(started.url, connections);
  console.log(row(`floor, ${connections} conn`, floor));
  console.log(row(`agent, ${connections} conn`, agent));
  console.log(`${''.padEnd(28)} ratio agent/floor: ${(agent.requests.average / floor.requests.average).toFixed(3)} of the requests/s, p99 +${agent.latency.p99 - floor.latency.p99} ms`);
}
// The aim, at an even 1,000 requests/s (open loop, timed from when each was due), beside the floor.
const pacedRow = (label: string, r: PacedResult) => `${label.padEnd(28)} ${String(r.rate).padStart(8)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   non-2xx ${r.non2xx}, errors ${r.errors}`;
const floorPaced = await pacedLoad(`${floorUrl}/v2/models/penguins/infer`, body, 1000, seconds);
const agentPaced = await pacedLoad(`${started.url}/v2/models/penguins/infer`, body, 1000, seconds);
console.log(pacedRow('floor, paced 1,000 req/s', floorPaced));
console.log(pacedRow('agent, paced 1,000 req/s', agentPaced));
console.log(`aim: p99 < 10 ms at 1,000 req/s → ${agentPaced.p99 < 10 && agentPaced.errors === 0 && agentPaced.non2xx === 0 ? 'met' : 'NOT met'} (p99 ${agentPaced.p99} ms; the floor's ${floorPaced.p99} ms)`);
// What autocannon's overallRate does instead: each second's 1,000 requests in a burst at its start.
const held = await load(started.url, 16, 1000);
console.log(row('agent, 1,000/s in bursts', held));
const overload = await load(started.url, 256);
const other5xx = Object.entries(overload.statusCodeStats).filter(([code]) => code.startsWith('5') && code !== '503').reduce((sum, [, stat]) => sum + stat.count, 0);
console.log(row('agent, 256 conn (overload)', overload));
console.log(`${''.padEnd(28)} 5xx other than 503: ${other5xx}${other5xx === 0 ? ' (as it should be)' : ' — a bug'}`);
const metrics = await (await fetch(`${started.url}/metrics`)).text();
console.log(`\nthe agent's own count: ${metrics.split('\n').filter((l) => l.startsWith('lathe_agent_requests_total')).join('; ')}`);
process.exit(0);
