import { describe, expect, it } from 'vitest';
import { CanaryAnalysisSpec, type ArmMeasurement } from '../../../shared/contract/agent-admin.ts';
import { judgeCanary } from './canary-analysis.ts';

const analysis = CanaryAnalysisSpec.parse({ minRequests: 10 });
const candidate = (measured: Partial<ArmMeasurement>): ArmMeasurement => ({ version: '2', requests: 20, errors: 0, errorRate: 0, p99Ms: 12, compared: 20, disagreement: 0, ...measured });

describe('one interval of canary analysis', () => {
  it('passes a candidate within every threshold, saying each figure', () => {
    expect(judgeCanary(analysis, candidate({}))).toEqual({ verdict: 'passed', reason: 'error rate 0.00 ≤ 0.01, p99 12 ms ≤ 500 ms, disagreement 0.00 ≤ 0.10 over 20 requests' });
  });

  it('fails too few requests, and names every threshold crossed', () => {
    expect(judgeCanary(analysis, candidate({ requests: 9 })).verdict).toBe('failed');
    expect(judgeCanary(analysis, candidate({ errors: 4, errorRate: 0.2, p99Ms: 900, disagreement: 0.5 })).reason).toBe(
      'error rate 0.20 > 0.01 (4 of 20 requests failed); p99 latency 900 ms > 500 ms; disagreement with stable 0.50 > 0.10 (10 of 20 rows differ)',
    );
  });

  it('fails a disagreement that could not be measured: a missing metric never passes', () => {
    expect(judgeCanary(analysis, candidate({ compared: 0, disagreement: null }))).toEqual({
      verdict: 'failed',
      reason: "disagreement with stable not measured (none of the candidate's predictions this interval could be compared with stable's)",
    });
    expect(judgeCanary(analysis, candidate({ errors: 20, errorRate: 1, p99Ms: null, compared: 0, disagreement: null }))).toEqual({ verdict: 'failed', reason: 'error rate 1.00 > 0.01 (20 of 20 requests failed)' });
  });
});
