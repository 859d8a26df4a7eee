import type { ArmOutcome, Experiment } from '../../../shared/contract/agent-admin.ts';
import { meanInterval, meanSampleSize, proportionSampleSize, twoProportionZ, welchT, wilsonInterval, type MeanArm } from './ab-stats.ts';
import type { ArmCounts, RolloutRecord } from './rollout-record.ts';

/** An A/B rollout's outcome so far, per arm, with its test and power analysis, from the persisted counts. */
export function experimentOf(record: RolloutRecord): Experiment {
  const { metric, unkeyed, stable, candidate } = record.outcomes;
  const arm = (version: string, counts: ArmCounts): ArmOutcome => ({
    version,
    routed: counts.routed,
    n: counts.n,
    successes: metric === 'reward' ? null : counts.successes,
    mean: counts.n === 0 ? null : counts.sum / counts.n,
    ci95: metric === 'accuracy' ? wilsonInterval(counts) : metric === 'reward' ? meanInterval(meanOf(counts)) : null,
  });
  const result: Experiment = { metric, stable: arm(record.stable.version, stable), candidate: arm(record.candidate.version, candidate), unkeyed, test: null, power: null };
  if (metric === null) return result;
  const test = metric === 'accuracy' ? twoProportionZ(stable, candidate) : welchT(meanOf(stable), meanOf(candidate));
  const needed = metric === 'accuracy' ? proportionSampleSize(stable, candidate) : meanSampleSize(meanOf(stable), meanOf(candidate));
  if (test) result.test = { kind: metric === 'accuracy' ? 'two-proportion-z' : 'welch-t', ...test };
  if (needed !== null) result.power = { neededPerArm: needed, remainingPerArm: Math.max(0, needed - Math.min(stable.n, candidate.n)) };
  return result;
}

function meanOf(counts: ArmCounts): MeanArm {
  const mean = counts.n === 0 ? 0 : counts.sum / counts.n;
  const variance = counts.n < 2 ? 0 : Math.max(0, (counts.sumSquares - counts.n * mean * mean) / (counts.n - 1));
  return { n: counts.n, mean, variance };
}
