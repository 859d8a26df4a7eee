import { describe, expect, it } from 'vitest';
import { describeGpus, gpuMetrics, parseNvidiaSmi, sampleGpus } from './gpu-sampler.ts';

// Recorded from `nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits`.
const H200 = '0, NVIDIA H200, 0, 0, 143771\n';
const MIXED = [
  '0, NVIDIA A100-SXM4-80GB, 97, 61234, 81920',
  '1, NVIDIA GeForce RTX 3090, 12, 2048, 24576',
  '2, Tesla K80, [N/A], [N/A], 11441',
  '3, NVIDIA Graphics Device, [Not Supported], 10, 16384',
  '',
].join('\r\n');

describe("nvidia-smi's CSV", () => {
  it('reads each GPU, with readings it does not report as null', () => {
    expect(parseNvidiaSmi(H200)).toEqual([{ index: 0, name: 'NVIDIA H200', utilization: 0, memoryUsedMiB: 0, memoryTotalMiB: 143771 }]);
    expect(parseNvidiaSmi(MIXED).map((gpu) => [gpu.index, gpu.name, gpu.utilization, gpu.memoryUsedMiB, gpu.memoryTotalMiB])).toEqual([
      [0, 'NVIDIA A100-SXM4-80GB', 97, 61234, 81920],
      [1, 'NVIDIA GeForce RTX 3090', 12, 2048, 24576],
      [2, 'Tesla K80', null, null, 11441],
      [3, 'NVIDIA Graphics Device', null, 10, 16384],
    ]);
  });

  it('keeps a name that holds a comma, and skips lines it cannot read', () => {
    const gpus = parseNvidiaSmi('0, Acme, Inc. Accelerator, 5, 100, 1000\nNo devices were found\n-1, x, 1, 2, 3\n');
    expect(gpus).toEqual([{ index: 0, name: 'Acme, Inc. Accelerator', utilization: 5, memoryUsedMiB: 100, memoryTotalMiB: 1000 }]);
    expect(parseNvidiaSmi('')).toEqual([]);
  });

  it("becomes MLflow's system metrics and one line for the run's tags", () => {
    expect(gpuMetrics(parseNvidiaSmi(MIXED)).slice(0, 3)).toEqual([
      { key: 'system/gpu_0_utilization_percentage', value: 97 },
      { key: 'system/gpu_0_memory_usage_megabytes', value: 61234 },
      { key: 'system/gpu_0_memory_usage_percentage', value: 74.7 },
    ]);
    expect(gpuMetrics(parseNvidiaSmi(MIXED)).filter((point) => point.key.startsWith('system/gpu_2'))).toEqual([]);
    expect(describeGpus(parseNvidiaSmi(H200))).toBe('0: NVIDIA H200 (143771 MiB)');
    expect(describeGpus([])).toBe('no GPU seen (nvidia-smi listed none)');
  });
});

describe('sampling', () => {
  it('says "no GPU seen" and logs nothing where nvidia-smi is absent', async () => {
    const logged: unknown[] = [];
    const sampling = sampleGpus(async () => null, (points) => logged.push(points), 10);
    expect(await sampling.seen).toMatch(/^no GPU seen \(nvidia-smi is not on PATH/);
    sampling.stop();
    expect(logged).toEqual([]);
  });

  it('logs each sample with its number as the step, until stopped', async () => {
    const logged: { key: string; step: number }[][] = [];
    let second: () => void = () => {};
    const sampledTwice = new Promise<void>((resolve) => (second = resolve));
    const sampling = sampleGpus(
      async () => H200,
      (points) => {
        logged.push(points);
        if (logged.length === 2) second();
      },
      1,
    );
    expect(await sampling.seen).toBe('0: NVIDIA H200 (143771 MiB)');
    await sampledTwice;
    sampling.stop();
    expect(logged[0]!.map((point) => point.step)).toEqual([0, 0, 0]);
    expect(logged[1]!.map((point) => point.step)).toEqual([1, 1, 1]);
  });
});
