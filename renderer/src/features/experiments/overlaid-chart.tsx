import { memo, useMemo, useState, type PointerEvent } from 'react';
import type { RunSummary } from '../../../../shared/contract/runs.ts';
import { extent, linePath, linearScale, nearestIndex, paddedRange } from './chart-geometry.ts';
import type { CompareChart } from './compare-slice.ts';
import { formatMetric } from './experiments-format.ts';
import { niceTicks } from './parallel-scales.ts';

const HEIGHT = 220;
const MARGIN = { top: 10, right: 14, bottom: 24, left: 56 };
/** Runs listed in the hover card at most (the best first); the rest are counted. */
const HOVER_ROWS = 8;

export interface ComparedRun {
  readonly run: RunSummary;
  readonly color: string;
}

interface Props {
  metric: string;
  chart: CompareChart | undefined;
  runs: readonly ComparedRun[];
  width: number;
  highlighted: string | null;
  onHighlight: (runId: string | null) => void;
}

/**
 * One metric of every compared run, one line per run, drawn as plain SVG paths (one per run,
 * built from main's downsampled points), so a hundred runs of ten thousand steps draw in
 * milliseconds. Hovering shows each run's value at the nearest step, best first.
 */
export const OverlaidChart = memo(function OverlaidChart({ metric, chart, runs, width, highlighted, onHighlight }: Props) {
  const [hoverStep, setHoverStep] = useState<number | null>(null);
  const plotWidth = Math.max(60, width - MARGIN.left - MARGIN.right);
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const byRun = chart?.byRun;

  const drawn = useMemo(() => {
    if (!byRun) return null;
    const curves = runs.flatMap(({ run, color }) => (byRun[run.id] ? [{ run, color, series: byRun[run.id]! }] : []));
    const xs = extent(curves.map((curve) => [curve.series.steps[0] ?? NaN, curve.series.steps.at(-1) ?? NaN]));
    const ys = extent(curves.map((curve) => curve.series.values));
    if (!xs || !ys) return { curves, paths: [], xTicks: [], yTicks: [], x: null, y: null };
    const x = linearScale(xs[0] === xs[1] ? [xs[0] - 1, xs[1] + 1] : xs, [0, plotWidth]);
    const y = linearScale(paddedRange(ys), [plotHeight, 0]);
    const paths = curves.map((curve) => ({ id: curve.run.id, color: curve.color, d: linePath(curve.series.steps, curve.series.values, x, y) }));
    return { curves, paths, x, y, xTicks: niceTicks(x.domain[0], x.domain[1], Math.max(2, Math.floor(plotWidth / 90))), yTicks: niceTicks(y.domain[0], y.domain[1], 4) };
  }, [byRun, runs, plotWidth, plotHeight]);

  const ready = chart?.status === 'ready' && drawn !== null;
  const lower = /loss|error|mse|mae|rmse/i.test(metric);

  function onPointerMove(event: PointerEvent<SVGRectElement>) {
    if (!drawn?.x) return;
    const box = event.currentTarget.getBoundingClientRect();
    const px = event.clientX - box.left;
    const [d0, d1] = drawn.x.domain;
    setHoverStep(d0 + (px / plotWidth) * (d1 - d0));
  }

  const hover = useMemo(() => {
    if (hoverStep === null || !drawn) return null;
    const rows = drawn.curves.flatMap(({ run, color, series }) => {
      const index = nearestIndex(series.steps, hoverStep);
      return index < 0 ? [] : [{ run, color, step: series.steps[index]!, value: series.values[index]! }];
    });
    rows.sort((a, b) => (Number.isNaN(a.value) ? 1 : Number.isNaN(b.value) ? -1 : lower ? a.value - b.value : b.value - a.value));
    return rows;
  }, [hoverStep, drawn, lower]);

  const hoverX = hover && hover[0] && drawn?.x ? drawn.x(hover[0].step) : null;
  const shownRuns = Object.keys(byRun ?? {}).length;

  return (
    <figure className="compare-chart" aria-label={`${metric}, ${shownRuns} runs`} data-metric={metric} data-state={ready ? 'drawn' : (chart?.status ?? 'loading')} data-lines={ready ? drawn.paths.length : 0} data-resolution={chart?.resolution}>
      <figcaption className="metric-chart__head">
        <span className="metric-chart__title mono">{metric}</span>
        <span className="faint num">
          {shownRuns} {shownRuns === 1 ? 'run' : 'runs'}
          {chart && chart.status === 'ready' && Object.values(chart.byRun).some((series) => series.downsampled) ? ` · ${chart.resolution === 'every' ? 'every point' : `≈${chart.resolution} points a curve`}` : ''}
        </span>
        {chart?.status === 'loading' ? <span className="spinner compare-chart__busy" aria-label="Loading" /> : null}
      </figcaption>
      {chart?.status === 'failed' && chart.error ? <p className="compare-chart__error">{chart.error.message}</p> : null}
      <div className="compare-chart__plot">
        <svg width={width} height={HEIGHT} role="img" aria-label={`${metric} by step`}>
          <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            {drawn?.y
              ? drawn.yTicks.map((tick) => (
                  <g key={`y${tick}`} transform={`translate(0,${drawn.y!(tick).toFixed(1)})`}>
                    <line className="chart-grid" x1={0} x2={plotWidth} />
                    <text className="chart-tick" x={-8} dy="0.32em" textAnchor="end">
                      {formatMetric(tick)}
                    </text>
                  </g>
                ))
              : null}
            {drawn?.x
              ? drawn.xTicks.map((tick) => (
                  <text key={`x${tick}`} className="chart-tick" x={drawn.x!(tick)} y={plotHeight + 16} textAnchor="middle">
                    {formatMetric(tick)}
                  </text>
                ))
              : null}
            <line className="chart-axis" x1={0} x2={plotWidth} y1={plotHeight} y2={plotHeight} />
            <g className={highlighted ? 'compare-chart__lines compare-chart__lines--dimmed' : 'compare-chart__lines'}>
              {drawn?.paths.map((path) => (
                <path key={path.id} className={`compare-chart__line${path.id === highlighted ? ' compare-chart__line--highlighted' : ''}`} d={path.d} stroke={path.color} data-run-id={path.id} />
              ))}
            </g>
            {hoverX !== null ? <line className="chart-cursor" x1={hoverX} x2={hoverX} y1={0} y2={plotHeight} /> : null}
            <rect
              className="compare-chart__hit"
              width={plotWidth}
              height={plotHeight}
              onPointerMove={onPointerMove}
              onPointerLeave={() => {
                setHoverStep(null);
                onHighlight(null);
              }}
            />
          </g>
        </svg>
        {hover && hover.length > 0 && hoverX !== null ? (
          <div className="chart-tooltip compare-chart__card" style={{ left: Math.min(MARGIN.left + hoverX + 12, width - 220) }}>
            <div className="compare-chart__card-step">step {formatMetric(hover[0]!.step)}</div>
            {hover.slice(0, HOVER_ROWS).map((row) => (
              <div key={row.run.id} className="compare-chart__card-row">
                <span className="metric-chart__swatch" style={{ background: row.color }} />
                <span className="compare-chart__card-name">{row.run.name}</span>
                <span className="num">{formatMetric(row.value)}</span>
              </div>
            ))}
            {hover.length > HOVER_ROWS ? <div className="faint">and {hover.length - HOVER_ROWS} more</div> : null}
          </div>
        ) : null}
      </div>
    </figure>
  );
});
