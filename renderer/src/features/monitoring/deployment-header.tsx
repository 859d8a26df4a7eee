import type { DeploymentWithEvents } from '../../../../shared/contract/deployments.ts';
import type { MonitoringReport } from '../../../../shared/contract/monitoring.ts';
import { Icon } from '../../components/icon.tsx';
import { formatRelativeTime } from '../../lib/format.ts';
import { hashOf as deploymentsHash } from '../deployments/deployments-route.ts';
import { conceptFact, freshnessFact, recorderFact, referenceFact, type HeaderFact } from './report-words.ts';

function Fact({ label, fact }: { label: string; fact: HeaderFact }) {
  return (
    <div className={`monitor-fact monitor-fact--${fact.tone}`}>
      <dt>{label}</dt>
      <dd>
        {fact.tone === 'bad' ? <Icon name="alert" size={13} /> : null}
        <span>{fact.text}</span>
      </dd>
    </div>
  );
}

const windowWords = (report: MonitoringReport) =>
  report.settings.window.kind === 'count' ? `every ${report.settings.window.rows} predictions` : `every ${report.settings.window.seconds} s`;

/**
 * What a deployment is and how far to trust its numbers: the version serving, the training
 * reference it is judged against (or why there is none), the recorder's health (dropped records
 * loudly), DDM/ADWIN on the labelled predictions, and whether the agent answered just now.
 */
export function DeploymentHeader({ name, report, latest, actions }: { name: string; report: MonitoringReport | null; latest: DeploymentWithEvents | null; actions: React.ReactNode }) {
  const stale = report ? freshnessFact(report, formatRelativeTime) : null;
  return (
    <header className="monitor-header">
      <div className="monitor-header__title-row">
        <h2 id="monitor-title" className="monitor-header__title mono">
          {name}
        </h2>
        {latest ? (
          <a className="faint" href={deploymentsHash({ view: 'rollout', id: latest.id })}>
            latest deployment: v{latest.version}, {formatRelativeTime(latest.startedAt)}
          </a>
        ) : null}
        <span className="monitor-header__actions">{actions}</span>
      </div>
      {stale ? (
        <p className="monitor-stale" role="alert">
          <Icon name="alert" size={15} />
          <span>{stale.text}</span>
        </p>
      ) : null}
      {report ? (
        <dl className="monitor-facts">
          <Fact label="Serving" fact={{ text: report.version ? `v${report.version}` : 'nothing (no stable version on the agent)', tone: report.version ? 'plain' : 'warn' }} />
          <Fact label="Reference" fact={referenceFact(report)} />
          <Fact label="Recorder" fact={recorderFact(report.recorder)} />
          <Fact label="Concept drift" fact={conceptFact(report.concept, formatRelativeTime)} />
          <Fact label="Windows" fact={{ text: `${windowWords(report)}; judged with at least ${report.settings.minRows} rows per column`, tone: 'plain' }} />
        </dl>
      ) : null}
    </header>
  );
}
