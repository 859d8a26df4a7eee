import { memo, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { extent, paddedRange } from './chart-geometry.ts';
import { formatMetric } from './experiments-format.ts';
import { isTestMetric, metricGroups, type MetricGroup } from './metric-groups.ts';
import type { MetricSeries } from './metric-series.ts';
import { niceTicks } from './parallel-scales.ts';
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

/**
 * Round ticks on both axes, and a y range from one round tick to another that holds every
 * value (recharts' own choice lands on 1.015 and 0.875).
 */
export function chartScale(rows: readonly ChartRow[], keys: readonly string[]): { xTicks: number[]; yTicks: number[]; yDomain: [number, number] | ['auto', 'auto'] } {
  const values = rows.flatMap((row) => keys.map((key) => row[key]).filter((value): value is number => typeof value === 'number' && Number.isFinite(value)));
  const xs = extent([rows.map((row) => row.step)]);
  const ys = extent([values]);
  // Steps are whole numbers: so are their ticks.
  const xTicks = xs ? niceTicks(xs[0], xs[1], Math.max(1, Math.min(5, xs[1] - xs[0]))).filter(Number.isInteger) : [];
  if (!ys) return { xTicks, yTicks: [], yDomain: ['auto', 'auto'] };
  const [low, high] = ys[0] === ys[1] ? paddedRange(ys) : ys;
  const inner = niceTicks(low, high, 4);
  if (inner.length < 2) return { xTicks, yTicks: inner, yDomain: [low, high] };
  const step = inner[1]! - inner[0]!;
  const bottom = inner[0]! > low ? inner[0]! - step : inner[0]!;
  const top = inner.at(-1)! < high ? inner.at(-1)! + step : inner.at(-1)!;
  const yTicks: number[] = [];
  for (let tick = bottom; tick <= top + step / 2; tick += step) yTicks.push(Number(tick.toPrecision(12)));
  return { xTicks, yTicks, yDomain: [yTicks[0]!, yTicks.at(-1)!] };
}

const sameList = <T,>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((item, index) => item === b[index]);

/** One chart; redrawn only when one of its curves changed (a live point, a thinning). */
const MetricChart = memo(function MetricChart({ group, series }: { group: MetricGroup; series: readonly MetricSeries[] }) {
  const rows = useMemo(() => rowsByStep(series), [series]);
  const scale = useMemo(() => chartScale(rows, series.map((one) => one.key)), [rows, series]);
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
            <XAxis type="number" dataKey="step" domain={['dataMin', 'dataMax']} ticks={scale.xTicks} allowDecimals={false} tickLine={false} minTickGap={24} tickFormatter={tickFormatter} />
            {log ? (
              <YAxis type="number" domain={['auto', 'auto']} scale="log" width={54} tickLine={false} tickFormatter={tickFormatter} allowDataOverflow />
            ) : (
              <YAxis type="number" domain={scale.yDomain} ticks={scale.yTicks} width={54} tickLine={false} tickFormatter={tickFormatter} />
            )}
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
},
(before, after) => before.group.title === after.group.title && sameList(before.group.keys, after.group.keys) && sameList(before.series, after.series));

interface CurvesProps {
  series: OpenRun['series'];
  seriesStatus: OpenRun['seriesStatus'];
  seriesError: OpenRun['seriesError'];
  /** The metrics the run's record lists (the curves of new ones come with live points). */
  metrics: Readonly<Record<string, unknown>>;
  running: boolean;
}

/**
 * A run's curves, a metric beside its validation twin; they grow as the run logs points. Memoised
 * on its data: the rest of the run page (job progress, the clock) changes often and must not
 * redraw the charts.
 */
export const MetricCurves = memo(function MetricCurves({ series, seriesStatus, seriesError, metrics, running }: CurvesProps) {
  const keys = useMemo(() => [...new Set([...Object.keys(metrics), ...Object.keys(series)])].filter((key) => !isTestMetric(key)), [metrics, series]);
  const groups = useMemo(() => metricGroups(keys), [keys]);

  if (seriesStatus === 'failed' && seriesError) return <ErrorBanner error={seriesError} title="Could not read the run's metrics" />;
  if (seriesStatus === 'loading' && Object.keys(series).length === 0) {
    return keys.length === 0 ? null : (
      <div className="metric-curves__loading" aria-busy="true">
        <div className="spinner" />
      </div>
    );
  }
  if (groups.length === 0) {
    return <p className="run-section__empty">{running ? 'Waiting for the first points…' : 'This run logged no metrics over steps.'}</p>;
  }
  return (
    <div className="metric-curves">
      {groups.map((group) => (
        <MetricChart key={group.title} group={group} series={group.keys.flatMap((key) => (series[key] ? [series[key]] : []))} />
      ))}
    </div>
  );
});
