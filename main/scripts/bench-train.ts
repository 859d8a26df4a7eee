// npm run bench:train — how fast Lathe trains, and how well, beside PyTorch and scikit-learn
// measured in the same run on this machine.
//
// Speed: the same MLP (50,000 rows × 32 inputs, 10 classes, hidden 64,32, ReLU, Adam, batch 256)
// trained by Lathe's training loop on every TensorFlow.js backend this machine has, by
// tf.layers' model.fit on WASM (what the loop replaced), and by PyTorch on the CPU with its
// threads matched to the backend's. Samples per second, best of LATHE_BENCH_REPEATS runs
// (default 3) with the spread; the aim is Lathe within 5× of PyTorch.
// Accuracy: the linear model and the MLP as training:start trains them (default knobs), on the
// sample penguins (target Species) and on generated data, beside scikit-learn's
// LogisticRegression fitted on the same split and the same encoded inputs.
//
// PyTorch and scikit-learn come from Debian (apt-get install -y python3-torch python3-sklearn);
// set LATHE_PYTHON to use another Python. Without them only Lathe's figures are printed.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendNames, type BackendName } from '../../shared/contract/training.ts';
import { dispatch } from '../core/dispatch.ts';
import { createLatheCore } from '../core/lathe-core.ts';
import { SeededRandom } from '../core/training/data/seeded-random.ts';
import { createTableReader } from '../core/training/data/table-reader.ts';
import { prepareTrainingData } from '../core/training/data/training-data.ts';
import { loadBackend } from '../core/training/worker/backends.ts';
import type { TfCore } from '../core/training/worker/network.ts';
import { trainNetwork } from '../core/training/worker/train-loop.ts';

const repeats = Math.max(1, Number(process.env.LATHE_BENCH_REPEATS ?? 3));
const ROWS = 50_000;
const INPUTS = 32;
const CLASSES = 10;
const HIDDEN = [64, 32];
const BATCH = 256;
const EPOCHS = 3; // timed, after one warm-up epoch

interface Figure {
  best: number;
  worst: number;
}

const figure = (values: number[]): Figure => ({ best: Math.max(...values), worst: Math.min(...values) });
const perSecond = (value: number) => `${Math.round(value).toLocaleString('en')}/s`;
const spread = (f: Figure) => `best ${perSecond(f.best)}, spread ${Math.round(((f.best - f.worst) / f.best) * 100)}%`;

function syntheticData(seed: number): { x: Float32Array; y: Float32Array } {
  const random = new SeededRandom(seed);
  const x = Float32Array.from({ length: ROWS * INPUTS }, () => random.next() * 2 - 1);
  const y = Float32Array.from({ length: ROWS }, () => Math.floor(random.next() * CLASSES));
  return { x, y };
}

/** Samples per second of Lathe's loop: EPOCHS epochs timed after a warm-up one. */
function lathesLoop(tf: TfCore, data: { x: Float32Array; y: Float32Array }): number {
  const stamps: number[] = [];
  trainNetwork(
    tf,
    { inputs: INPUTS, hidden: HIDDEN, outputs: CLASSES, activation: 'relu' },
    { x: data.x, y: data.y, rows: ROWS },
    { x: new Float32Array(0), y: new Float32Array(0), rows: 0 },
    { task: 'classification', epochs: EPOCHS + 1, batchSize: BATCH, learningRate: 0.001, dropout: 0, l2: 0, seed: 1, patience: 0, classWeights: null, onEpoch: () => stamps.push(performance.now()) },
  );
  return (ROWS * EPOCHS) / ((stamps.at(-1)! - stamps[0]!) / 1000);
}

/** The same network through tf.layers' model.fit: what the loop replaced. */
async function layersFit(tf: TfCore, data: { x: Float32Array; y: Float32Array }): Promise<number> {
  const tfl = await import('@tensorflow/tfjs-layers');
  const x = tf.tensor2d(data.x, [ROWS, INPUTS]);
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(data.y), 'int32'), CLASSES), 'float32'));
  const model = tfl.sequential({
    layers: [tfl.layers.dense({ inputShape: [INPUTS], units: HIDDEN[0]!, activation: 'relu' }), tfl.layers.dense({ units: HIDDEN[1]!, activation: 'relu' }), tfl.layers.dense({ units: CLASSES, activation: 'softmax' })],
  });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
  const started = performance.now();
  await model.fit(x, y, { epochs: EPOCHS, batchSize: BATCH, verbose: 0 });
  const seconds = (performance.now() - started) / 1000;
  model.dispose();
  tf.dispose([x, y]);
  return (ROWS * EPOCHS) / seconds;
}

// —— Python: PyTorch and scikit-learn ——

function findPython(module: string): string | null {
  for (const candidate of [process.env.LATHE_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => Boolean(c))) {
    if (spawnSync(candidate, ['-c', `import ${module}`], { encoding: 'utf8' }).status === 0) return candidate;
  }
  return null;
}

const TORCH_SCRIPT = `
import sys, time, torch
threads, rows, inputs, classes, batch, epochs = (int(v) for v in sys.argv[1:7])
torch.manual_seed(0); torch.set_num_threads(threads)
x = torch.rand(rows, inputs) * 2 - 1; y = torch.randint(0, classes, (rows,))
model = torch.nn.Sequential(torch.nn.Linear(inputs, 64), torch.nn.ReLU(), torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3); loss_of = torch.nn.CrossEntropyLoss()
def epoch():
    order = torch.randperm(rows)
    for start in range(0, rows, batch):
        rows_of = order[start:start + batch]
        opt.zero_grad(); loss = loss_of(model(x[rows_of]), y[rows_of]); loss.backward(); opt.step()
epoch()
started = time.perf_counter()
for _ in range(epochs): epoch()
print(rows * epochs / (time.perf_counter() - started))
`;

function torchRate(python: string, threads: number): number {
  const child = spawnSync(python, ['-c', TORCH_SCRIPT, String(threads), String(ROWS), String(INPUTS), String(CLASSES), String(BATCH), String(EPOCHS)], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`PyTorch failed:\n${child.stderr}`);
  return Number(child.stdout.trim());
}

const SKLEARN_SCRIPT = `
import json, sys
from sklearn.linear_model import LogisticRegression
data = json.load(open(sys.argv[1]))
model = LogisticRegression(max_iter=5000).fit(data['xTrain'], data['yTrain'])
print(model.score(data['xTest'], data['yTest']))
`;

// —— accuracy ——

function generatedCsv(rows: number): string {
  const random = new SeededRandom(2024);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  const lines = ['x1,x2,x3,x4,x5,x6,colour,label'];
  const colours = ['red', 'green', 'blue', 'grey'];
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: 6 }, gauss);
    const colour = colours[Math.floor(random.next() * colours.length)]!;
    // Classes by the angle of (x1, x2), shifted where x3·x4 > 0 and by colour: not linearly separable.
    const angle = (Math.atan2(x[1]!, x[0]!) + Math.PI) / (2 * Math.PI);
    let label = Math.floor(angle * 3 + (x[2]! * x[3]! > 0 ? 0.5 : 0) + (colour === 'red' ? 0.25 : 0)) % 3;
    if (random.next() < 0.05) label = Math.floor(random.next() * 3);
    const cells = x.map((v, j) => (j === 5 && random.next() < 0.03 ? '' : v.toFixed(4)));
    lines.push(`${cells.join(',')},${colour},${['alpha', 'beta', 'gamma'][label]}`);
  }
  return `${lines.join('\n')}\n`;
}

async function accuracy(python: string | null, dir: string): Promise<void> {
  const core = createLatheCore({ frontDoor: 'cli', version: 'bench', stateDir: join(dir, 'state'), defaultWorkspace: join(dir, 'default') });
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const result = await dispatch(core.handlers, name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value as T;
  };
  try {
    const { path: workspace } = await call<{ path: string }>('workspace:create', { path: join(dir, 'workspace') });
    const generated = join(dir, 'generated.csv');
    await writeFile(generated, generatedCsv(6000));
    const sets = [
      { name: 'penguins', file: join(import.meta.dirname, '..', '..', 'resources', 'samples', 'penguins.csv'), target: 'Species' },
      { name: 'generated', file: generated, target: 'label' },
    ];
    console.log('\nTest accuracy (the same split, seed 42; Lathe with its default knobs):');
    console.log(`  ${'data'.padEnd(24)}${'Lathe linear'.padEnd(15)}${'Lathe MLP'.padEnd(15)}scikit-learn LogisticRegression`);
    for (const set of sets) {
      await call('datasets:import-file', { workspace, path: set.file, name: set.name });
      const test: Record<string, number> = {};
      for (const model of ['linear', 'mlp']) {
        const { runId } = await call<{ runId: string }>('training:start', { workspace, dataset: set.name, target: set.target, model });
        const summary = await call<{ status: string; test: Record<string, number>; epochs: { trained: number } }>('training:wait', { workspace, runId });
        if (summary.status !== 'FINISHED') throw new Error(`${model} on ${set.name}: ${summary.status}`);
        test[model] = summary.test.test_accuracy!;
      }
      const sklearn = python ? await logisticRegression(python, call, workspace, set, dir) : null;
      const rows = (await call<{ version: { rows: number } }>('datasets:show', { workspace, name: set.name })).version.rows;
      console.log(`  ${`${set.name} (${rows} rows)`.padEnd(24)}${test.linear!.toFixed(4).padEnd(15)}${test.mlp!.toFixed(4).padEnd(15)}${sklearn === null ? 'n/a (no python3-sklearn)' : sklearn.toFixed(4)}`);
    }
  } finally {
    await core.close();
  }
}

/** LogisticRegression on the rows and inputs Lathe's own split and preprocessing give (seed 42). */
async function logisticRegression(python: string, call: <T>(name: string, input: unknown) => Promise<T>, workspace: string, set: { name: string; file: string; target: string }, dir: string): Promise<number> {
  const plan = await call<{ task: 'classification'; features: { name: string; type: string; encoding: string }[] }>('training:plan', { workspace, dataset: set.name, target: set.target });
  const { profile, version } = await call<{ profile: { name: string; type: string }[]; version: { rows: number } }>('datasets:show', { workspace, name: set.name });
  const reading = (encoding: string) => (encoding === 'one-hot' ? 'category' : encoding === 'binary' ? 'boolean' : encoding === 'epoch-days' ? 'datetime' : 'number');
  const reader = createTableReader('csv', [...plan.features.map((f) => ({ name: f.name, reading: reading(f.encoding) as 'number' })), { name: set.target, reading: 'category' }], version.rows);
  reader.write(await readFile(set.file));
  const data = prepareTrainingData(reader.end(), {
    task: 'classification',
    target: { name: set.target, type: profile.find((c) => c.name === set.target)!.type as 'string' },
    features: plan.features as never,
    seed: 42,
    classWeights: 'none',
  });
  const rowsOf = (x: Float32Array, n: number) => Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * data.width, (i + 1) * data.width)));
  const file = join(dir, `${set.name}-split.json`);
  await writeFile(file, JSON.stringify({ xTrain: rowsOf(data.train.x, data.train.rows.length), yTrain: Array.from(data.train.y), xTest: rowsOf(data.test.x, data.test.rows.length), yTest: Array.from(data.test.y) }));
  const child = spawnSync(python, ['-c', SKLEARN_SCRIPT, file], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`scikit-learn failed:\n${child.stderr}`);
  return Number(child.stdout.trim());
}

// —— the run ——

console.log(`bench:train on ${cpus()[0]?.model.trim()} (${availableParallelism()} cores), Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`MLP ${INPUTS}→${HIDDEN.join('→')}→${CLASSES}, ${ROWS.toLocaleString('en')} rows, batch ${BATCH}, Adam; ${EPOCHS} epochs timed after a warm-up; best of ${repeats} runs\n`);
const torchPython = findPython('torch');
if (!torchPython) console.log("  PyTorch: not found (install Debian's python3-torch: apt-get install -y python3-torch); only Lathe's figures follow.");
const data = syntheticData(1);
const available: { name: BackendName; threads: number }[] = [];
for (const name of backendNames as readonly BackendName[]) {
  try {
    const { backend } = await loadBackend(name);
    available.push({ name, threads: backend.threads || availableParallelism() });
  } catch (error) {
    console.log(`  ${name}: not measured — ${(error as { error?: { message: string } }).error?.message ?? String(error)}`);
  }
}
// Each repeat measures every trainer once, PyTorch included, so a busy moment of the machine
// falls on all of them alike rather than on one.
const samples = new Map<string, { threads: number; rates: number[] }>();
const note = (label: string, threads: number, rate: number) => {
  const entry = samples.get(label) ?? { threads, rates: [] };
  entry.rates.push(rate);
  samples.set(label, entry);
};
const torchLabel = (threads: number) => `PyTorch (CPU), ${threads} thread${threads > 1 ? 's' : ''}`;
for (let r = 0; r < repeats; r++) {
  for (const { name, threads } of available) {
    const { tf } = await loadBackend(name);
    note(`Lathe's loop on ${name}`, threads, lathesLoop(tf, data));
    if (name === 'wasm') note("tf.layers' model.fit on wasm", threads, await layersFit(tf, data));
  }
  if (torchPython) for (const threads of new Set(available.map((backend) => backend.threads))) note(torchLabel(threads), threads, torchRate(torchPython, threads));
}
const versions = torchPython ? ` (PyTorch ${spawnSync(torchPython, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim()})` : '';
console.log(`\n  ${'trainer'.padEnd(34)}${'threads'.padEnd(9)}${'samples/s'.padEnd(34)}beside PyTorch${versions}`);
for (const [label, { threads, rates }] of samples) {
  const rate = figure(rates);
  const torch = label.startsWith('PyTorch') ? undefined : samples.get(torchLabel(threads));
  let beside = '';
  if (torch) {
    const ratio = figure(torch.rates).best / rate.best;
    beside = ratio >= 1 ? `PyTorch ${ratio.toFixed(2)}× as fast` : `${(1 / ratio).toFixed(2)}× as fast as PyTorch`;
  }
  console.log(`  ${label.padEnd(34)}${String(threads).padEnd(9)}${spread(rate).padEnd(34)}${beside}`);
}

const dir = await mkdtemp(join(tmpdir(), 'lathe-bench-train-'));
try {
  await accuracy(findPython('sklearn'), dir);
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.exit(0); // the TensorFlow.js backends loaded on this thread keep no reason to stay
