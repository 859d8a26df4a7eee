// npm run bench:sweep — what running a sweep's trials side by side buys: a sweep of 20 runs of
// the built-in MLP with 2 in parallel, beside the same 20 runs trained one after another
// (training:start, then training:wait) in the same process, on the same data, with the same
// params. Both do the same work (no early termination); the ratio is sequential ÷ sweep. A sweep
// run one trial at a time is timed too: what the sweep itself costs beside plain training calls.
//
// Data: the penguins sample (344 rows, where starting a run's worker weighs as much as training
// it), or with LATHE_BENCH_BYTES a generated table of about that many bytes (target: species).
// LATHE_BENCH_EPOCHS sets the epochs per run (default 30), LATHE_BENCH_PARALLEL the sweep's
// parallel (default 2), LATHE_BENCH_RUNS the runs (default 20).
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallName, InputOf, OutputOf } from '../../shared/contract/calls.ts';
import { dispatch } from '../core/dispatch.ts';
import { LatheFailure } from '../core/errors.ts';
import { createLatheCore } from '../core/lathe-core.ts';
import { writeSyntheticCsv } from '../core/testing/generate-table.ts';
import { plannedTrials } from '../core/sweeps/search-space.ts';

const RUNS = Number(process.env.LATHE_BENCH_RUNS ?? 20);
const PARALLEL = Number(process.env.LATHE_BENCH_PARALLEL ?? 2);
const EPOCHS = Number(process.env.LATHE_BENCH_EPOCHS ?? 30);
const BYTES = process.env.LATHE_BENCH_BYTES ? Number(process.env.LATHE_BENCH_BYTES) : null;

const root = await mkdtemp(join(tmpdir(), 'lathe-bench-sweep-'));
const core = createLatheCore({ frontDoor: 'cli', version: 'bench', stateDir: join(root, 'state'), defaultWorkspace: join(root, 'default') });
const call = async <N extends CallName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> => {
  const result = await dispatch(core.handlers, name, input);
  if (!result.ok) throw new LatheFailure(result.error);
  return result.value as OutputOf<N>;
};

try {
  const { path: workspace } = await call('workspace:create', { path: join(root, 'ws') });
  let dataset: { name: string; target: string; rows: number };
  if (BYTES === null) {
    await call('datasets:import-sample', { workspace });
    dataset = { name: 'penguins', target: 'Species', rows: 344 };
  } else {
    const file = join(root, 'generated.csv');
    const { rows } = await writeSyntheticCsv(file, BYTES);
    await call('datasets:import-file', { workspace, path: file, name: 'generated' });
    dataset = { name: 'generated', target: 'species', rows };
  }
  // 20 distinct trials: 5 learning rates × 4 shapes (cut to RUNS).
  const parameters = { learningRate: { values: [0.03, 0.01, 0.003, 0.001, 0.0003] }, hidden: { values: [[16], [32], [32, 16], [64, 32]] } };
  const fixed = { epochs: EPOCHS, earlyStoppingPatience: 0 };
  const trials = plannedTrials({ method: 'grid', parameters, runCap: RUNS }, 0);

  console.log(`bench:sweep — ${trials.length} runs of the built-in MLP on ${dataset.name} (${dataset.rows.toLocaleString('en')} rows), ${EPOCHS} epochs each`);
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`machine: ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores, load average ${load()} (figures mean little when it is above the cores)`);

  // Warm-up: the first run loads TensorFlow.js's backend from disk; neither side should pay for it.
  const warm = await call('training:start', { workspace, dataset: dataset.name, target: dataset.target, model: 'mlp', epochs: 1, experiment: 'warm-up' });
  await call('training:wait', { workspace, runId: warm.runId });

  const sequentialStarted = performance.now();
  for (const params of trials) {
    const started = await call('training:start', { workspace, dataset: dataset.name, target: dataset.target, model: 'mlp', ...fixed, ...(params as object), experiment: 'sequential' });
    const summary = await call('training:wait', { workspace, runId: started.runId });
    if (summary.status !== 'FINISHED') throw new Error(`sequential run ${summary.runId} ${summary.status}: ${summary.error?.message}`);
  }
  const sequential = (performance.now() - sequentialStarted) / 1000;

  /** The same trials as one sweep, `parallel` at a time; its wall time in seconds. */
  const sweepSeconds = async (parallel: number) => {
    const started = performance.now();
    const sweep = await call('sweeps:create', {
      workspace,
      spec: {
        name: `bench ${parallel}`,
        train: { kind: 'builtin', dataset: dataset.name, target: dataset.target, model: 'mlp', fixed, experiment: `sweep-${parallel}` },
        method: 'grid',
        metric: { name: 'val_loss', goal: 'minimize' },
        parameters,
        runCap: RUNS,
        parallel,
      },
      wait: true,
    });
    if (sweep.status !== 'finished' || sweep.counts.finished !== trials.length) throw new Error(`the sweep ${sweep.status}: ${JSON.stringify(sweep.counts)} ${sweep.error?.message ?? ''}`);
    return { seconds: (performance.now() - started) / 1000, sweep };
  };
  // One at a time shows what the sweep itself costs; PARALLEL at a time, what running side by side buys.
  const single = await sweepSeconds(1);
  const { seconds: swept, sweep } = await sweepSeconds(PARALLEL);

  const row = (label: string, seconds: number) => `  ${label.padEnd(34)} ${seconds.toFixed(1).padStart(7)} s   ${(seconds / trials.length).toFixed(2).padStart(6)} s/run`;
  console.log(row(`${trials.length} runs one after another`, sequential));
  console.log(row('sweep, 1 at a time', single.seconds));
  console.log(row(`sweep, ${PARALLEL} in parallel`, swept));
  console.log(`  sweep overhead (1 at a time ÷ one after another): ${(single.seconds / sequential).toFixed(2)}×`);
  console.log(`  ratio (one after another ÷ sweep of ${PARALLEL}): ${(sequential / swept).toFixed(2)}×  — best ${sweep.metric.name} ${sweep.best?.metric.toPrecision(4)} (trial #${sweep.best?.number})`);
  console.log(`  load average at the end: ${load()}`);
} finally {
  await core.close();
  await rm(root, { recursive: true, force: true });
}
