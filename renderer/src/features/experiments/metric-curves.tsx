import { useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { formatMetric } from './experiments-format.ts';
import { isTestMetric, metricGroups, type MetricGroup } from './metric-groups.ts';
import type { MetricSeries } from './metric-series.ts';
import type { OpenRun } from './run-page-slice.ts';

/** Training first, validation second: the two colours people expect (blue, orange). */
const SPLIT_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2'];

export type ChartRow = { step: number } & Record<string, number | null>;

/** The curves of one chart as rows by step (a key missing at a step is null; NaN and infinities too). */
export function rowsByStep(series: readonly MetricSeries[]): ChartRow[] {
  const byStep = new Map<number, ChartRow>();
  for (const one of series) {
    for (let i = 0; i < one.steps.length; i++) {
      const step = one.steps[i]!;
      let row = byStep.get(step);
      if (!row) byStep.set(step, (row = { step } as ChartRow));
      const value = one.values[i]!;
      // The last point logged at a step is the one drawn.
      row[one.key] = Number.isFinite(value) ? value : null;
    }
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

const tickFormatter = (value: number) => formatMetric(value);

function MetricChart({ group, series }: { group: MetricGroup; series: readonly MetricSeries[] }) {
  const rows = useMemo(() => rowsByStep(series), [series]);
  const [log, setLog] = useState(false);
  const canLog = rows.length > 1 && series.every((one) => one.values.every((value) => !Number.isFinite(value) || value > 0));
  const onePoint = rows.length <= 1;
  return (
    <figure className="metric-chart" aria-label={`${group.title} by step`}>
      <figcaption className="metric-chart__head">
        <span className="metric-chart__title">{group.title}</span>
        <span className="metric-chart__legend">
          {series.map((one, index) => {
            const last = one.values.at(-1);
            return (
              <span key={one.key} className="metric-chart__key">
                <span className="metric-chart__swatch" style={{ background: SPLIT_COLORS[index % SPLIT_COLORS.length] }} />
                <span className="mono">{one.key}</span>
                <span className="num metric-chart__latest">{formatMetric(last ?? null)}</span>
              </span>
            );
          })}
        </span>
        {canLog ? (
          <button type="button" className="metric-chart__scale" aria-pressed={log} title="Logarithmic y axis" onClick={() => setLog((value) => !value)}>
            log
          </button>
        ) : null}
      </figcaption>
      <div className="metric-chart__plot" data-points={rows.length}>
        <ResponsiveContainer width="100%" height={200}>
          <LineChart data={rows} margin={{ top: 6, right: 14, bottom: 0, left: 2 }}>
            <CartesianGrid vertical={false} />
            <XAxis type="number" dataKey="step" domain={['dataMin', 'dataMax']} allowDecimals={false} tickLine={false} minTickGap={24} />
            <YAxis type="number" domain={['auto', 'auto']} scale={log ? 'log' : 'auto'} width={54} tickLine={false} tickFormatter={tickFormatter} allowDataOverflow={log} />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(step) => `step ${step}`}
              formatter={(value) => formatMetric(typeof value === 'number' ? value : null)}
              wrapperClassName="chart-tooltip"
            />
            {series.map((one, index) => (
              <Line
                key={one.key}
                dataKey={one.key}
                name={one.key}
                type="linear"
                stroke={SPLIT_COLORS[index % SPLIT_COLORS.length]}
                strokeWidth={1.75}
                dot={onePoint ? { r: 3 } : false}
                activeDot={{ r: 3 }}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** A run's curves, a metric beside its validation twin; they grow as the run logs points. */
export function MetricCurves({ run }: { run: OpenRun }) {
  const detail = run.detail!;
  const keys = useMemo(() => [...new Set([...Object.keys(detail.metrics), ...Object.keys(run.series)])].filter((key) => !isTestMetric(key)), [detail.metrics, run.series]);
  const groups = useMemo(() => metricGroups(keys), [keys]);

  if (run.seriesStatus === 'failed' && run.seriesError) return <ErrorBanner error={run.seriesError} title="Could not read the run's metrics" />;
  if (run.seriesStatus === 'loading' && Object.keys(run.series).length === 0) {
    return keys.length === 0 ? null : (
      <div className="metric-curves__loading" aria-busy="true">
        <div className="spinner" />
      </div>
    );
  }
  if (groups.length === 0) {
    return <p className="run-section__empty">{detail.status === 'RUNNING' ? 'Waiting for the first points…' : 'This run logged no metrics over steps.'}</p>;
  }
  return (
    <div className="metric-curves">
      {groups.map((group) => (
        <MetricChart key={group.title} group={group} series={group.keys.flatMap((key) => (run.series[key] ? [run.series[key]] : []))} />
      ))}
    </div>
  );
}
