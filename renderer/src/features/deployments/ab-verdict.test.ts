import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../../../shared/contract/agent-admin.ts';
import { abVerdict } from './ab-verdict.ts';

const arm = (version: string, n: number, mean: number | null) => ({ version, routed: n * 2, n, successes: mean === null ? null : Math.round(mean * n), mean, ci95: mean === null ? null : ([mean - 0.05, mean + 0.05] as [number, number]) });

describe('what an A/B test says so far', () => {
  it('says where outcomes go before there are any', () => {
    const empty: Experiment = { metric: null, stable: arm('1', 0, null), candidate: arm('2', 0, null), unkeyed: 0, test: null, power: null };
    expect(abVerdict(empty, 'churn').detail).toContain('POST /v2/models/churn/feedback');
  });

  it('names the difference, the test and whether it is more than chance, and the outcomes still needed', () => {
    const running: Experiment = {
      metric: 'accuracy',
      stable: arm('1', 400, 0.9),
      candidate: arm('2', 380, 0.93),
      unkeyed: 0,
      test: { kind: 'two-proportion-z', statistic: 1.5, pValue: 0.13, effect: 0.03 },
      power: { neededPerArm: 1_500, remainingPerArm: 1_120 },
    };
    expect(abVerdict(running, 'churn')).toEqual({
      headline: 'The candidate’s accuracy is 3.0 points better than stable’s (p = 0.130, two-proportion z-test): not distinguishable from chance yet.',
      detail: `About ${(1120).toLocaleString()} more outcomes per arm to detect a difference this size reliably (${(1500).toLocaleString()} per arm, 80 % power).`,
    });
    const decided = { ...running, test: { kind: 'welch-t' as const, statistic: -4, pValue: 0.0004, effect: -0.2 }, metric: 'reward' as const, stable: arm('1', 900, 1.2), candidate: arm('2', 900, 1.0), power: { neededPerArm: 300, remainingPerArm: 0 } };
    expect(abVerdict(decided, 'churn').headline).toBe('The candidate’s mean reward is 0.200 worse than stable’s (p < 0.001, Welch’s t-test): a real difference at the 5 % level.');
    expect(abVerdict(decided, 'churn').detail).toMatch(/^Enough outcomes/);
  });

  it('calls a difference that rounds to nothing the same', () => {
    const tie: Experiment = { metric: 'accuracy', stable: arm('1', 30, 1), candidate: arm('2', 36, 1), unkeyed: 0, test: { kind: 'two-proportion-z', statistic: 0, pValue: 1, effect: 0 }, power: null };
    expect(abVerdict(tie, 'churn').headline).toBe('The candidate’s accuracy is the same as stable’s (p = 1.000, two-proportion z-test): not distinguishable from chance yet.');
  });
});
