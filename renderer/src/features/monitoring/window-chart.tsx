import { memo } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { WindowRow } from './window-series.ts';

export interface WindowLine {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  /** Drawn dashed: an estimate, not a measurement. */
  readonly dashed?: boolean;
  /** The row key of this line's [low, high] band, drawn as a shaded range behind it. */
  readonly band?: string;
}

export interface WindowMark {
  readonly value: number;
  readonly label: string;
  /** `threshold`: red dashed (a limit); `reference`: grey dotted (what the model did on its test split). */
  readonly kind: 'threshold' | 'reference';
}

/**
 * Values per window (x: the window's index): lines, optional shaded bands, and horizontal marks
 * for a threshold or a reference value, each named in the legend with its latest value.
 */
export const WindowChart = memo(function WindowChart({
  title,
  rows,
  lines,
  format,
  marks = [],
  yDomain,
  height = 160,
  empty = 'Nothing measured yet.',
}: {
  title: string;
  rows: readonly WindowRow[];
  lines: readonly WindowLine[];
  format: (value: number) => string;
  marks?: readonly WindowMark[];
  yDomain?: readonly [number | 'auto', number | 'auto'];
  height?: number;
  empty?: string;
}) {
  const drawn = rows.some((row) => lines.some((line) => typeof row[line.key] === 'number'));
  return (
    <figure className="time-chart window-chart" aria-label={title}>
      <figcaption className="time-chart__head">
        <span className="time-chart__title">{title}</span>
        <span className="time-chart__legend">
          {lines.map((line) => {
            const last = [...rows].reverse().find((row) => typeof row[line.key] === 'number')?.[line.key];
            return (
              <span key={line.key} className="time-chart__key" data-line={line.key}>
                <span className={`time-chart__swatch${line.dashed ? ' time-chart__swatch--dashed' : ''}`} style={line.dashed ? { borderTopColor: line.color } : { background: line.color }} />
                <span>{line.label}</span>
                <span className="num time-chart__latest">{typeof last === 'number' ? format(last) : '—'}</span>
              </span>
            );
          })}
          {marks.map((mark) => (
            <span key={mark.label} className="time-chart__key">
              <span className={`time-chart__swatch time-chart__swatch--${mark.kind}`} />
              <span>{mark.label}</span>
              <span className="num time-chart__latest">{format(mark.value)}</span>
            </span>
          ))}
        </span>
      </figcaption>
      {!drawn ? (
        <p className="time-chart__empty faint" style={{ height }}>
          {empty}
        </p>
      ) : (
        <ResponsiveContainer width="100%" height={height}>
          <ComposedChart data={rows as WindowRow[]} margin={{ top: 8, right: 14, bottom: 0, left: 2 }}>
            <CartesianGrid vertical={false} />
            <XAxis type="number" dataKey="window" domain={['dataMin', 'dataMax']} allowDecimals={false} tickLine={false} minTickGap={24} />
            <YAxis type="number" domain={yDomain ? [yDomain[0], yDomain[1]] : [0, 'auto']} width={52} tickLine={false} tickFormatter={format} allowDataOverflow={false} />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(window) => `window ${String(window)}`}
              formatter={(value) => (typeof value === 'number' ? format(value) : Array.isArray(value) ? `${format(Number(value[0]))}–${format(Number(value[1]))}` : '—')}
              wrapperClassName="chart-tooltip"
            />
            {lines.map((line) =>
              line.band ? <Area key={`${line.key}-band`} dataKey={line.band} name={`${line.label} band`} stroke="none" fill={line.color} fillOpacity={0.14} connectNulls={false} isAnimationActive={false} activeDot={false} /> : null,
            )}
            {marks.map((mark) => (
              <ReferenceLine key={mark.label} y={mark.value} stroke={mark.kind === 'threshold' ? 'var(--danger)' : 'var(--text-faint)'} strokeDasharray={mark.kind === 'threshold' ? '5 4' : '2 3'} ifOverflow="extendDomain" />
            ))}
            {lines.map((line) => (
              <Line
                key={line.key}
                dataKey={line.key}
                name={line.label}
                type="linear"
                stroke={line.color}
                strokeWidth={1.75}
                strokeDasharray={line.dashed ? '6 4' : undefined}
                dot={rows.length <= 30 ? { r: 2.5 } : false}
                activeDot={{ r: 3 }}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
});
