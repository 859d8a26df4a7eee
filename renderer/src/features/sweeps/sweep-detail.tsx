import type { Sweep, Trial } from '../../../../shared/contract/sweeps.ts';
import { Icon } from '../../components/icon.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { hashOf as runHash } from '../experiments/experiments-route.ts';
import { formatMetric } from '../experiments/experiments-format.ts';
import { StatusBadge } from '../experiments/status-badge.tsx';
import { SweepChart } from './sweep-chart.tsx';

export const sweepStatusWords = { running: 'Running', finished: 'Finished', cancelled: 'Cancelled', failed: 'Failed', interrupted: 'Interrupted' } as const;

export function paramText(value: Trial['params'][string]): string {
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'number' ? formatMetric(value) : String(value);
}

/** What the trials train: `penguins@1 → Species`, or the script's command with its placeholders. */
function trainedWhat(train: Sweep['spec']['train']): string {
  return train.kind === 'builtin' ? `${train.model ?? 'mlp'} on ${train.dataset}@${train.version ?? 'latest'} → ${train.target}` : train.command.join(' ');
}

/** One sweep: how far it is, the best run so far, its trials drawn and listed. */
export function SweepDetail({ sweep, onCancel }: { sweep: Sweep; onCancel: () => void }) {
  const { counts } = sweep;
  const ended = counts.finished + counts.stopped + counts.failed;
  const names = Object.keys(sweep.spec.parameters);
  return (
    <div className="sweep-detail">
      <header className="sweep-detail__head">
        <div>
          <h2>{sweep.name}</h2>
          <p className="sweep-detail__facts">
            <span className="sweep-status" data-status={sweep.status}>
              {sweepStatusWords[sweep.status]}
            </span>
            <span>
              {sweep.method} search · {sweep.metric.name} ({sweep.metric.goal}) · {sweep.parallel} at once · seed {sweep.seed} · {trainedWhat(sweep.spec.train)}
            </span>
            <span className="faint">started {formatDateTime(sweep.createdAt)}</span>
          </p>
        </div>
        {sweep.status === 'running' ? (
          <button type="button" className="button" onClick={onCancel}>
            <Icon name="stop" size={14} /> Cancel sweep
          </button>
        ) : null}
      </header>

      <div className="sweep-progress" aria-label="Progress">
        <div className="sweep-progress__bar" role="progressbar" aria-valuemin={0} aria-valuemax={sweep.planned} aria-valuenow={ended}>
          <span className="sweep-progress__done" style={{ width: `${(100 * (counts.finished + counts.failed)) / Math.max(1, sweep.planned)}%` }} />
          <span className="sweep-progress__stopped" style={{ width: `${(100 * counts.stopped) / Math.max(1, sweep.planned)}%` }} />
          <span className="sweep-progress__running" style={{ width: `${(100 * counts.running) / Math.max(1, sweep.planned)}%` }} />
        </div>
        <p className="sweep-progress__counts" data-testid="sweep-counts">
          <strong className="num">
            {ended} of {sweep.planned}
          </strong>{' '}
          trials ended · <span className="num">{counts.running}</span> running · <span className="num">{counts.stopped}</span> stopped early
          {counts.failed ? (
            <>
              {' '}
              · <span className="num">{counts.failed}</span> failed
            </>
          ) : null}
        </p>
      </div>

      {sweep.error ? (
        <p className="sweep-detail__error" role="status">
          {sweep.error.message}
          {sweep.error.hint ? <span className="faint"> {sweep.error.hint}</span> : null}
        </p>
      ) : null}

      <section className="sweep-best" aria-label="Best run so far">
        <h3>Best run so far</h3>
        {sweep.best ? (
          <p>
            <a href={runHash({ view: 'run', runId: sweep.best.runId })} className="sweep-best__link">
              Trial #{sweep.best.number}
            </a>{' '}
            <span className="sweep-best__metric num">
              {sweep.metric.name} {formatMetric(sweep.best.metric)}
            </span>{' '}
            <span className="faint">
              with{' '}
              {Object.entries(sweep.best.params)
                .map(([name, value]) => `${name} ${paramText(value)}`)
                .join(', ')}
            </span>
          </p>
        ) : (
          <p className="faint">None yet: the first trial to finish becomes the best so far.</p>
        )}
      </section>

      {sweep.trials.length > 0 ? <SweepChart sweep={sweep} /> : <p className="faint sweep-detail__waiting">The first trials are starting; their lines appear here as they log.</p>}

      <table className="data-table sweep-trials" aria-label="Trials">
        <thead>
          <tr>
            <th>#</th>
            <th>Status</th>
            {names.map((name) => (
              <th key={name}>{name}</th>
            ))}
            <th className="num">{sweep.metric.name}</th>
            <th className="num">Step</th>
          </tr>
        </thead>
        <tbody>
          {sweep.trials.map((trial) => (
            <tr key={trial.number} data-trial={trial.number} className={trial.number === sweep.best?.number ? 'sweep-trials__best' : undefined}>
              <td className="num">{trial.runId ? <a href={runHash({ view: 'run', runId: trial.runId })}>#{trial.number}</a> : `#${trial.number}`}</td>
              <td>
                <StatusBadge status={trial.status} />
                {trial.stoppedBy === 'median' || trial.stoppedBy === 'hyperband' ? <span className="sweep-trials__stopped">stopped early ({trial.stoppedBy})</span> : null}
                {trial.error ? <span className="sweep-trials__error" title={trial.error}>{trial.error}</span> : null}
              </td>
              {names.map((name) => (
                <td key={name} className="num">
                  {trial.params[name] === undefined ? '' : paramText(trial.params[name])}
                </td>
              ))}
              <td className="num">{trial.metric === null ? '' : formatMetric(trial.metric)}</td>
              <td className="num">{trial.step ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
