import { useMemo } from 'react';
import type { WindowSummary } from '../../../../shared/contract/monitoring.ts';
import { formatShare } from '../../lib/format.ts';
import { PERCENTILE_COLORS } from './time-series-chart.tsx';
import { WindowChart, type WindowMark } from './window-chart.tsx';
import { accuracyRows, latencyWindowRows, rmseRows, thinWindows } from './window-series.ts';

const CHART_WINDOWS = 150;
const ACCURACY_COLOR = '#59a14f';
const ESTIMATE_COLOR = '#b07aa1';
const ms = (value: number) => `${Number(value.toPrecision(3))} ms`;
const number = (value: number) => String(Number(value.toPrecision(3)));

/**
 * How well the model does, per window: accuracy with its 95 % band where labels arrived; before
 * they do, the estimate from its calibrated probabilities (dashed, labelled "estimate", with its
 * band); RMSE for a regressor; and the window's latency.
 */
export function PerformanceSection({ windows, testMetric }: { windows: readonly WindowSummary[]; testMetric: { name: 'accuracy' | 'rmse'; value: number } | null }) {
  const accuracy = useMemo(() => thinWindows(accuracyRows(windows), CHART_WINDOWS, Math.min), [windows]);
  const rmse = useMemo(() => thinWindows(rmseRows(windows), CHART_WINDOWS), [windows]);
  const latency = useMemo(() => thinWindows(latencyWindowRows(windows), CHART_WINDOWS), [windows]);
  const regressor = windows.some((window) => window.performance.rmse !== null);
  const labelled = windows.reduce((sum, window) => sum + window.performance.labelled, 0);
  const marks: WindowMark[] = testMetric ? [{ value: testMetric.value, label: `test split ${testMetric.name}`, kind: 'reference' }] : [];
  return (
    <section className="monitor-section" aria-label="Performance">
      <h3 className="monitor-section__title">Performance</h3>
      <p className="faint monitor-section__how">
        {labelled === 0
          ? 'No labels yet: the accuracy shown is an estimate from the model’s calibrated probabilities (CBPE), with its band. Labels sent to the feedback endpoint replace it.'
          : `${new Intl.NumberFormat('en').format(labelled)} labelled predictions in these windows; windows without labels show the estimate.`}
      </p>
      <div className="monitoring-charts">
        {regressor ? (
          <WindowChart
            title="RMSE"
            rows={rmse}
            lines={[{ key: 'rmse', label: 'RMSE', color: ACCURACY_COLOR, band: 'rmseBand' }]}
            marks={testMetric?.name === 'rmse' ? marks : []}
            format={number}
            empty="No labels have arrived for these windows yet."
          />
        ) : (
          <WindowChart
            title="Accuracy"
            rows={accuracy}
            lines={[
              { key: 'accuracy', label: 'accuracy', color: ACCURACY_COLOR, band: 'accuracyBand' },
              { key: 'estimate', label: 'estimate', color: ESTIMATE_COLOR, band: 'estimateBand', dashed: true },
            ]}
            marks={testMetric?.name === 'accuracy' ? marks : []}
            format={(value) => formatShare(value)}
            yDomain={[0, 1]}
            height={200}
            empty="Neither labels nor an estimate yet (the estimate needs a model that gives probabilities)."
          />
        )}
        <WindowChart
          title="Latency per window"
          rows={latency}
          lines={[
            { key: 'p50', label: 'p50', color: PERCENTILE_COLORS.p50 },
            { key: 'p99', label: 'p99', color: PERCENTILE_COLORS.p99 },
          ]}
          format={ms}
        />
      </div>
    </section>
  );
}
