import { useCallback, useEffect, useState } from 'react';
import type { Alert } from '../../../../shared/contract/alerts.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { InlineCodeText } from '../../components/inline-code-text.tsx';
import { useServices } from '../../app/services-context.tsx';
import { formatDateTime, formatRelativeTime } from '../../lib/format.ts';
import { useAnswer } from '../models/use-answer.ts';
import { useWorkspacePath } from '../deployments/use-deploy.ts';
import { alertWhy, deliveryWords } from './alert-words.ts';
import { useMonitoringCommands } from './monitoring-commands.ts';

/** Ask again when main says an alert of this workspace was raised or changed. */
function useAlertsChanged(onChange: () => void): void {
  const { api } = useServices();
  const workspace = useWorkspacePath();
  useEffect(() => {
    const offs = [
      api.on('alerts:raised', (raised) => (raised.workspace === workspace ? onChange() : undefined)),
      api.on('alerts:changed', (changed) => (changed.workspace === workspace ? onChange() : undefined)),
    ];
    return () => offs.forEach((off) => off());
  }, [api, workspace, onChange]);
}

/** The deployment's open alerts, newest first: what, when and why, each with Acknowledge. */
export function AlertsPanel({ deployment }: { deployment: string }) {
  const commands = useMonitoringCommands();
  const workspace = useWorkspacePath();
  const { loaded, reload } = useAnswer(workspace && `${workspace}\n${deployment}`, () => commands.alerts(deployment));
  useAlertsChanged(reload);
  const [ackProblem, setAckProblem] = useState<LatheError | null>(null);
  const acknowledge = useCallback(
    async (id: string) => {
      const result = await commands.acknowledge(id);
      setAckProblem(result.ok ? null : result.error);
      reload();
    },
    [commands, reload],
  );

  const alerts = loaded.state === 'ready' ? loaded.value.alerts : [];
  return (
    <section className="monitor-section monitor-alerts" aria-label="Open alerts">
      <h3 className="monitor-section__title">
        Alerts {loaded.state === 'ready' ? <span className={alerts.length > 0 ? 'badge badge--danger' : 'badge'}>{alerts.length} open</span> : null}
      </h3>
      {loaded.state === 'failed' ? <ErrorBanner error={loaded.error} title={`Could not read the alerts of ${deployment}`} /> : null}
      {ackProblem ? <ErrorBanner error={ackProblem} title="Could not acknowledge the alert" onDismiss={() => setAckProblem(null)} /> : null}
      {loaded.state === 'ready' && alerts.length === 0 ? <p className="faint">
          <InlineCodeText text="No open alerts. The rules are the workspace's `lathe.alerts.json` (`lathe alerts rules` shows them)." />
        </p> : null}
      {alerts.length > 0 ? (
        <ul className="alert-list" aria-label="Alerts">
          {alerts.map((alert) => (
            <AlertItem key={alert.id} alert={alert} onAcknowledge={acknowledge} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function AlertItem({ alert, onAcknowledge }: { alert: Alert; onAcknowledge: (id: string) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <li className={`alert-item alert-item--${alert.severity}`} aria-label={alert.summary}>
      <Icon name="alert" size={16} />
      <div className="alert-item__body">
        <p className="alert-item__summary">{alert.summary}</p>
        <p className="alert-item__meta faint">
          <span title={formatDateTime(alert.raisedAt)}>raised {formatRelativeTime(alert.raisedAt)}</span> · {alert.severity} · rule <span className="mono">{alert.ruleId}</span>
          {alertWhy(alert) ? ` · ${alertWhy(alert)}` : ''} · {deliveryWords(alert.delivery)}
        </p>
      </div>
      {alert.ackedAt ? (
        <span className="faint alert-item__acked">
          acknowledged{alert.ackedBy ? ` by ${alert.ackedBy}` : ''} {formatRelativeTime(alert.ackedAt)}
        </span>
      ) : (
        <button
          type="button"
          className="button button--small"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void onAcknowledge(alert.id).finally(() => setBusy(false));
          }}
        >
          Acknowledge
        </button>
      )}
    </li>
  );
}
