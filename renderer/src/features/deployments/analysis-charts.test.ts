import { describe, expect, it } from 'vitest';
import { AbSpec, CanarySpec, ShadowSpec, type AnalysisRecord } from '../../../../shared/contract/agent-admin.ts';
import { analysisCharts } from './analysis-charts.tsx';

const arm = (version: string, requests: number, errorRate: number | null, p99Ms: number | null, disagreement: number | null = null) => ({ version, requests, errors: 0, errorRate, p99Ms, compared: disagreement === null ? 0 : requests, disagreement });

const records: AnalysisRecord[] = [
  { at: '2026-11-30T10:00:01Z', step: 0, weight: 50, stable: arm('1', 25, 0, 3), candidate: arm('2', 24, 0, 4, 0.62), verdict: 'failed', reason: 'disagreement 0.62 > 0.10' },
  { at: '2026-11-30T10:00:02Z', step: 0, weight: 50, stable: arm('1', 26, 0, 3), candidate: arm('2', 0, null, null, null), verdict: 'failed', reason: 'candidate had 0 requests, needs 10' },
];

describe('a rollout’s analysis charts', () => {
  it('draws both arms of each metric by time against the canary’s own thresholds', () => {
    const spec = CanarySpec.parse({ strategy: 'canary', model: 'penguins', steps: [50, 100], analysis: { maxDisagreement: 0.05 } });
    const charts = analysisCharts({ analyses: records, spec });
    expect(charts.map((chart) => [chart.title, chart.threshold?.value])).toEqual([
      ['Error rate', 0.01],
      ['p99 latency', 500],
      ['Disagreement with stable', 0.05],
      ['Requests per interval', 10],
    ]);
    expect(charts[2]!.lines.map((line) => line.key)).toEqual(['candidate']);
    expect(charts[1]!.rows).toEqual([
      { t: Date.parse('2026-11-30T10:00:01Z'), stable: 3, candidate: 4 },
      // An interval the candidate had no requests in leaves a gap, not a zero.
      { t: Date.parse('2026-11-30T10:00:02Z'), stable: 3, candidate: null },
    ]);
    expect(charts[0]!.format(0.0123)).toBe('1.23%');
  });

  it('draws no threshold for a shadow rollout: it is measured, not judged', () => {
    const charts = analysisCharts({ analyses: records, spec: ShadowSpec.parse({ strategy: 'shadow', model: 'penguins' }) });
    expect(charts.every((chart) => chart.threshold === undefined)).toBe(true);
  });

  it('leaves out disagreement for an A/B test, whose arms answer different callers', () => {
    const charts = analysisCharts({ analyses: records, spec: AbSpec.parse({ strategy: 'ab', model: 'penguins' }) });
    expect(charts.map((chart) => chart.title)).toEqual(['Error rate', 'p99 latency', 'Requests per interval']);
  });
});
