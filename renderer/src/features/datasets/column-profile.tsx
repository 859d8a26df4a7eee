import { useId } from 'react';
import type { ColumnProfile as Profile, TopValue } from '../../../../shared/contract/datasets.ts';
import { formatCount, formatShare, formatStat } from '../../lib/format.ts';
import { binTitle, histogramSummary, type HistogramData } from './histogram-labels.ts';
import { TypeBadge } from './type-badge.tsx';
import './column-profile.css';

const TOP_SHOWN = 5;
/** Numeric columns list their top values too when they have at most this many distinct values. */
const NUMERIC_TOP_DISTINCT = 10;
const HISTOGRAM_HEIGHT = 48;

/** One card per column: type, how much is missing, the numbers' spread and the commonest values. */
export function ColumnProfiles({ profile }: { profile: Profile[] }) {
  if (profile.length === 0) return <p className="profile-empty muted">This version has no columns.</p>;
  return (
    <div className="profiles">
      {profile.map((column) => (
        <ColumnProfileCard key={column.name} column={column} />
      ))}
    </div>
  );
}

function ColumnProfileCard({ column }: { column: Profile }) {
  const rows = column.count + column.missing;
  const numeric = column.type === 'integer' || column.type === 'number';
  const titleId = useId();
  return (
    <article className="profile-card" aria-labelledby={titleId}>
      <header className="profile-card__header">
        <h3 id={titleId} className="profile-card__name" title={column.name}>
          {column.name}
        </h3>
        <TypeBadge type={column.type} />
      </header>

      <div className="profile-card__missing">
        <span className="profile-card__label">Missing</span>
        <span
          className="share-bar share-bar--missing"
          role="img"
          aria-label={`${formatShare(column.missingShare)} missing`}
        >
          <span className="share-bar__value" style={{ width: barWidth(column.missingShare) }} />
        </span>
        <span className="profile-card__value num" title={`${formatCount(column.missing)} of ${formatCount(rows)} rows`}>
          {formatShare(column.missingShare)}
          {column.missing > 0 ? <span className="faint"> · {formatCount(column.missing)}</span> : null}
        </span>
      </div>

      <dl className="profile-stats">
        {numeric ? (
          <>
            <Stat label="Min" value={formatStat(column.min)} />
            <Stat label="Max" value={formatStat(column.max)} />
            <Stat label="Mean" value={formatStat(column.mean)} />
            <Stat label="Std" value={formatStat(column.std)} />
          </>
        ) : null}
        <Stat
          label="Distinct"
          value={`${column.approximate ? '≈' : ''}${formatCount(column.distinct)}`}
          title={column.approximate ? 'Estimated: too many distinct values to count exactly' : undefined}
        />
        <Stat label="Present" value={formatCount(column.count)} />
      </dl>

      {numeric && column.histogram && column.histogram.counts.length > 0 ? (
        <Histogram name={column.name} histogram={column.histogram} integer={column.type === 'integer'} min={column.min} max={column.max} />
      ) : null}

      {column.top.length > 0 && (!numeric || !column.histogram || (!column.approximate && column.distinct <= NUMERIC_TOP_DISTINCT)) ? (
        <TopValues column={column} rows={rows} />
      ) : null}
    </article>
  );
}

/**
 * The commonest values with their counts. Estimated counts show their bound; when even the
 * first one's bound is wider than what is certain (ids, measurements: no value stands out),
 * the list would only name arbitrary values, so it says how often any value can occur instead.
 */
function TopValues({ column, rows }: { column: Profile; rows: number }) {
  const most = noneStandsOut(column.top);
  if (most !== null) {
    return (
      <div className="top-values">
        <h4 className="profile-card__label">Top values</h4>
        <p className="top-values__none muted">No value stands out: none occurs more than {formatCount(most)} times.</p>
      </div>
    );
  }
  return (
    <div className="top-values">
      <h4 className="profile-card__label">
        Top values{column.approximate ? <span className="faint"> (estimated)</span> : null}
      </h4>
      <ol className="top-values__list">
        {column.top.slice(0, TOP_SHOWN).map((entry) => {
          const share = rows > 0 ? entry.count / rows : 0;
          return (
            <li key={entry.value} className="top-values__item">
              <span className="top-values__value" title={entry.value}>
                {entry.value === '' ? <span className="null-cell">empty</span> : entry.value}
              </span>
              <span className="share-bar" aria-hidden="true">
                <span className="share-bar__value" style={{ width: barWidth(share) }} />
              </span>
              <span className="top-values__count num" title={topCountTitle(entry, share)}>
                {topCountText(entry)}
              </span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** Bars of rows per bin, with the column's min and max under them; each bar's title says its range and rows. */
function Histogram({ name, histogram, integer, min, max }: { name: string; histogram: HistogramData; integer: boolean; min: number | null; max: number | null }) {
  const peak = Math.max(1, ...histogram.counts);
  const bins = histogram.counts.length;
  return (
    <figure className="histogram">
      <h4 className="profile-card__label">Distribution</h4>
      <svg
        className="histogram__chart"
        role="img"
        aria-label={histogramSummary(name, histogram, integer)}
        viewBox={`0 0 ${bins} ${HISTOGRAM_HEIGHT}`}
        preserveAspectRatio="none"
        height={HISTOGRAM_HEIGHT}
      >
        {histogram.counts.map((count, index) => {
          const height = count > 0 ? Math.max(1.5, (count / peak) * HISTOGRAM_HEIGHT) : 0;
          return (
            <g key={index} className="histogram__bin">
              <rect className="histogram__hit" x={index} y={0} width={1} height={HISTOGRAM_HEIGHT} />
              <rect className="histogram__bar" x={index + (bins > 1 ? 0.1 : 0)} y={HISTOGRAM_HEIGHT - height} width={bins > 1 ? 0.8 : 1} height={height} />
              <title>{binTitle(histogram, index, integer)}</title>
            </g>
          );
        })}
      </svg>
      <figcaption className="histogram__axis num" aria-hidden="true">
        <span>{formatStat(min)}</span>
        <span>{formatStat(max)}</span>
      </figcaption>
    </figure>
  );
}

/**
 * When the commonest value's count is an estimate less certain than it is large, the most any
 * value can occur (estimated lists are ordered by that bound); otherwise null.
 */
export function noneStandsOut(top: readonly TopValue[]): number | null {
  const first = top[0];
  return first?.error !== undefined && first.count <= 2 * first.error ? first.count + first.error : null;
}

/** A top value's count: exact, or an estimate with its bound ("≈16 ± 2"). */
export function topCountText(entry: TopValue): string {
  return entry.error === undefined ? formatCount(entry.count) : `≈${formatCount(entry.count)} ± ${formatCount(entry.error)}`;
}

function topCountTitle(entry: TopValue, share: number): string {
  if (entry.error === undefined) return `${formatShare(share)} of rows`;
  const low = Math.max(0, entry.count - entry.error);
  return `Between ${formatCount(low)} and ${formatCount(entry.count + entry.error)} rows (about ${formatShare(share)}): an estimate, as this column has too many distinct values to count each one`;
}

/** A share as a bar width; any share above zero stays visible. */
function barWidth(share: number): string {
  return share > 0 ? `max(2px, ${share * 100}%)` : '0';
}

function Stat({ label, value, title }: { label: string; value: string; title?: string | undefined }) {
  return (
    <div className="profile-stats__item" title={title}>
      <dt>{label}</dt>
      <dd className="num">{value}</dd>
    </div>
  );
}
