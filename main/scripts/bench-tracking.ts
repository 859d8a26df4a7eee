// npm run bench:tracking — how fast the tracking store takes and gives back metric points, and
// how fast it searches many runs, beside a plain-row SQLite design (one row per point, in a
// WITHOUT ROWID table keyed as MLflow's) measured in the same run on the same machine.
//   LATHE_BENCH_POINTS=1000000  points in the one-metric run that is read back (default 1,000,000)
//   LATHE_BENCH_RUNS=10000      runs searched (default 10,000; each 20 params and 10 metrics)
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { trackingFor } from '../core/tracking/open-tracking.ts';
import type { MetricPointInput } from '../core/tracking/tracking-input.ts';
import { Workspace } from '../core/workspace/workspace.ts';

const POINTS = Number(process.env.LATHE_BENCH_POINTS ?? 1_000_000);
const RUNS = Number(process.env.LATHE_BENCH_RUNS ?? 10_000);
const BATCH = 1000; // MLflow's log-batch limit
const root = mkdtempSync(join(tmpdir(), 'lathe-bench-tracking-'));

function timeIt(repeat: number, work: () => unknown): { best: number; median: number; worst: number } {
  const times: number[] = [];
  for (let i = 0; i < repeat; i += 1) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { best: times[0]!, median: times[Math.floor(times.length / 2)]!, worst: times.at(-1)! };
}

const ms = (t: { best: number; median: number; worst: number }) => `best ${t.best.toFixed(2)} ms, median ${t.median.toFixed(2)} ms, worst ${t.worst.toFixed(2)} ms`;
const rate = (points: number, millis: number) => `${Math.round((points / millis) * 1000).toLocaleString('en-US').padStart(10)} points/s`;

/** Batches of `keys` metrics × `steps` steps, as a training loop that flushes every `steps` steps logs them. */
function* batches(total: number, keys: number, steps: number): Generator<MetricPointInput[]> {
  const t0 = 1_750_000_000_000;
  for (let step = 0; step * keys < total; step += steps) {
    const batch: MetricPointInput[] = [];
    for (let s = step; s < step + steps && s * keys < total; s += 1) {
      for (let k = 0; k < keys; k += 1) batch.push({ key: `metric_${k}`, value: Math.sin(s / 100 + k) + s * 1e-6, step: s, timestamp: t0 + s * 10 });
    }
    yield batch;
  }
}

const workspace = await Workspace.create(join(root, 'workspace'));
const tracking = trackingFor(workspace, null);

console.log(`Tracking benchmark — Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`database ${workspace.db.file}\n`);

// —— ingestion ——
console.log('Ingest (each call one transaction, committed in WAL):');
const shapes = [
  { label: 'log-batch: 1000 points = 10 metrics × 100 steps', keys: 10, steps: 100, total: 2_000_000 },
  { label: 'log-batch: 1000 points = 1 metric × 1000 steps', keys: 1, steps: 1000, total: 2_000_000 },
  { label: 'training loop, one call per step of 10 metrics', keys: 10, steps: 1, total: 200_000 },
];
const ingestRates: number[] = [];
for (const shape of shapes) {
  const run = tracking.createRun({ experiment: 'bench-ingest', name: shape.label });
  const all = [...batches(shape.total, shape.keys, shape.steps)];
  const started = performance.now();
  for (const batch of all) tracking.logBatch(run.id, { metrics: batch });
  const took = performance.now() - started;
  ingestRates.push((shape.total / took) * 1000);
  console.log(`  ${shape.label.padEnd(52)} ${rate(shape.total, took)}  (${(took / all.length).toFixed(3)} ms a call)`);
}

// —— reading one metric of a run holding POINTS points ——
const big = tracking.createRun({ experiment: 'bench-read', name: 'one metric, many points' });
for (const batch of batches(POINTS, 1, BATCH)) tracking.logBatch(big.id, { metrics: batch });
const readBack = tracking.metricSeries(big.id, 'metric_0');
if (readBack.values.length !== POINTS) throw new Error(`read ${readBack.values.length} points, logged ${POINTS}`);
const read = timeIt(30, () => tracking.metricSeries(big.id, 'metric_0'));
const downsampled = timeIt(30, () => tracking.metricHistory(big.id, 'metric_0', { maxPoints: 1000 }));
// The floor under any read that hands back new arrays: allocating and first touching
// 3 × POINTS doubles. On a VM that hands memory back to its host, first touches are slow and
// vary a lot; this line shows how much of the spread above is that, not the store.
const floor = timeIt(30, () => {
  for (let c = 0; c < 3; c += 1) new Float64Array(POINTS).fill(c);
});
console.log(`\nRead one metric of a run holding ${POINTS.toLocaleString('en-US')} points (all of them, into typed arrays):`);
console.log(`  lathe, every point (new arrays)            ${ms(read)}`);
console.log(`  lathe, 1000 points by LTTB (for a chart)   ${ms(downsampled)}`);
console.log(`  floor: 3 new arrays of ${POINTS.toLocaleString('en-US')}, filled  ${ms(floor)}`);

// —— the plain-row reference ——
const plainFile = join(root, 'plain.db');
const plain = new DatabaseSync(plainFile);
plain.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
plain.exec(`CREATE TABLE metrics (run INTEGER NOT NULL, key TEXT NOT NULL, step INTEGER NOT NULL, timestamp INTEGER NOT NULL, value REAL,
  PRIMARY KEY (run, key, step, timestamp)) STRICT, WITHOUT ROWID`);
const insert = plain.prepare('INSERT INTO metrics (run, key, step, timestamp, value) VALUES (?, ?, ?, ?, ?)');
const plainIngest = (run: number, source: Iterable<MetricPointInput[]>) => {
  let points = 0;
  const started = performance.now();
  for (const batch of source) {
    plain.exec('BEGIN IMMEDIATE');
    for (const point of batch) insert.run(run, point.key, point.step ?? 0, point.timestamp ?? 0, point.value);
    plain.exec('COMMIT');
    points += batch.length;
  }
  return { points, took: performance.now() - started };
};
const plain10 = plainIngest(1, batches(2_000_000, 10, 100));
const plainOne = plainIngest(2, batches(POINTS, 1, BATCH));
const rows = plain.prepare('SELECT step, timestamp, value FROM metrics WHERE run = ? AND key = ? ORDER BY step, timestamp');
const rowArrays = plain.prepare('SELECT step, timestamp, value FROM metrics WHERE run = ? AND key = ? ORDER BY step, timestamp');
rowArrays.setReturnArrays(true);
const plainRead = timeIt(5, () => rows.all(2, 'metric_0'));
const plainTyped = timeIt(5, () => {
  const steps = new Float64Array(POINTS);
  const values = new Float64Array(POINTS);
  const timestamps = new Float64Array(POINTS);
  let i = 0;
  for (const [step, timestamp, value] of rowArrays.iterate(2, 'metric_0') as Iterable<[number, number, number | null]>) {
    steps[i] = step;
    timestamps[i] = timestamp;
    values[i] = value ?? NaN;
    i += 1;
  }
});
console.log(`  plain rows, .all() as objects              ${ms(plainRead)}`);
console.log(`  plain rows, iterated into arrays           ${ms(plainTyped)}`);
console.log(`\nIngest, plain rows (one INSERT a point, one transaction a batch of ${BATCH}):`);
console.log(`  ${'log-batch: 1000 points = 10 metrics × 100 steps'.padEnd(52)} ${rate(plain10.points, plain10.took)}`);
console.log(`  ${'log-batch: 1000 points = 1 metric × 1000 steps'.padEnd(52)} ${rate(plainOne.points, plainOne.took)}`);
plain.close();

// —— search over RUNS runs ——
const searchExperiment = 'bench-search';
const started = performance.now();
for (let r = 0; r < RUNS; r += 1) {
  const params: Record<string, string> = {};
  for (let p = 0; p < 19; p += 1) params[`param_${p}`] = `v${(r * (p + 7)) % (p + 3)}`;
  params.model = ['mlp', 'cnn', 'gbm', 'linear'][r % 4]!; // 20 params
  const run = tracking.createRun({ experiment: searchExperiment, name: `run-${r}`, params, tags: { stage: r % 10 === 0 ? 'final' : 'tuning' }, startTime: 1_750_000_000_000 + r * 1000 });
  const metrics: MetricPointInput[] = [];
  for (let m = 0; m < 9; m += 1) metrics.push({ key: `m${m}`, value: ((r * 7919 + m * 104729) % 10007) / 10007, step: 100 });
  metrics.push({ key: 'val_accuracy', value: ((r * 31) % 1000) / 1000, step: 100 }); // 10 metrics
  tracking.logBatch(run.id, { metrics });
  tracking.setStatus(run.id, r % 7 === 0 ? 'FAILED' : 'FINISHED');
}
const filled = performance.now() - started;
const experimentIds = tracking.listExperiments().filter((e) => e.name === searchExperiment).map((e) => e.id);
console.log(`\nSearch over ${RUNS.toLocaleString('en-US')} runs × 20 params × 10 metrics (made in ${(filled / 1000).toFixed(1)} s):`);
const searches = [
  { label: "metrics.m0 > 0.9 AND params.model = 'mlp'", query: { filter: "metrics.m0 > 0.9 AND params.model = 'mlp'" } },
  {
    label: "(m0 > 0.9 AND model = 'mlp') OR (tags.stage = 'final' AND status = 'FINISHED'), by val_accuracy DESC",
    query: {
      filter: "(metrics.m0 > 0.9 AND params.model = 'mlp') OR (tags.stage = 'final' AND attributes.status = 'FINISHED')",
      orderBy: ['metrics.val_accuracy DESC', 'attributes.start_time DESC'],
    },
  },
  { label: "params.model LIKE 'm%' AND metrics.m3 <= 0.5, by params.param_3", query: { filter: "params.model LIKE 'm%' AND metrics.m3 <= 0.5", orderBy: ['params.param_3'] } },
];
for (const { label, query } of searches) {
  for (const maxResults of [100, 1000]) {
    let found = 0;
    const t = timeIt(15, () => (found = tracking.searchRuns({ experimentIds, ...query, maxResults }).total));
    console.log(`  ${label}\n    maxResults ${String(maxResults).padEnd(5)} ${String(found).padStart(5)} match   ${ms(t)}`);
  }
}

const best = Math.max(...ingestRates.slice(0, 2));
console.log(`\naims: ingest ≥ 500,000 points/s → ${best >= 500_000 ? 'met' : 'NOT met'} (${Math.round(best).toLocaleString('en-US')}/s, log-batch of 1000);`);
console.log(
  `      read 1M points < 5 ms → ${read.best < 5 ? 'met' : 'NOT met'} at best (best ${read.best.toFixed(2)} ms, median ${read.median.toFixed(2)} ms; ${(plainTyped.best / read.best).toFixed(0)}× faster than plain rows into arrays, best to best)`,
);
await workspace.close();
rmSync(root, { recursive: true, force: true });
