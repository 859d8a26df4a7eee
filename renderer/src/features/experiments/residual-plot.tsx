import { useMemo } from 'react';
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMetric } from './experiments-format.ts';
import type { RegressionEvaluation } from './evaluation.ts';

/** Points drawn at most: past this a scatter is a blot and slows the page; every n-th row is kept. */
export const MAX_RESIDUAL_POINTS = 3000;

/** Residuals (actual − predicted) against the prediction, a line at zero: a good model's points straddle it evenly. */
export function ResidualPlot({ residuals, sampledFrom }: { residuals: NonNullable<RegressionEvaluation['residuals']>; sampledFrom: number | null }) {
  const { points, every } = useMemo(() => {
    const count = residuals.actual.length;
    const every = Math.max(1, Math.ceil(count / MAX_RESIDUAL_POINTS));
    const points: { predicted: number; residual: number }[] = [];
    for (let i = 0; i < count; i += every) points.push({ predicted: residuals.predicted[i]!, residual: residuals.actual[i]! - residuals.predicted[i]! });
    return { points, every };
  }, [residuals]);
  return (
    <figure className="residual-plot" aria-label="Residuals against predictions">
      <figcaption className="metric-chart__head">
        <span className="metric-chart__title">Residuals</span>
        <span className="faint">
          actual − predicted, by prediction · {sampledFrom !== null ? `${residuals.actual.length} of ${sampledFrom} test rows, drawn at random` : `${residuals.actual.length} test rows`}
          {every > 1 ? `, every ${every}th shown` : ''}
        </span>
      </figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <ScatterChart margin={{ top: 6, right: 14, bottom: 14, left: 2 }}>
          <CartesianGrid />
          <XAxis type="number" dataKey="predicted" name="predicted" domain={['auto', 'auto']} tickFormatter={(value: number) => formatMetric(value)} tickLine={false} />
          <YAxis type="number" dataKey="residual" name="residual" domain={['auto', 'auto']} width={54} tickFormatter={(value: number) => formatMetric(value)} tickLine={false} />
          <ReferenceLine y={0} className="residual-plot__zero" />
          <Tooltip isAnimationActive={false} formatter={(value) => formatMetric(typeof value === 'number' ? value : null)} wrapperClassName="chart-tooltip" />
          <Scatter data={points} fill="#4e79a7" fillOpacity={0.55} isAnimationActive={false} shape="circle" />
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
}
