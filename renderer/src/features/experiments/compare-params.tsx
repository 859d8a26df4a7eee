import { useMemo, useState } from 'react';
import { hashOf } from './experiments-route.ts';
import { formatMetric } from './experiments-format.ts';
import type { ComparedRun } from './overlaid-chart.tsx';
import { compareRows } from './param-diff.ts';

const SECTION_TITLES = { param: 'Params', dataset: 'Data', metric: 'Metrics (latest)' } as const;

/** Every param, the dataset and the latest metrics of each run, side by side; optionally only what differs. */
export function CompareParams({ runs }: { runs: readonly ComparedRun[] }) {
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const summaries = useMemo(() => runs.map(({ run }) => run), [runs]);
  const rows = useMemo(() => compareRows(summaries, { onlyDiffering }), [summaries, onlyDiffering]);
  const all = useMemo(() => compareRows(summaries, { onlyDiffering: false }), [summaries]);
  const hidden = all.length - rows.length;

  return (
    <section className="compare-params" aria-label="Params side by side">
      <div className="compare-params__bar">
        <label className="switch">
          <input type="checkbox" role="switch" checked={onlyDiffering} onChange={(event) => setOnlyDiffering(event.target.checked)} />
          Show only what differs
        </label>
        <span className="faint">{onlyDiffering && hidden > 0 ? `${hidden} ${hidden === 1 ? 'row is' : 'rows are'} the same in every run` : `${all.length} rows`}</span>
      </div>
      <div className="compare-params__scroll">
        <table className="data-table compare-table">
          <thead>
            <tr>
              <th scope="col" className="compare-table__key">
                &nbsp;
              </th>
              {runs.map(({ run, color }) => (
                <th key={run.id} scope="col" className="compare-table__run">
                  <span className="metric-chart__swatch" style={{ background: color }} />
                  <a href={hashOf({ view: 'run', runId: run.id })}>{run.name}</a>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={runs.length + 1} className="run-section__empty">
                  These runs agree on every param, dataset and metric.
                </td>
              </tr>
            ) : (
              rows.map((row, index) => {
                const first = row.values[0] ?? null;
                const sectionStart = index === 0 || rows[index - 1]!.section !== row.section;
                return [
                  sectionStart ? (
                    <tr key={`section-${row.section}`} className="compare-table__section">
                      <th scope="rowgroup" colSpan={runs.length + 1}>
                        {SECTION_TITLES[row.section]}
                      </th>
                    </tr>
                  ) : null,
                  <tr key={`${row.section}:${row.key}`} data-differs={row.differs}>
                    <th scope="row" className="compare-table__key mono" title={row.key}>
                      {row.key}
                    </th>
                    {row.values.map((value, column) => (
                      <td
                        key={runs[column]!.run.id}
                        className={`mono${row.section === 'metric' ? ' num' : ''}${row.section !== 'metric' && row.differs && column > 0 && value !== first ? ' compare-table__changed' : ''}${row.best === column ? ' compare-table__best' : ''}${value === null ? ' null-cell' : ''}`}
                        title={row.best === column ? `${value}: the best of these runs` : (value ?? 'not logged')}
                      >
                        {value === null ? '—' : row.section === 'metric' ? formatMetric(Number(value)) : value}
                      </td>
                    ))}
                  </tr>,
                ];
              })
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
