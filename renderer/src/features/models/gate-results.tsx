import type { CheckStatus, GateReport } from '../../../../shared/contract/gates.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { formatRelativeTime } from '../../lib/format.ts';
import { formatDuration } from '../experiments/experiments-format.ts';
import type { Loaded } from './use-answer.ts';

const statusWords: Record<CheckStatus, string> = { pass: 'Pass', warn: 'Warn', fail: 'Fail', skip: 'Skipped' };

export function CheckBadge({ status }: { status: CheckStatus }) {
  return (
    <span className="check-badge" data-status={status}>
      {statusWords[status]}
    </span>
  );
}

function Report({ report }: { report: GateReport }) {
  return (
    <div className="gate-report" data-outcome={report.outcome}>
      <p className="gate-report__summary">
        <CheckBadge status={report.outcome} />
        <span>{report.summary}</span>
      </p>
      <p className="faint gate-report__facts">
        {report.baseline ? <>against {report.baseline} · </> : 'no baseline · '}
        {report.data.testSplit ? `${report.data.name}@${report.data.version}'s test split` : `${report.data.name}@${report.data.version}`} ({report.data.rows.toLocaleString()} rows) ·{' '}
        {formatDuration(report.durationMs)} · <time dateTime={report.startedAt}>{formatRelativeTime(report.startedAt)}</time>
      </p>
      <table className="data-table gate-checks" aria-label="Checks">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Result</th>
            <th scope="col">What it found</th>
          </tr>
        </thead>
        <tbody>
          {report.checks.map((check) => (
            <tr key={check.id} data-status={check.status}>
              <th scope="row">
                <span className="gate-checks__name">
                  <span className="gate-checks__group">{check.group}</span>
                  <span>{check.title}</span>
                </span>
              </th>
              <td>
                <CheckBadge status={check.status} />
              </td>
              <td className="gate-checks__sentence">{check.sentence}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A version's gate runs (gates:results): the newest in full, each check with its verdict and its
 * sentence, and the earlier ones by outcome. "Run gates" checks the version against the champion.
 */
export function GateResults({
  results,
  running,
  runError,
  canRun,
  champion,
  onRun,
  onDismissError,
}: {
  results: Loaded<GateReport[]>;
  running: boolean;
  runError: LatheError | null;
  canRun: boolean;
  champion: string | null;
  onRun: () => void;
  onDismissError: () => void;
}) {
  const [latest, ...earlier] = results.state === 'ready' ? results.value : [];
  return (
    <section className="model-section" aria-labelledby="gates-title" aria-busy={running}>
      <div className="model-section__head">
        <h2 id="gates-title" className="model-section__title">
          Gates
        </h2>
        <button
          type="button"
          className="button button--small"
          disabled={running || !canRun}
          title={champion ? `Check this version's data, metrics, slices and serving against ${champion}` : "Check this version's data, metrics, slices and serving (no champion to compare with yet)"}
          onClick={onRun}
        >
          <Icon name="repeat" size={14} />
          {running ? 'Running gates…' : champion ? `Run gates against ${champion}` : 'Run gates'}
        </button>
      </div>
      {runError ? <ErrorBanner error={runError} title="Could not run the gates" onDismiss={onDismissError} /> : null}
      {results.state === 'failed' ? (
        <ErrorBanner error={results.error} title="Could not read the gate results" />
      ) : results.state !== 'ready' ? (
        <div className="spinner" aria-busy="true" />
      ) : latest === undefined ? (
        <p className="faint">
          The gates have not run on this version yet. They check the evaluation data against the training data, the metrics against thresholds and the champion (a paired test
          on the same rows), each slice of the data, and that the packaged model serves the same predictions. <code>lathe gates run NAME@V</code> runs them in CI.
        </p>
      ) : (
        <>
          <Report report={latest} />
          {earlier.length > 0 ? (
            <details className="gate-earlier">
              <summary>Earlier runs ({earlier.length})</summary>
              <ul>
                {earlier.map((report) => (
                  <li key={report.id}>
                    <CheckBadge status={report.outcome} /> {report.summary} <span className="faint">{formatRelativeTime(report.startedAt)}</span>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      )}
    </section>
  );
}
