// Test helper: log metric batches into a workspace's tracking store until killed, printing
// "batch <n>" after each one has committed (written synchronously, so a line is never printed
// for a batch that did not commit). The crash test kills this process after the n-th line.
//   node tracking-crash-child.ts <workspace> <points per batch> <keys>
import { writeSync } from 'node:fs';
import { Workspace } from '../workspace/workspace.ts';
import { trackingFor } from './open-tracking.ts';

const [path, perBatch, keyCount] = process.argv.slice(2);
const size = Number(perBatch);
const keys = Array.from({ length: Number(keyCount) }, (_, k) => `metric_${k}`);
const workspace = await Workspace.open(path!);
const tracking = trackingFor(workspace, null);
const run = tracking.createRun({ experiment: 'crash', name: `batches of ${size}` });
writeSync(1, `run ${run.id}\n`);
for (let batch = 0; ; batch += 1) {
  const points = [];
  for (let i = 0; i < size; i += 1) {
    const n = batch * size + i;
    for (const key of keys) points.push({ key, value: n + 0.5, step: n, timestamp: 1_700_000_000_000 + n });
  }
  tracking.logMetrics(run.id, points);
  writeSync(1, `batch ${batch}\n`);
}
