import { useEffect } from 'react';
import { metricNumber, type RunDetail } from '../../../../shared/contract/runs.ts';
import type { ReproductionReport } from '../../../../shared/contract/training.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { hashOf } from './experiments-route.ts';
import { formatMetric } from './experiments-format.ts';
import { reproducedRun } from './reproduce-commands.ts';

const verdictWords: Record<ReproductionReport['verdict'], string> = {
  identical: 'Reproduced exactly',
  'within-tolerance': 'Reproduced within tolerance',
  different: 'Did not reproduce',
  'not-comparable': 'Cannot be compared',
};

function Verdict({ report }: { report: ReproductionReport }) {
  const value = (metric: ReproductionReport['metrics'][number]['original']) => (metric === null ? '—' : formatMetric(metricNumber(metric)));
  return (
    <div className="reproduction__verdict" data-verdict={report.verdict}>
      <p className="reproduction__headline">
        <Icon name={report.verdict === 'identical' || report.verdict === 'within-tolerance' ? 'success' : 'alert'} size={16} />
        <strong>{verdictWords[report.verdict]}.</strong> {report.message}
      </p>
      {report.metrics.length > 0 ? (
        <table className="data-table reproduction__table">
          <thead>
            <tr>
              <th scope="col">Test metric</th>
              <th scope="col" className="num">
                Original
              </th>
              <th scope="col" className="num">
                Reproduction
              </th>
              <th scope="col" className="num">
                Difference
              </th>
              <th scope="col">Match</th>
            </tr>
          </thead>
          <tbody>
            {report.metrics.map((metric) => (
              <tr key={metric.key}>
                <th scope="row" className="mono">
                  {metric.key}
                </th>
                <td className="num">{value(metric.original)}</td>
                <td className="num">{value(metric.reproduction)}</td>
                <td className="num">{metric.difference === null ? '—' : metric.difference === 0 ? '0' : metric.difference.toExponential(1)}</td>
                <td>{metric.match ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

/**
 * Reproduction of this run (started here), or of the run this one reproduces: while it trains,
 * then whether its test metrics matched.
 */
export function ReproductionPanel({ run }: { run: RunDetail }) {
  const { experimentCommands } = useServices();
  const originalId = reproducedRun(run);
  const ofThisRun = useLathe((state) => state.reproductions[run.id] ?? null);
  const ofOriginal = useLathe((state) => (originalId ? (state.reproductions[originalId] ?? null) : null));

  useEffect(() => {
    if (originalId) void experimentCommands.reproduction.runShown(run);
  }, [originalId, run, experimentCommands]);

  if (!ofThisRun && !originalId) return null;
  const reproduction = ofThisRun ?? (ofOriginal?.runId === run.id ? ofOriginal : null);
  return (
    <section className="run-section reproduction" aria-labelledby="run-reproduction-title">
      <h2 id="run-reproduction-title" className="run-section__title">
        Reproduction
        <span className="run-section__sub">
          {ofThisRun ? (
            <>
              as <a href={hashOf({ view: 'run', runId: ofThisRun.runId })}>run {ofThisRun.runId.slice(0, 8)}</a>: same dataset version, knobs and seed
            </>
          ) : (
            <>
              of <a href={hashOf({ view: 'run', runId: originalId! })}>run {originalId!.slice(0, 8)}</a>
            </>
          )}
        </span>
      </h2>
      {reproduction?.error ? (
        <ErrorBanner error={reproduction.error} title="Could not compare the reproduction with its original" />
      ) : reproduction?.report ? (
        <Verdict report={reproduction.report} />
      ) : (
        <p className="run-section__empty">
          <span className="spinner reproduction__spinner" aria-hidden="true" /> {ofThisRun ? 'Training the reproduction… its test metrics are compared with these when it ends.' : 'When this run ends, its test metrics are compared with the original’s.'}
        </p>
      )}
    </section>
  );
}
