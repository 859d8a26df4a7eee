import { memo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** One point in time (ms since the epoch) and a value per line; null: nothing measured then. */
export type TimeRow = { readonly t: number } & Readonly<Record<string, number | null>>;

export interface TimeLine {
  readonly key: string;
  readonly label: string;
  readonly color: string;
}

/** Stable blue, candidate orange, then the rest of Tableau's ten (the experiments charts' colours). */
export const LINE_COLORS = { stable: '#4e79a7', candidate: '#f28e2b', third: '#59a14f', fourth: '#b07aa1' } as const;

/** Latency percentiles: colours apart from the versions' (teal, purple, red: the tail is the warm one). */
export const PERCENTILE_COLORS = { p50: '#76b7b2', p95: '#9c6ad0', p99: '#e15759' } as const;

const clock = (t: number) => new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/**
 * Lines over time with their latest values in the legend and, when given, the threshold a value
 * must stay under drawn as a dashed line (and kept in view: the y axis reaches it).
 */
export const TimeSeriesChart = memo(function TimeSeriesChart({
  title,
  rows,
  lines,
  format,
  threshold,
  xDomain,
  height = 180,
}: {
  title: string;
  rows: readonly TimeRow[];
  lines: readonly TimeLine[];
  format: (value: number) => string;
  threshold?: { readonly value: number; readonly label: string } | undefined;
  /** One time range for every chart of a page, so their axes line up; default: this chart's own points. */
  xDomain?: readonly [number, number] | undefined;
  height?: number;
}) {
  const values = rows.flatMap((row) => lines.map((line) => row[line.key]).filter((value): value is number => typeof value === 'number' && Number.isFinite(value)));
  const top = Math.max(threshold?.value ?? 0, ...values, 0);
  const onePoint = rows.length <= 1;
  return (
    <figure className="time-chart" aria-label={title}>
      <figcaption className="time-chart__head">
        <span className="time-chart__title">{title}</span>
        <span className="time-chart__legend">
          {lines.map((line) => {
            const last = [...rows].reverse().find((row) => typeof row[line.key] === 'number')?.[line.key];
            return (
              <span key={line.key} className="time-chart__key" data-line={line.key}>
                <span className="time-chart__swatch" style={{ background: line.color }} />
                <span>{line.label}</span>
                <span className="num time-chart__latest">{typeof last === 'number' ? format(last) : '—'}</span>
              </span>
            );
          })}
          {threshold ? (
            <span className="time-chart__key">
              <span className="time-chart__swatch time-chart__swatch--threshold" />
              <span>{threshold.label}</span>
              <span className="num time-chart__latest">{format(threshold.value)}</span>
            </span>
          ) : null}
        </span>
      </figcaption>
      {rows.length === 0 ? (
        <p className="time-chart__empty faint" style={{ height }}>
          Nothing measured yet.
        </p>
      ) : (
        <ResponsiveContainer width="100%" height={height}>
          <LineChart data={rows as TimeRow[]} margin={{ top: 8, right: 14, bottom: 0, left: 2 }}>
            <CartesianGrid vertical={false} />
            <XAxis type="number" dataKey="t" scale="time" domain={xDomain ? [xDomain[0], xDomain[1]] : ['dataMin', 'dataMax']} allowDataOverflow={false} tickFormatter={clock} tickLine={false} minTickGap={40} />
            <YAxis type="number" domain={[0, top > 0 ? 'auto' : 1]} width={58} tickLine={false} tickFormatter={format} allowDecimals />
            <Tooltip isAnimationActive={false} labelFormatter={(t) => clock(Number(t))} formatter={(value) => (typeof value === 'number' ? format(value) : '—')} wrapperClassName="chart-tooltip" />
            {threshold ? <ReferenceLine y={threshold.value} stroke="var(--danger)" strokeDasharray="5 4" ifOverflow="extendDomain" /> : null}
            {lines.map((line) => (
              <Line key={line.key} dataKey={line.key} name={line.label} type="linear" stroke={line.color} strokeWidth={1.75} dot={onePoint ? { r: 3 } : false} activeDot={{ r: 3 }} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
});
