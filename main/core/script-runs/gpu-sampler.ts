import { execFile } from 'node:child_process';

/**
 * The GPUs a script run saw, from `nvidia-smi` where it is on PATH: named once in the run's
 * tags (`lathe.gpus`), and sampled every few seconds into its system metrics with MLflow's
 * names (`system/gpu_0_utilization_percentage`, `system/gpu_0_memory_usage_megabytes`,
 * `system/gpu_0_memory_usage_percentage`), so they chart beside what MLflow's own system
 * metrics monitor logs. Where nvidia-smi is absent or fails, the run says "no GPU seen" and
 * nothing more is tried.
 */
export const NVIDIA_SMI_ARGS = ['--query-gpu=index,name,utilization.gpu,memory.used,memory.total', '--format=csv,noheader,nounits'] as const;

export interface GpuSample {
  index: number;
  name: string;
  /** Percent busy over the last sample period; null where the GPU does not report it ("[N/A]"). */
  utilization: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
}

/** nvidia-smi's CSV (noheader, nounits) as samples; lines it cannot read are skipped. */
export function parseNvidiaSmi(csv: string): GpuSample[] {
  const samples: GpuSample[] = [];
  for (const line of csv.split(/\r?\n/)) {
    if (line.trim().length === 0) continue;
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length < 5) continue;
    // A name may hold commas: the first cell is the index, the last three are numbers.
    const [indexText, ...rest] = cells;
    const [utilization, used, total] = rest.slice(-3).map(reading);
    const index = Number(indexText);
    if (!Number.isSafeInteger(index) || index < 0) continue;
    samples.push({ index, name: rest.slice(0, -3).join(', '), utilization: utilization ?? null, memoryUsedMiB: used ?? null, memoryTotalMiB: total ?? null });
  }
  return samples;
}

function reading(cell: string): number | null {
  if (!/^\d+(\.\d+)?$/.test(cell)) return null; // "[N/A]", "[Not Supported]", "ERR!"
  return Number(cell);
}

/** The metric points of one sample, MLflow's system-metrics names. */
export function gpuMetrics(samples: readonly GpuSample[]): { key: string; value: number }[] {
  return samples.flatMap((gpu) => {
    const prefix = `system/gpu_${gpu.index}`;
    const points: { key: string; value: number }[] = [];
    if (gpu.utilization !== null) points.push({ key: `${prefix}_utilization_percentage`, value: gpu.utilization });
    if (gpu.memoryUsedMiB !== null) points.push({ key: `${prefix}_memory_usage_megabytes`, value: gpu.memoryUsedMiB });
    if (gpu.memoryUsedMiB !== null && gpu.memoryTotalMiB) points.push({ key: `${prefix}_memory_usage_percentage`, value: Math.round((gpu.memoryUsedMiB / gpu.memoryTotalMiB) * 1000) / 10 });
    return points;
  });
}

/** The GPUs, as the run's lathe.gpus tag says them. */
export function describeGpus(samples: readonly GpuSample[]): string {
  if (samples.length === 0) return 'no GPU seen (nvidia-smi listed none)';
  return samples.map((gpu) => `${gpu.index}: ${gpu.name}${gpu.memoryTotalMiB ? ` (${gpu.memoryTotalMiB} MiB)` : ''}`).join('; ');
}

/** Runs nvidia-smi once: its stdout, or null where it is not on PATH or fails. */
export type QueryGpus = () => Promise<string | null>;

export const queryNvidiaSmi: QueryGpus = () =>
  new Promise((resolve) => {
    execFile('nvidia-smi', NVIDIA_SMI_ARGS, { timeout: 10_000, maxBuffer: 1024 * 1024, windowsHide: true }, (error, stdout) => resolve(error ? null : stdout));
  });

export interface GpuSampling {
  /** What the first query found, for the run's tags. */
  seen: Promise<string>;
  stop(): void;
}

/**
 * Sample now, then every `intervalMs` until stopped; each sample goes to `log` with its number
 * as the step. A query that fails after the first is skipped; three in a row stop the sampling.
 */
export function sampleGpus(query: QueryGpus, log: (points: { key: string; value: number; step: number }[]) => void, intervalMs: number): GpuSampling {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let step = 0;
  let failures = 0;
  const take = async (): Promise<GpuSample[] | null> => {
    const csv = await query();
    if (stopped) return null;
    const samples = csv === null ? null : parseNvidiaSmi(csv);
    if (samples && samples.length > 0) {
      failures = 0;
      const points = gpuMetrics(samples).map((point) => ({ ...point, step }));
      step++;
      try {
        log(points);
      } catch {
        // a run deleted meanwhile: the sampling has nothing to add to
      }
    } else failures++;
    return samples;
  };
  const next = () => {
    if (stopped || failures >= 3) return;
    timer = setTimeout(() => void take().then(next), intervalMs);
    timer.unref();
  };
  const seen = take().then((samples) => {
    if (samples === null) return csvMissing();
    if (samples.length > 0) next();
    return describeGpus(samples);
  });
  return {
    seen,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

function csvMissing(): string {
  return 'no GPU seen (nvidia-smi is not on PATH, or it failed)';
}
