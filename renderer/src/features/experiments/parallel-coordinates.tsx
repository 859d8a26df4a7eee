import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { metricNumber, type RunSummary } from '../../../../shared/contract/runs.ts';
import { formatMetric } from './experiments-format.ts';
import { isTestMetric } from './metric-groups.ts';
import type { ComparedRun } from './overlaid-chart.tsx';
import { axisLabels, axisPosition, fitAxis, type AxisSpec, type AxisValue } from './parallel-scales.ts';
import { runKeys } from './run-columns.ts';

const HEIGHT = 340;
const TOP = 56;
const BOTTOM = 28;
const SIDE = 64;
/** Param axes at most: past a dozen the lines are a tangle. The params that vary come first. */
const MAX_PARAM_AXES = 10;

/** A colour from low (blue) to high (orange) along the chosen metric, as W&B colours its lines. */
export function rampColor(t: number): string {
  const clamped = Math.min(1, Math.max(0, t));
  return `hsl(${Math.round(215 - clamped * 190)} 70% 50%)`;
}

function preferredMetric(metrics: readonly string[]): string | null {
  return metrics.find((key) => /^val[_./-]/.test(key) && /acc|f1|auc|r2/.test(key)) ?? metrics.find((key) => /^val[_./-]/.test(key)) ?? metrics.find((key) => !isTestMetric(key)) ?? metrics[0] ?? null;
}

interface AxisOptions {
  log: boolean;
  flipped: boolean;
}

/** Params (one axis each) against a chosen metric (the last axis): which settings lead where. */
export function ParallelCoordinates({ runs }: { runs: readonly ComparedRun[] }) {
  const summaries = useMemo(() => runs.map(({ run }) => run), [runs]);
  const keys = useMemo(() => runKeys(summaries), [summaries]);
  const [metric, setMetric] = useState<string | null>(() => preferredMetric(keys.metrics));
  const [options, setOptions] = useState<Record<string, AxisOptions>>({});
  const [hovered, setHovered] = useState<string | null>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  useLayoutEffect(() => {
    const element = boxRef.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(360, element.clientWidth));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // An axis for each param with two values or more among the runs (one that a run merely lacks says nothing here).
  const params = useMemo(
    () => keys.params.filter((key) => new Set(summaries.flatMap((run) => (run.params[key] === undefined ? [] : [run.params[key]]))).size > 1).slice(0, MAX_PARAM_AXES),
    [keys, summaries],
  );

  const valueOf = (run: RunSummary, axisKey: string, isMetric: boolean): AxisValue => {
    if (isMetric) return run.metrics[axisKey] ? metricNumber(run.metrics[axisKey].value) : null;
    return run.params[axisKey] ?? null;
  };

  const axes = useMemo(() => {
    const list: { spec: AxisSpec; isMetric: boolean }[] = params.map((key) => ({ spec: fitAxis(key, summaries.map((run) => valueOf(run, key, false)), options[`param:${key}`]), isMetric: false }));
    if (metric) list.push({ spec: fitAxis(metric, summaries.map((run) => valueOf(run, metric, true)), options[`metric:${metric}`]), isMetric: true });
    return list;
  }, [params, metric, summaries, options]);

  if (keys.metrics.length === 0 && params.length === 0) return <p className="run-section__empty">These runs have neither params nor metrics to plot.</p>;

  const plotHeight = HEIGHT - TOP - BOTTOM;
  const step = axes.length > 1 ? (width - 2 * SIDE) / (axes.length - 1) : 0;
  const xOf = (index: number) => SIDE + index * step;
  const yOf = (t: number) => TOP + (1 - t) * plotHeight;
  const metricValues = metric ? summaries.flatMap((run) => (run.metrics[metric] ? [metricNumber(run.metrics[metric].value)] : [])).filter(Number.isFinite) : [];
  const metricRange = metricValues.length > 0 ? { min: Math.min(...metricValues), max: Math.max(...metricValues) } : null;
  // Colour by the metric when it varies; when every run has the same value, by run (as the legend above).
  const byMetric = metricRange !== null && metricRange.max > metricRange.min;

  const lines = runs.map(({ run, color: runColour }) => {
    const points = axes.map(({ spec, isMetric }) => axisPosition(spec, valueOf(run, spec.key, isMetric)));
    let d = '';
    let pen = false;
    points.forEach((t, index) => {
      if (t === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${xOf(index).toFixed(1)} ${yOf(t).toFixed(1)}`;
      pen = true;
    });
    const value = metric && run.metrics[metric] ? metricNumber(run.metrics[metric].value) : null;
    const colour = !byMetric ? runColour : value === null || !Number.isFinite(value) ? 'var(--text-faint)' : rampColor((value - metricRange!.min) / (metricRange!.max - metricRange!.min));
    return { run, d, color: colour };
  });

  const toggle = (axisId: string, option: keyof AxisOptions) =>
    setOptions((current) => ({ ...current, [axisId]: { log: false, flipped: false, ...current[axisId], [option]: !current[axisId]?.[option] } }));

  return (
    <section className="parallel" aria-label="Parallel coordinates">
      <div className="parallel__bar">
        <label className="parallel__metric">
          Colour and last axis by
          <select className="input" value={metric ?? ''} onChange={(event) => setMetric(event.target.value || null)}>
            {keys.metrics.map((key) => (
              <option key={key} value={key}>
                {key}
              </option>
            ))}
          </select>
        </label>
        {byMetric ? (
          <span className="parallel__ramp" aria-label={`Colour: ${metric} from ${formatMetric(metricRange!.min)} to ${formatMetric(metricRange!.max)}`}>
            <span className="num">{formatMetric(metricRange!.min)}</span>
            <span className="parallel__ramp-bar" />
            <span className="num">{formatMetric(metricRange!.max)}</span>
          </span>
        ) : metricRange ? (
          <span className="faint">
            Every run has {metric} = {formatMetric(metricRange.min)}: lines in the runs’ colours
          </span>
        ) : null}
        <span className="faint">
          {params.length === 0 ? 'No param takes two values among these runs.' : `${params.length} ${params.length === 1 ? 'param takes' : 'params take'} different values`}
          {keys.params.length > params.length ? ` · ${keys.params.length - params.length} with one value left out` : ''}
        </span>
      </div>
      <div ref={boxRef} className="parallel__plot">
        <svg width={width} height={HEIGHT} role="img" aria-label={`Params against ${metric ?? 'no metric'}`}>
          <g className={hovered ? 'parallel__lines parallel__lines--dimmed' : 'parallel__lines'}>
            {lines.map((line) => (
              <path
                key={line.run.id}
                className={`parallel__line${line.run.id === hovered ? ' parallel__line--hovered' : ''}`}
                d={line.d}
                stroke={line.color}
                onPointerEnter={() => setHovered(line.run.id)}
                onPointerLeave={() => setHovered(null)}
              >
                <title>{line.run.name}</title>
              </path>
            ))}
          </g>
          {axes.map(({ spec, isMetric }, index) => {
            const axisId = `${isMetric ? 'metric' : 'param'}:${spec.key}`;
            const ticks = axisLabels(spec, 5);
            return (
              <g key={axisId} transform={`translate(${xOf(index).toFixed(1)},0)`} className="parallel__axis" data-axis={spec.key}>
                <line className="chart-axis" y1={TOP} y2={TOP + plotHeight} />
                {ticks.map((tick) => {
                  const t = axisPosition(spec, tick);
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
                <text className={`parallel__name${isMetric ? ' parallel__name--metric' : ''}`} y={TOP - 30} textAnchor="middle">
                  {spec.key.length > 18 ? `${spec.key.slice(0, 17)}…` : spec.key}
                </text>
                <foreignObject x={-40} y={TOP - 24} width={80} height={20}>
                  <div className="parallel__toggles">
                    {spec.canLog ? (
                      <button type="button" aria-pressed={spec.log} title={`Logarithmic scale for ${spec.key}`} onClick={() => toggle(axisId, 'log')}>
                        log
                      </button>
                    ) : null}
                    <button type="button" aria-pressed={spec.flipped} title={`Flip ${spec.key}`} onClick={() => toggle(axisId, 'flipped')}>
                      flip
                    </button>
                  </div>
                </foreignObject>
              </g>
            );
          })}
        </svg>
        {hovered ? <p className="parallel__hovered">{runs.find(({ run }) => run.id === hovered)?.run.name}</p> : null}
      </div>
    </section>
  );
}
