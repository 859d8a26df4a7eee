// Runs logged straight into a workspace's tracking store, in-process, as training would log
// them: for `npm run bench:compare` (10,000 runs, 100 of them 10,000 steps long) and for the
// Experiments end-to-end spec (a few runs with an evaluation.json, against two versions of the
// sample dataset). Deterministic for a seed. Run as a script:
//   node main/scripts/sample-runs.ts --workspace DIR [--runs 40] [--long 0] [--steps 10000] [--evaluation] [--running 0]
// prints the runs' ids as JSON.
import { parseArgs } from 'node:util';
import type { DatasetInput } from '../../shared/contract/runs.ts';
import { trackingFor } from '../core/tracking/open-tracking.ts';
import type { TrackingStore } from '../core/tracking/tracking-store.ts';
import type { MetricPointInput } from '../core/tracking/tracking-input.ts';
import { Workspace } from '../core/workspace/workspace.ts';

export interface SampleRunsOptions {
  /** Runs with 20 to 60 epochs of loss, val_loss, accuracy, val_accuracy and test metrics. */
  runs: number;
  /** Of those, how many log `steps` steps of loss, val_loss and accuracy instead. */
  longRuns?: number;
  steps?: number;
  /** Of those, how many stay RUNNING (the last ones). */
  running?: number;
  /** Log an evaluation.json (confusion matrix, per-class scores) for each finished short run. */
  evaluation?: boolean;
  experiment?: string;
  /** Dataset versions the runs read, in turn (e.g. two versions of penguins). */
  datasets?: DatasetInput[];
  seed?: number;
}

const CLASSES = ['Adelie', 'Chinstrap', 'Gentoo'];
const CLASS_SHARE = [0.44, 0.2, 0.36];
const TEST_ROWS = 69;

/** mulberry32: a small seeded generator, so the same options make the same runs. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A confusion matrix of TEST_ROWS rows near `accuracy`, and the report training would write from it. */
function evaluationReport(accuracy: number, next: () => number) {
  const support = CLASS_SHARE.map((share) => Math.round(share * TEST_ROWS));
  const confusion = CLASSES.map((_, actual) => {
    const row = CLASSES.map(() => 0);
    for (let i = 0; i < support[actual]!; i++) {
      const right = next() < accuracy + (actual === 2 ? 0.04 : actual === 1 ? -0.08 : 0);
      // Chinstrap is mistaken for Adelie most, as in the real data.
      const wrong = actual === 0 ? (next() < 0.8 ? 1 : 2) : actual === 1 ? 0 : next() < 0.5 ? 0 : 1;
      row[right ? actual : wrong]! += 1;
    }
    return row;
  });
  const rows = support.reduce((sum, n) => sum + n, 0);
  const perClass = CLASSES.map((name, c) => {
    const tp = confusion[c]![c]!;
    const predicted = confusion.reduce((sum, row) => sum + row[c]!, 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support[c] === 0 ? 0 : tp / support[c]!;
    return { class: name, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), support: support[c]! };
  });
  const mean = (pick: (entry: (typeof perClass)[number]) => number) => perClass.reduce((sum, entry) => sum + pick(entry), 0) / perClass.length;
  const correct = confusion.reduce((sum, row, c) => sum + row[c]!, 0);
  return {
    task: 'classification',
    rows,
    accuracy: correct / rows,
    perClass,
    macro: { precision: mean((entry) => entry.precision), recall: mean((entry) => entry.recall), f1: mean((entry) => entry.f1) },
    rocAuc: Math.min(0.999, 0.5 + (correct / rows) * 0.5 + next() * 0.02),
    rocAucAverage: 'one-vs-rest macro',
    logLoss: Math.max(0.02, (1 - correct / rows) * 1.6 + next() * 0.05),
    confusion,
    classes: CLASSES,
  };
}

/** Log the sample runs; returns their ids, in the order made (the newest last). */
export async function logSampleRuns(tracking: TrackingStore, options: SampleRunsOptions): Promise<string[]> {
  const next = random(options.seed ?? 7);
  const steps = options.steps ?? 10_000;
  const longRuns = options.longRuns ?? 0;
  const running = options.running ?? 0;
  const now = Date.now();
  const ids: string[] = [];
  for (let index = 0; index < options.runs; index++) {
    const long = index < longRuns;
    const model = next() < 0.7 ? 'mlp' : 'linear';
    const hidden = model === 'mlp' ? ['64,32', '128', '32', '128,64'][Math.floor(next() * 4)]! : null;
    const learningRate = Number((10 ** -(1 + next() * 3)).toPrecision(2));
    const batchSize = [16, 32, 64, 128][Math.floor(next() * 4)]!;
    const epochs = long ? steps : 20 + Math.floor(next() * 41);
    const dropout = model === 'mlp' ? [0, 0.1, 0.2, 0.3][Math.floor(next() * 4)]! : 0;
    const quality = Math.min(0.99, 0.72 + 0.25 * next() - Math.abs(Math.log10(learningRate) + 2.5) * 0.05);
    const startTime = now - (options.runs - index) * 90_000 - Math.floor(next() * 60_000);
    const isRunning = index >= options.runs - running;
    const dataset = options.datasets?.length ? options.datasets[index % options.datasets.length]! : undefined;
    const run = tracking.createRun({
      experiment: options.experiment ?? 'penguins',
      name: `${model}-${index + 1}`,
      params: { model, ...(hidden ? { hidden } : {}), learningRate, batchSize, epochs, dropout, seed: index % 5, target: 'Species' },
      ...(dataset ? { datasets: [dataset] } : {}),
      gitCommit: (index % 3 === 0 ? 'a3f9c1d' : '7be2440').padEnd(40, '0'),
      environment: {
        backend: index % 4 === 0 ? 'wasm' : 'cpu',
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        libraries: { '@tensorflow/tfjs-core': '4.22.0', ...(index % 4 === 0 ? { '@tensorflow/tfjs-backend-wasm': '4.22.0' } : { '@tensorflow/tfjs-backend-cpu': '4.22.0' }) },
      },
      startTime,
    });
    ids.push(run.id);

    const keys = long ? ['loss', 'val_loss', 'accuracy'] : ['loss', 'val_loss', 'accuracy', 'val_accuracy'];
    const shown = isRunning ? Math.max(2, Math.floor(epochs / 3)) : epochs;
    const tau = epochs / (3 + next() * 3);
    const overfit = next() * 0.3;
    const points: MetricPointInput[] = [];
    for (let step = 0; step < shown; step++) {
      const decay = Math.exp(-step / tau);
      const noise = () => (next() - 0.5) * (long ? 0.03 : 0.04);
      const loss = 0.08 + (1.1 - quality) * 0.5 + 1.0 * decay + noise();
      const valLoss = loss + 0.05 + overfit * Math.max(0, step / epochs - 0.5) + noise();
      const accuracy = Math.min(1, quality * (1 - 0.6 * decay) + noise() / 2);
      const values: Record<string, number> = { loss, val_loss: valLoss, accuracy, val_accuracy: Math.min(1, accuracy - 0.02 + noise() / 2) };
      const timestamp = startTime + step * (long ? 20 : 1500);
      for (const key of keys) points.push({ key, value: values[key]!, step, timestamp });
    }
    for (let at = 0; at < points.length; at += 30_000) tracking.logMetrics(run.id, points.slice(at, at + 30_000));

    if (isRunning) continue;
    const failed = !long && index % 23 === 11;
    if (failed) {
      tracking.setTags(run.id, { 'lathe.failure': 'Training stopped: the loss became NaN at epoch 7 (try a lower learningRate).' });
      tracking.setStatus(run.id, 'FAILED', startTime + shown * 1500);
      continue;
    }
    const report = evaluationReport(quality, next);
    tracking.logMetrics(run.id, [
      { key: 'test_accuracy', value: report.accuracy, step: epochs, timestamp: startTime + epochs * 1500 },
      { key: 'test_f1_macro', value: report.macro.f1, step: epochs, timestamp: startTime + epochs * 1500 },
      { key: 'test_log_loss', value: report.logLoss, step: epochs, timestamp: startTime + epochs * 1500 },
    ]);
    if (options.evaluation && !long) await tracking.logArtifact(run.id, 'evaluation.json', new TextEncoder().encode(JSON.stringify(report, null, 2)));
    tracking.setStatus(run.id, 'FINISHED', startTime + epochs * (long ? 20 : 1500));
  }
  return ids;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      workspace: { type: 'string' },
      runs: { type: 'string', default: '40' },
      long: { type: 'string', default: '0' },
      steps: { type: 'string', default: '10000' },
      running: { type: 'string', default: '0' },
      evaluation: { type: 'boolean', default: false },
      experiment: { type: 'string', default: 'penguins' },
      dataset: { type: 'string', multiple: true, default: [] },
    },
  });
  if (!values.workspace) throw new Error('--workspace DIR is needed');
  const workspace = await Workspace.open(values.workspace);
  try {
    const datasets = values.dataset.map((text) => {
      const [ref, contentHash] = text.split('=');
      const [name, version] = ref!.split('@');
      return { name: name!, version: version ? Number(version) : null, contentHash: contentHash! };
    });
    const ids = await logSampleRuns(trackingFor(workspace, null), {
      runs: Number(values.runs),
      longRuns: Number(values.long),
      steps: Number(values.steps),
      running: Number(values.running),
      evaluation: values.evaluation,
      experiment: values.experiment,
      datasets,
    });
    console.log(JSON.stringify(ids));
  } finally {
    await workspace.close();
  }
}
