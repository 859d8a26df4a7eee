import type { ArmMeasurement, CanaryAnalysisSpec } from '../../../shared/contract/agent-admin.ts';

/**
 * One interval's verdict on a canary, from what the agent measured of it: too few requests fails
 * (missing metrics never pass, unlike a silent Prometheus query), then error rate, p99 latency and
 * disagreement with stable, each against its threshold; a disagreement that could not be measured
 * (stable did not answer the comparisons) fails too. The reason names every metric that failed.
 */
export function judgeCanary(analysis: CanaryAnalysisSpec, candidate: ArmMeasurement): { verdict: 'passed' | 'failed'; reason: string } {
  if (candidate.requests < analysis.minRequests) {
    return { verdict: 'failed', reason: `too few requests to judge: the candidate answered ${candidate.requests} this interval, the analysis needs at least ${analysis.minRequests}` };
  }
  const failed: string[] = [];
  const rate = candidate.errorRate ?? 0;
  if (rate > analysis.maxErrorRate) failed.push(`error rate ${format(rate)} > ${format(analysis.maxErrorRate)} (${candidate.errors} of ${candidate.requests} requests failed)`);
  if (candidate.p99Ms !== null && candidate.p99Ms > analysis.maxP99Ms) failed.push(`p99 latency ${Math.round(candidate.p99Ms)} ms > ${analysis.maxP99Ms} ms`);
  const disagreement = candidate.disagreement;
  if (disagreement === null) {
    // Said only when nothing else failed: a candidate whose every request threw has nothing to compare.
    if (failed.length === 0) failed.push('disagreement with stable not measured (none of the candidate\'s predictions this interval could be compared with stable\'s)');
  } else if (disagreement > analysis.maxDisagreement) {
    failed.push(`disagreement with stable ${format(disagreement)} > ${format(analysis.maxDisagreement)} (${Math.round(disagreement * candidate.compared)} of ${candidate.compared} rows differ)`);
  }
  if (failed.length > 0 || disagreement === null) return { verdict: 'failed', reason: failed.join('; ') };
  return {
    verdict: 'passed',
    reason: `error rate ${format(rate)} ≤ ${format(analysis.maxErrorRate)}, p99 ${Math.round(candidate.p99Ms ?? 0)} ms ≤ ${analysis.maxP99Ms} ms, disagreement ${format(disagreement)} ≤ ${format(analysis.maxDisagreement)} over ${candidate.requests} requests`,
  };
}

function format(value: number): string {
  return value.toFixed(value !== 0 && value < 0.01 ? 4 : 2);
}
