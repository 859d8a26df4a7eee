import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ColumnWindow, ReferenceInfo } from '../../../../shared/contract/monitoring.ts';
import { formatShare } from '../../lib/format.ts';
import { formatScore, methodName, verdictSentence } from './drift-strip-rows.ts';
import { distributionRows } from './window-series.ts';

/** Reference grey-blue, current orange: the live data is the warm one. */
export const DISTRIBUTION_COLORS = { reference: '#7c8db5', current: '#f28e2b' } as const;

const share = (value: unknown) => (typeof value === 'number' ? formatShare(value) : '—');

/**
 * One window of one column against its training reference: the two distributions overlaid (bars
 * per category; areas over the bins of numbers), with the method, score, threshold and verdict.
 */
export function DistributionOverlay({ column, window, reference, onClose }: { column: ColumnWindow; window: number; reference: ReferenceInfo | null; onClose: () => void }) {
  const rows = distributionRows(column.distribution);
  const { drift } = column;
  return (
    <section className="distribution" aria-label={`Distribution of ${column.name} in window ${window}`}>
      <header className="distribution__head">
        <h3 className="distribution__title">
          <span className="mono">{column.name}</span> in window {window}
        </h3>
        <span className={`drift-verdict drift-verdict--${drift.verdict}`} role="status" aria-label="Verdict">
          {drift.verdict === 'drift' ? 'Drift' : drift.verdict === 'no-drift' ? 'No drift' : 'Not enough data'}
        </span>
        <button type="button" className="button button--small" onClick={onClose}>
          Close
        </button>
      </header>
      <dl className="distribution__facts">
        <div>
          <dt>Method</dt>
          <dd>{methodName(drift.method)}</dd>
        </div>
        <div>
          <dt>Score</dt>
          <dd className="num">{drift.verdict === 'not-enough-data' ? '—' : formatScore(drift.score)}</dd>
        </div>
        <div>
          <dt>Threshold</dt>
          <dd className="num">
            {formatScore(drift.threshold)} <span className="faint">({drift.pValue ? 'drift below it' : 'drift at or above it'})</span>
          </dd>
        </div>
        <div>
          <dt>Rows</dt>
          <dd className="num">
            {column.rows} current{column.missing > 0 ? `, ${column.missing} missing` : ''} · reference {reference ? `${reference.dataset} (${reference.datasetRows})` : 'unknown'}
          </dd>
        </div>
      </dl>
      <p className="distribution__sentence">{verdictSentence(column)}</p>
      {rows.length === 0 ? (
        <p className="faint">The agent sent no distribution for this window.</p>
      ) : (
        <ResponsiveContainer width="100%" height={220}>
          {column.kind === 'categorical' ? (
            <BarChart data={rows} margin={{ top: 8, right: 14, bottom: 0, left: 2 }} barGap={0}>
              <CartesianGrid vertical={false} />
              <XAxis dataKey="bin" tickLine={false} interval="preserveStartEnd" />
              <YAxis tickFormatter={share} width={52} tickLine={false} />
              <Tooltip isAnimationActive={false} formatter={share} wrapperClassName="chart-tooltip" />
              <Legend />
              <Bar dataKey="reference" name="reference (training)" fill={DISTRIBUTION_COLORS.reference} isAnimationActive={false} />
              <Bar dataKey="current" name={`window ${window}`} fill={DISTRIBUTION_COLORS.current} isAnimationActive={false} />
            </BarChart>
          ) : (
            <AreaChart data={rows} margin={{ top: 8, right: 14, bottom: 0, left: 2 }}>
              <CartesianGrid vertical={false} />
              <XAxis dataKey="bin" tickLine={false} interval="preserveStartEnd" minTickGap={24} />
              <YAxis tickFormatter={share} width={52} tickLine={false} />
              <Tooltip isAnimationActive={false} formatter={share} wrapperClassName="chart-tooltip" />
              <Legend />
              <Area type="step" dataKey="reference" name="reference (training)" stroke={DISTRIBUTION_COLORS.reference} fill={DISTRIBUTION_COLORS.reference} fillOpacity={0.35} isAnimationActive={false} />
              <Area type="step" dataKey="current" name={`window ${window}`} stroke={DISTRIBUTION_COLORS.current} fill={DISTRIBUTION_COLORS.current} fillOpacity={0.35} isAnimationActive={false} />
            </AreaChart>
          )}
        </ResponsiveContainer>
      )}
    </section>
  );
}
