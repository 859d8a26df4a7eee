import { useEffect, useState } from 'react';
import type { Alert } from '../../../../shared/contract/alerts.ts';
import { splitDeploymentName } from '../../../../shared/contract/monitoring.ts';
import { Icon } from '../../components/icon.tsx';
import { useServices } from '../../app/services-context.tsx';
import { useWorkspacePath } from '../deployments/use-deploy.ts';
import { hashOf } from './monitoring-route.ts';
import './alert-toasts.css';

/** At most this many alerts on screen at once; older ones give way (they stay listed in Monitoring). */
const MAX_SHOWN = 3;

/**
 * App-wide, bottom right: an alert just raised on a deployment of this window's workspace, with a
 * link to its Monitoring page. It stays until dismissed (an alert is not a passing notice); the
 * newest three are shown. The desktop app also shows a system notification (main/app).
 */
export function AlertToasts() {
  const { api } = useServices();
  const workspace = useWorkspacePath();
  const [shown, setShown] = useState<readonly Alert[]>([]);

  useEffect(
    () =>
      api.on('alerts:raised', (raised) => {
        if (raised.workspace !== workspace) return;
        setShown((current) => [raised.alert, ...current.filter((one) => one.id !== raised.alert.id)].slice(0, MAX_SHOWN));
      }),
    [api, workspace],
  );

  const dismiss = (id: string) => setShown((current) => current.filter((one) => one.id !== id));
  return (
    <div className="alert-toasts" role="region" aria-label="New alerts" aria-live="assertive">
      {shown.map((alert) => (
        <div key={alert.id} className={`toast alert-toast alert-toast--${alert.severity}`} role="alert">
          <Icon name="alert" size={18} />
          <div className="toast__body">
            <p className="toast__title">
              {alert.severity === 'critical' ? 'Critical alert' : 'Alert'} on <span className="mono">{alert.deployment}</span>
            </p>
            <p className="toast__text">{alert.summary}</p>
            <a className="toast__link" href={hashOf(splitDeploymentName(alert.deployment))} onClick={() => dismiss(alert.id)}>
              Open in Monitoring
            </a>
          </div>
          <button type="button" className="icon-button" aria-label="Dismiss" title="Dismiss" onClick={() => dismiss(alert.id)}>
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
