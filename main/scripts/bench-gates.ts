// npm run bench:gates — a gate run (data checks, thresholds, the paired test against a baseline,
// slices) on a 1,000,000-row test split, beside two references measured in the same run: reading
// the same rows out of the store (the floor: every gate reads them once) and training a linear
// model on them (one epoch, the cheapest training there is). Also McNemar's exact test and the
// paired bootstrap alone at 1,000,000 rows, and the peak memory.
//   LATHE_BENCH_ROWS=200000 npm run bench:gates     (default 1,000,000)
//   LATHE_BENCH_TRAIN=0 npm run bench:gates         (skip the training reference)
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { GateReport } from '../../shared/contract/gates.ts';
import { datasetVersion, readEvaluationTable } from '../core/gates/evaluation-data.ts';
import type { GatedVersion } from '../core/gates/gated-version.ts';
import { runGates } from '../core/gates/run-gates.ts';
import { mcnemarExact } from '../core/gates/stats/mcnemar.ts';
import { pairedBootstrap } from '../core/gates/stats/paired-bootstrap.ts';
import { SeededRandom } from '../core/training/data/seeded-random.ts';
import { writeArtifactBytes } from '../core/tracking/run-artifacts.ts';
import { coreOnNewWorkspace } from '../core/testing/core-fixture.ts';
import { Workspace } from '../core/workspace/workspace.ts';

const rows = Number(process.env.LATHE_BENCH_ROWS ?? 1_000_000);
const withTraining = process.env.LATHE_BENCH_TRAIN !== '0';
const CLASSES = ['Adelie', 'Chinstrap', 'Gentoo'];
const ISLANDS = ['Biscoe', 'Dream', 'Torgersen', 'Anvers', 'Petermann'];
const SEXES = ['FEMALE', 'MALE'];

const seconds = (started: number) => (performance.now() - started) / 1000;
/** CPU seconds of this process (every thread, the training worker's too) since `since`: steadier than wall time on a shared machine. */
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
const fixed = (value: number, digits = 2) => value.toFixed(digits);

/** A penguin-like table: the species follows beak and flipper length, with noise; ~1% missing values. */
function syntheticCsv(): string {
  const random = new SeededRandom(7);
  const lines = ['id,island,sex,beak_mm,flipper_mm,mass_g,species'];
  for (let i = 0; i < rows; i += 1) {
    const species = Math.floor(random.next() * 3);
    const beak = 38 + species * 5 + random.next() * 6;
    const flipper = 185 + species * 12 + random.next() * 15;
    const mass = 3200 + species * 700 + random.next() * 900;
    const missing = random.next() < 0.01;
    lines.push(`${i},${ISLANDS[Math.floor(random.next() * ISLANDS.length)]},${missing ? '' : SEXES[Math.floor(random.next() * 2)]},${beak.toFixed(1)},${flipper.toFixed(0)},${missing ? 'NA' : mass.toFixed(0)},${CLASSES[species]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** test-predictions.jsonl over every row: right with probability `accuracy`, else a wrong class. */
function* predictionLines(actual: Int32Array, names: string[], accuracy: number, seed: number): Generator<Uint8Array> {
  const random = new SeededRandom(seed);
  const encoder = new TextEncoder();
  let batch = '';
  for (let row = 0; row < actual.length; row += 1) {
    const truth = CLASSES.indexOf(names[actual[row]!]!);
    const predicted = random.next() < accuracy ? truth : (truth + 1 + Math.floor(random.next() * 2)) % 3;
    const p = [0.1, 0.1, 0.1];
    p[predicted] = 0.8;
    batch += `${JSON.stringify({ row, actual: CLASSES[truth], predicted: CLASSES[predicted], probabilities: { Adelie: p[0], Chinstrap: p[1], Gentoo: p[2] } })}\n`;
    if (batch.length > 1 << 20) {
      yield encoder.encode(batch);
      batch = '';
    }
  }
  yield encoder.encode(batch);
}

const root = await mkdtemp(join(tmpdir(), 'lathe-bench-gates-'));
try {
  const loadBefore = loadavg().map((load) => load.toFixed(2)).join(' ');
  process.stdout.write(`generating ${rows.toLocaleString('en')} rows … `);
  const fixture = await coreOnNewWorkspace(root);
  const csvPath = join(root, 'penguins-large.csv');
  await writeFile(csvPath, syntheticCsv());
  await fixture.call('datasets:import-file', { workspace: fixture.workspace, path: csvPath, name: 'penguins-large' });
  process.stdout.write('imported\n');
  const workspace = await Workspace.open(fixture.workspace);

  // Reference 1: read the rows out of the store, as every gate run does once.
  const data = await datasetVersion(workspace, 'penguins-large', 1);
  let started = performance.now();
  let cpu = process.cpuUsage();
  const table = await readEvaluationTable(workspace, data, ['island', 'sex', 'beak_mm', 'flipper_mm', 'mass_g', 'species']);
  const readSeconds = seconds(started);
  const readCpu = cpuSeconds(cpu);

  // Reference 2: train a linear model on the same rows, one epoch.
  let trainSeconds: number | null = null;
  let trainCpu = 0;
  if (withTraining) {
    process.stdout.write('training a linear model, 1 epoch … ');
    started = performance.now();
    cpu = process.cpuUsage();
    const run = await fixture.call('training:start', { workspace: fixture.workspace, dataset: 'penguins-large', target: 'species', model: 'linear', epochs: 1, batchSize: 1024 });
    await fixture.call('training:wait', { workspace: fixture.workspace, runId: run.runId });
    trainSeconds = seconds(started);
    trainCpu = cpuSeconds(cpu);
    process.stdout.write(`${fixed(trainSeconds, 1)} s\n`);
  }

  // Two versions whose stored predictions cover every row: a baseline at ~85 % and a candidate at ~84 %.
  const species = table.columns.get('species')!;
  if (species.reading !== 'category') throw new Error('species should read as categories');
  const store = async (accuracy: number, seed: number) => {
    const writer = await writeArtifactBytes(workspace.blobs, predictionLines(species.codes, species.names, accuracy, seed));
    const { hash, bytes } = await writer.commit();
    return { path: 'test-predictions.jsonl', contentHash: hash, bytes };
  };
  const versionOf = async (version: number, accuracy: number): Promise<GatedVersion> => ({
    name: 'bench',
    version,
    lineage: { run: { id: `bench-${version}` }, dataset: { name: 'penguins-large', version: 1, contentHash: data.manifest.contentHash } },
    signature: {
      task: 'classification',
      target: { name: 'species', type: 'string' },
      inputs: [
        { name: 'island', type: 'string', encoding: 'one-hot' },
        { name: 'sex', type: 'string', encoding: 'one-hot' },
        { name: 'beak_mm', type: 'number', encoding: 'standardize' },
        { name: 'flipper_mm', type: 'number', encoding: 'standardize' },
        { name: 'mass_g', type: 'integer', encoding: 'standardize' },
      ],
      classes: CLASSES,
    },
    artifacts: [await store(accuracy, version)],
  });
  const versions = new Map([
    ['bench@1', await versionOf(1, 0.85)],
    ['bench@2', await versionOf(2, 0.84)],
  ]);
  const resolve = async (ref: string) => versions.get(ref) ?? Promise.reject(new Error(`no ${ref}`));

  started = performance.now();
  cpu = process.cpuUsage();
  const report: GateReport = await runGates({ workspace, resolve, serving: null }, { ref: 'bench@2', against: 'bench@1', require: ['accuracy>=0.8', 'f1_macro>=0.8'], record: false });
  const gateSeconds = seconds(started);
  const gateCpu = cpuSeconds(cpu);

  // The statistics alone at this size.
  started = performance.now();
  mcnemarExact({ bothRight: 700_000, baselineOnly: 150_400, candidateOnly: 149_600, bothWrong: 0 });
  const mcnemarMs = performance.now() - started;
  const errors = Float64Array.from({ length: rows }, (_, i) => Math.abs(Math.sin(i)) * 10);
  const other = Float64Array.from({ length: rows }, (_, i) => Math.abs(Math.cos(i)) * 10);
  started = performance.now();
  cpu = process.cpuUsage();
  pairedBootstrap(errors, other, { error: 'mae', resamples: 1000, confidence: 0.9, seed: 1 });
  const bootstrapSeconds = seconds(started);
  const bootstrapCpu = cpuSeconds(cpu);

  const peak = process.resourceUsage().maxRSS / 1024;
  const line = (what: string, wall: number, cpuUsed: number | null, note = '') => console.log(`  ${what.padEnd(52)} ${fixed(wall).padStart(7)} s${cpuUsed === null ? '' : ` (${fixed(cpuUsed)} s CPU)`}${note ? `   ${note}` : ''}`);
  console.log(`\nGates on a ${report.data.rows.toLocaleString('en')}-row test split (${availableParallelism()} cores, load before ${loadBefore})`);
  line('gate run: data, thresholds, paired test, slices', gateSeconds, gateCpu, `outcome ${report.outcome}`);
  for (const check of report.checks) console.log(`    ${`${check.id} (${check.status})`.padEnd(50)} ${fixed(check.durationMs / 1000).padStart(7)} s`);
  console.log(`    ${'reading rows and stored predictions, the rest'.padEnd(50)} ${fixed(gateSeconds - report.checks.reduce((sum, check) => sum + check.durationMs, 0) / 1000).padStart(7)} s`);
  line('reference: read the rows from the store', readSeconds, readCpu, `gate run = ${fixed(gateSeconds / readSeconds, 1)}× reading the rows (CPU ${fixed(gateCpu / readCpu, 1)}×)`);
  if (trainSeconds !== null) line('reference: train linear, 1 epoch, on these rows', trainSeconds, trainCpu, `gate run = ${fixed(gateSeconds / trainSeconds)}× training (CPU ${fixed(gateCpu / trainCpu)}×)`);
  console.log(`  ${"McNemar's exact test, 300,000 discordant rows".padEnd(52)} ${fixed(mcnemarMs, 3).padStart(7)} ms`);
  line(`paired bootstrap, ${rows.toLocaleString('en')} rows × 1,000 resamples`, bootstrapSeconds, bootstrapCpu);
  console.log(`  peak memory ${peak.toFixed(0)} MB`);
  await workspace.close();
  await fixture.core.close();
} finally {
  await rm(root, { recursive: true, force: true });
}
