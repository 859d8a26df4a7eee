import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Sweep, Trial } from '../../../../shared/contract/sweeps.ts';
import { hashOf as runHash } from '../experiments/experiments-route.ts';
import { formatMetric } from '../experiments/experiments-format.ts';
import { rampColor } from '../experiments/parallel-coordinates.tsx';
import { axisLabels, axisPosition, fitAxis, type AxisSpec, type AxisValue } from '../experiments/parallel-scales.ts';

const HEIGHT = 340;
const TOP = 68;
const BOTTOM = 24;
const SIDE = 72;

/** A param's value as an axis reads it: hidden layers [32, 16] as "32,16". */
function axisValue(value: Trial['params'][string] | undefined): AxisValue {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'boolean' ? String(value) : value;
}

/** Trials to draw: those with a metric, and running ones (their line ends at the last axis they have). */
export function chartAxes(sweep: Sweep, options: Record<string, { log?: boolean; flipped?: boolean }>): AxisSpec[] {
  const names = Object.keys(sweep.spec.parameters);
  const trials = sweep.trials;
  const axes = names.map((name) => {
    const space = sweep.spec.parameters[name]!;
    const log = options[name]?.log ?? ('distribution' in space && space.distribution === 'log_uniform');
    return fitAxis(name, trials.map((trial) => axisValue(trial.params[name])), { log, flipped: options[name]?.flipped ?? false });
  });
  const metricKey = sweep.metric.name;
  axes.push(fitAxis(metricKey, trials.map((trial) => trial.metric), { log: options[metricKey]?.log ?? false, flipped: options[metricKey]?.flipped ?? sweep.metric.goal === 'minimize' }));
  return axes;
}

/**
 * The sweep's trials in parallel coordinates, as W&B draws a sweep: one axis per searched param
 * and the metric last (flipped when lower is better, so the best is at the top), a line per trial
 * coloured by its metric (best orange, worst blue), a dashed one for a trial stopped early.
 * Hover a line to pick the trial out; click it to open its run.
 */
export function SweepChart({ sweep }: { sweep: Sweep }) {
  const [options, setOptions] = useState<Record<string, { log?: boolean; flipped?: boolean }>>({});
  const [hovered, setHovered] = useState<number | null>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  useLayoutEffect(() => {
    const element = boxRef.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(420, element.clientWidth));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const axes = useMemo(() => chartAxes(sweep, options), [sweep, options]);
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const step = axes.length > 1 ? (width - 2 * SIDE) / (axes.length - 1) : 0;
  const xOf = (index: number) => SIDE + index * step;
  const yOf = (t: number) => TOP + (1 - t) * plotHeight;

  const metrics = sweep.trials.map((trial) => trial.metric).filter((value): value is number => value !== null && Number.isFinite(value));
  const low = Math.min(...metrics);
  const high = Math.max(...metrics);
  // Orange is best: for a metric to minimize, the lowest.
  const goodness = (value: number) => (high > low ? (sweep.metric.goal === 'minimize' ? (high - value) / (high - low) : (value - low) / (high - low)) : 1);

  const lines = sweep.trials.map((trial) => {
    const values = [...Object.keys(sweep.spec.parameters).map((name) => axisValue(trial.params[name])), trial.metric];
    let d = '';
    let pen = false;
    values.forEach((value, index) => {
      const t = axisPosition(axes[index]!, value);
      if (t === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${xOf(index).toFixed(1)} ${yOf(t).toFixed(1)}`;
      pen = true;
    });
    const color = trial.metric === null || !Number.isFinite(trial.metric) ? 'var(--text-faint)' : rampColor(goodness(trial.metric));
    return { trial, d, color };
  });
  const toggle = (key: string, option: 'log' | 'flipped', current: boolean) => setOptions((all) => ({ ...all, [key]: { ...all[key], [option]: !current } }));
  const shown = hovered === null ? null : sweep.trials.find((trial) => trial.number === hovered) ?? null;

  return (
    <section className="sweep-chart" aria-label="Trials in parallel coordinates">
      <div className="sweep-chart__bar">
        <span className="sweep-chart__ramp" aria-label={`Colour: ${sweep.metric.name}, best orange, worst blue`}>
          <span className="num">{metrics.length ? formatMetric(sweep.metric.goal === 'minimize' ? high : low) : '—'}</span>
          <span className="sweep-chart__ramp-bar" />
          <span className="num">{metrics.length ? formatMetric(sweep.metric.goal === 'minimize' ? low : high) : '—'}</span>
          <span className="faint">{sweep.metric.name} (best on the right)</span>
        </span>
        <span className="faint">Dashed: stopped early. Click a line to open its run.</span>
      </div>
      <div ref={boxRef} className="sweep-chart__plot">
        <svg width={width} height={HEIGHT} role="img" aria-label={`${sweep.trials.length} trials: ${axes.map((axis) => axis.key).join(', ')}`} data-trials={lines.filter((line) => line.d).length}>
          <g className={hovered === null ? 'sweep-chart__lines' : 'sweep-chart__lines sweep-chart__lines--dimmed'}>
            {lines.map(({ trial, d, color }) =>
              d ? (
                <g key={trial.number}>
                  <path
                    className={`sweep-chart__line${trial.number === hovered ? ' sweep-chart__line--hovered' : ''}`}
                    data-trial={trial.number}
                    d={d}
                    stroke={color}
                    strokeDasharray={trial.stoppedBy === 'median' || trial.stoppedBy === 'hyperband' ? '6 4' : undefined}
                  />
                  {/* A wider, invisible copy takes the pointer, so a 2-pixel line is easy to hover and click. */}
                  <path
                    className="sweep-chart__hit"
                    data-hit={trial.number}
                    d={d}
                    onPointerEnter={() => setHovered(trial.number)}
                    onPointerLeave={() => setHovered(null)}
                    onClick={() => {
                      if (trial.runId) window.location.hash = runHash({ view: 'run', runId: trial.runId });
                    }}
                  >
                    <title>{`Trial #${trial.number}${trial.metric === null ? '' : ` · ${sweep.metric.name} ${formatMetric(trial.metric)}`} — click to open its run`}</title>
                  </path>
                </g>
              ) : null,
            )}
          </g>
          {axes.map((axis, index) => {
            const isMetric = index === axes.length - 1;
            return (
              <g key={axis.key} transform={`translate(${xOf(index).toFixed(1)},0)`} className="sweep-chart__axis" data-axis={axis.key}>
                <line className="chart-axis" y1={TOP} y2={TOP + plotHeight} />
                {axisLabels(axis, 5).map((tick) => {
                  const t = axisPosition(axis, tick);
                  if (t === null) return null;
                  return (
                    <g key={String(tick)} transform={`translate(0,${yOf(t).toFixed(1)})`}>
                      <line className="chart-axis" x1={-3} x2={3} />
                      <text className="chart-tick" x={-6} dy="0.32em" textAnchor="end">
                        {typeof tick === 'number' ? formatMetric(tick) : tick.length > 12 ? `${tick.slice(0, 11)}…` : tick}
                      </text>
                    </g>
                  );
                })}
                <text className={`sweep-chart__name${isMetric ? ' sweep-chart__name--metric' : ''}`} y={TOP - 44} textAnchor="middle">
                  {axis.key}
                </text>
                <foreignObject x={-40} y={TOP - 36} width={80} height={18}>
                  <div className="sweep-chart__toggles">
                    {axis.canLog ? (
                      <button type="button" aria-pressed={axis.log} title={`Logarithmic scale for ${axis.key}`} onClick={() => toggle(axis.key, 'log', axis.log)}>
                        log
                      </button>
                    ) : null}
                    <button type="button" aria-pressed={axis.flipped} title={`Flip ${axis.key}`} onClick={() => toggle(axis.key, 'flipped', axis.flipped)}>
                      flip
                    </button>
                  </div>
                </foreignObject>
              </g>
            );
          })}
        </svg>
        <p className="sweep-chart__hovered" aria-live="polite">
          {shown
            ? `Trial #${shown.number} · ${Object.entries(shown.params)
                .map(([name, value]) => `${name} ${Array.isArray(value) ? value.join(',') : typeof value === 'number' ? formatMetric(value) : String(value)}`)
                .join(' · ')}${shown.metric === null ? '' : ` → ${sweep.metric.name} ${formatMetric(shown.metric)}`}`
            : '\u00a0'}
        </p>
      </div>
    </section>
  );
}
