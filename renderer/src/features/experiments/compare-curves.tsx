import { useMemo } from 'react';
import type { Comparison } from './compare-slice.ts';
import { curveMetrics } from './metric-groups.ts';
import { OverlaidChart, type ComparedRun } from './overlaid-chart.tsx';

/** One chart per metric the compared runs logged over steps, each run a line in its colour. */
export function CompareCurves({
  comparison,
  runs,
  chartWidth,
  highlighted,
  onHighlight,
}: {
  comparison: Comparison | null;
  runs: readonly ComparedRun[];
  chartWidth: number;
  highlighted: string | null;
  onHighlight: (runId: string | null) => void;
}) {
  const metrics = useMemo(() => curveMetrics([...new Set(runs.flatMap(({ run }) => Object.keys(run.metrics)))]), [runs]);
  if (!comparison || comparison.status === 'loading') {
    return (
      <div className="experiments-loading" aria-busy="true">
        <div className="spinner" />
      </div>
    );
  }
  if (metrics.length === 0) return <p className="run-section__empty">None of these runs logged metrics over steps.</p>;
  if (chartWidth === 0) return null;
  return (
    <div className="compare-curves">
      {metrics.map((metric) => (
        <OverlaidChart key={metric} metric={metric} chart={comparison.charts[metric]} runs={runs} width={chartWidth} highlighted={highlighted} onHighlight={onHighlight} />
      ))}
    </div>
  );
}
