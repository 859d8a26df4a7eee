/**
 * Throughput and memory of the streaming table scanner (main/core/datasets/table).
 *
 *   node_modules/.bin/node main/scripts/bench-scan.ts [--mb 200] [--chunk-kb 1024] [--runs 3] [--sha]
 *
 * Generates a CSV of about --mb megabytes into the OS temp folder (once; reused after), reads it
 * in --chunk-kb chunks and feeds the scanner in full mode. Prints MB/s (1 MB = 10^6 bytes) for
 * the scanner alone (a timed pass minus a read-only pass), the best of --runs, and the peak
 * RSS of this process. Both wall-clock and CPU time (user + system of this process) are shown:
 * on a busy machine the CPU-time figure is the steadier one. --sha also times `sha256sum` on the file and a scanner+SHA-256 pass, for the import
 * budget (the import must stay within 3x of sha256sum).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createTableScanner } from '../core/datasets/table/table-scanner.ts';

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '200' },
    'chunk-kb': { type: 'string', default: '1024' },
    runs: { type: 'string', default: '3' },
    sha: { type: 'boolean', default: false },
  },
});
const targetBytes = Number(values.mb) * 1_000_000;
const chunkBytes = Number(values['chunk-kb']) * 1024;
const runs = Number(values.runs);
const file = join(tmpdir(), `lathe-bench-${values.mb}mb.csv`);

/** A small seeded PRNG (mulberry32), so every run scans the same file. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(path: string, bytes: number): void {
  const rand = random(42);
  const categories = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
  const notes = ['ok', 'late delivery', 'refund', 'gift', 'repeat customer', ''];
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  let written = 0;
  let id = 1;
  let batch = 'id,price,category,user,date,active,score,note\n';
  while (written < bytes) {
    const price = (rand() * 1000).toFixed(2);
    const category = categories[Math.floor(rand() * categories.length)];
    const user = `user_${Math.floor(rand() * 0xffffffff).toString(16)}`;
    const day = new Date(Date.UTC(2020, 0, 1) + Math.floor(rand() * 1800) * 86_400_000).toISOString().slice(0, 10);
    const active = rand() < 0.5 ? 'true' : 'false';
    const r = rand();
    const score = r < 0.04 ? '' : r < 0.05 ? 'NA' : (rand() * 10 - 5).toExponential(3);
    const n = rand();
    const note = n < 0.02 ? `"${notes[Math.floor(rand() * 5)]}, see ""ticket"" ${id}"` : notes[Math.floor(n * notes.length)];
    batch += `${id++},${price},${category},${user},${day},${active},${score},${note}\n`;
    if (batch.length > 1 << 20) {
      written += writeSync(fd, batch);
      batch = '';
    }
  }
  if (batch.length > 0) writeSync(fd, batch);
  closeSync(fd);
  renameSync(partial, path);
}

/**
 * One pass over the file in chunks, feeding the scanner (and SHA-256) unless `readOnly`.
 * Timed as a whole (timing each chunk would cost more than small chunks do).
 */
function pass(path: string, options: { readOnly?: boolean; sha?: boolean } = {}): { seconds: number; cpuSeconds: number; rows: number } {
  const scanner = options.readOnly ? null : createTableScanner({ format: 'csv', fileName: 'bench.csv' });
  const hash = options.sha ? createHash('sha256') : null;
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(chunkBytes);
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (;;) {
    const read = readSync(fd, buffer, 0, chunkBytes, null);
    if (read === 0) break;
    const chunk = buffer.subarray(0, read);
    scanner?.write(chunk);
    hash?.update(chunk);
  }
  const rows = scanner?.end().rows ?? 0;
  hash?.digest('hex');
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - start) / 1000;
  closeSync(fd);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, rows };
}

if (!existsSync(file)) {
  process.stdout.write(`generating ${file} ... `);
  generate(file, targetBytes);
  console.log('done');
}
const size = statSync(file).size;
const mb = size / 1e6;
console.log(`file: ${file} (${mb.toFixed(1)} MB), chunks of ${chunkBytes / 1024} KiB, node ${process.version}`);
const rssBefore = process.memoryUsage().rss;
// Reading the (cached) file costs a little; it is measured alone and taken off.
const reading = Math.min(...Array.from({ length: 3 }, () => pass(file, { readOnly: true }).seconds));
let best = Number.POSITIVE_INFINITY;
let bestCpu = Number.POSITIVE_INFINITY;
for (let run = 1; run <= runs; run++) {
  const { seconds, cpuSeconds, rows } = pass(file);
  const scanning = seconds - reading;
  best = Math.min(best, scanning);
  bestCpu = Math.min(bestCpu, cpuSeconds - reading);
  console.log(`run ${run}: scanner ${scanning.toFixed(3)} s (${(mb / scanning).toFixed(0)} MB/s; CPU ${(mb / (cpuSeconds - reading)).toFixed(0)} MB/s), ${rows.toLocaleString('en')} rows`);
}
const peakRss = process.resourceUsage().maxRSS * 1024;
console.log(`reading the file alone: ${reading.toFixed(3)} s (taken off)`);
console.log(`scanner best: ${(mb / best).toFixed(0)} MB/s wall, ${(mb / bestCpu).toFixed(0)} MB/s CPU`);
console.log(`peak RSS: ${(peakRss / 2 ** 20).toFixed(0)} MiB (RSS before scanning ${(rssBefore / 2 ** 20).toFixed(0)} MiB)`);
if (values.sha) {
  const start = performance.now();
  spawnSync('sha256sum', [file], { stdio: 'ignore' });
  const shaSeconds = (performance.now() - start) / 1000;
  const both = pass(file, { sha: true }).seconds;
  console.log(`sha256sum: ${shaSeconds.toFixed(3)} s (${(mb / shaSeconds).toFixed(0)} MB/s)`);
  console.log(`read + scanner + SHA-256 in one pass: ${both.toFixed(3)} s (${(mb / both).toFixed(0)} MB/s) = ${(both / shaSeconds).toFixed(2)}x sha256sum`);
}
