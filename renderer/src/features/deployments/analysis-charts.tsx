import { useMemo } from 'react';
import type { AnalysisRecord, RolloutStatus } from '../../../../shared/contract/agent-admin.ts';
import { LINE_COLORS, TimeSeriesChart, type TimeLine, type TimeRow } from '../monitoring/time-series-chart.tsx';

const percent = (value: number) => `${Number((value * 100).toPrecision(3))}%`;
const ms = (value: number) => `${Number(value.toPrecision(3))} ms`;
const count = (value: number) => Math.round(value).toLocaleString();

export interface AnalysisChart {
  readonly title: string;
  readonly rows: TimeRow[];
  readonly lines: readonly TimeLine[];
  readonly format: (value: number) => string;
  readonly threshold: { readonly value: number; readonly label: string } | undefined;
}

const stable: TimeLine = { key: 'stable', label: 'Stable', color: LINE_COLORS.stable };
const candidate: TimeLine = { key: 'candidate', label: 'Candidate', color: LINE_COLORS.candidate };

/**
 * The analysis charts of a rollout: error rate, p99 latency, disagreement with stable and the
 * requests each interval had, both arms by time, with the canary's threshold on each (shadow and
 * A/B rollouts are measured, not judged: no threshold; an A/B test compares no predictions).
 */
export function analysisCharts(rollout: Pick<RolloutStatus, 'analyses' | 'spec'>): AnalysisChart[] {
  const limits = rollout.spec.strategy === 'canary' ? rollout.spec.analysis : null;
  const rows = (pick: (record: AnalysisRecord) => [number | null, number | null]) =>
    rollout.analyses.map((record) => {
      const [forStable, forCandidate] = pick(record);
      return { t: Date.parse(record.at), stable: forStable, candidate: forCandidate } as TimeRow;
    });
  const charts: AnalysisChart[] = [
    { title: 'Error rate', rows: rows((r) => [r.stable.errorRate, r.candidate.errorRate]), lines: [stable, candidate], format: percent, threshold: limits ? { value: limits.maxErrorRate, label: 'At most' } : undefined },
    { title: 'p99 latency', rows: rows((r) => [r.stable.p99Ms, r.candidate.p99Ms]), lines: [stable, candidate], format: ms, threshold: limits ? { value: limits.maxP99Ms, label: 'At most' } : undefined },
    {
      title: 'Disagreement with stable',
      rows: rows((r) => [null, r.candidate.disagreement]),
      lines: [candidate],
      format: percent,
      threshold: limits ? { value: limits.maxDisagreement, label: 'At most' } : undefined,
    },
    { title: 'Requests per interval', rows: rows((r) => [r.stable.requests, r.candidate.requests]), lines: [stable, candidate], format: count, threshold: limits ? { value: limits.minRequests, label: 'Candidate needs' } : undefined },
  ];
  // An A/B test's arms answer different callers: their predictions are never compared.
  return rollout.spec.strategy === 'ab' ? charts.filter((chart) => chart.title !== 'Disagreement with stable') : charts;
}

/** Each analysis metric over time for both arms, the threshold the candidate is held to drawn across. */
export function AnalysisCharts({ rollout }: { rollout: Pick<RolloutStatus, 'analyses' | 'spec'> }) {
  const charts = useMemo(() => analysisCharts(rollout), [rollout]);
  if (rollout.analyses.length === 0) {
    return <p className="faint">No analysis yet: the first comes when the first interval ends. Each compares the candidate’s error rate, p99 latency and predictions with stable’s.</p>;
  }
  return (
    <div className="analysis-charts">
      {charts.map((chart) => (
        <TimeSeriesChart key={chart.title} title={chart.title} rows={chart.rows} lines={chart.lines} format={chart.format} threshold={chart.threshold} />
      ))}
    </div>
  );
}
