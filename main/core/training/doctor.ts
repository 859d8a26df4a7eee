import { availableParallelism, cpus, totalmem } from 'node:os';
import { backendNames, type DoctorReport } from '../../../shared/contract/training.ts';
import { trainingMemoryLimit } from './model-spec.ts';
import { probeInWorker } from './training-worker-client.ts';

/**
 * Which TensorFlow.js backends this machine can train on, found or not and why (`app:doctor`,
 * `lathe doctor`). The check runs in a training worker, as training does, so it loads
 * TensorFlow.js where training would and never on the calling thread.
 */
export async function doctor(workerUrl: URL, wasmDir: string | undefined): Promise<DoctorReport> {
  const probe = await probeInWorker(workerUrl, wasmDir);
  const selected = backendNames.find((name) => probe.reports.some((report) => report.name === name && report.available)) ?? 'cpu';
  return {
    backends: probe.reports.map((report) => ({ ...report, selected: report.name === selected })),
    selected,
    machine: {
      platform: process.platform,
      arch: process.arch,
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      cores: availableParallelism(),
      memoryBytes: totalmem(),
      gpu: probe.gpu,
    },
    node: process.version,
    trainingMemoryLimitBytes: trainingMemoryLimit(selected),
  };
}
