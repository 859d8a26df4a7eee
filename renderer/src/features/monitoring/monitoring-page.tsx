import { useMemo } from 'react';
import { deploymentName } from '../../../../shared/contract/monitoring.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { DeploymentStateChip } from '../deployments/deployment-state-chip.tsx';
import { useDeployCommands, useDeploymentsChanged, useWorkspacePath } from '../deployments/use-deploy.ts';
import { hashOf as modelsHash } from '../models/models-route.ts';
import { useAnswer } from '../models/use-answer.ts';
import { DeploymentMonitor } from './deployment-monitor.tsx';
import { deployedPairs } from './deployed-pairs.ts';
import { hashOf, routeFromHash, useMonitoringHash } from './monitoring-route.ts';
import './time-series-chart.css';
import './monitoring.css';
import './monitor-sections.css';

/**
 * The Monitoring area: every deployment of this workspace, named TARGET/MODEL, and for the one
 * chosen its drift, accuracy, alerts, traffic and retraining.
 */
export function MonitoringPage() {
  const deploy = useDeployCommands();
  const workspace = useWorkspacePath();
  const history = useAnswer(workspace, () => deploy.history({ limit: 500 }));
  useDeploymentsChanged(history.reload);
  const hash = useMonitoringHash();
  const pairs = useMemo(() => (history.loaded.state === 'ready' ? deployedPairs(history.loaded.value) : []), [history.loaded]);
  const chosen = routeFromHash(hash) ?? (pairs[0] ? { target: pairs[0].target, model: pairs[0].model } : null);

  return (
    <main className="monitoring-page" aria-label="Monitoring">
      {history.loaded.state === 'failed' ? (
        <div className="monitoring-page__banner">
          <ErrorBanner error={history.loaded.error} title="Could not read this workspace’s deployments" />
        </div>
      ) : history.loaded.state !== 'ready' ? (
        <div className="monitoring-loading" aria-busy="true">
          <div className="spinner" />
          <span className="faint">Reading this workspace’s deployments…</span>
        </div>
      ) : pairs.length === 0 || chosen === null ? (
        <EmptyMonitoring />
      ) : (
        <div className="monitoring-layout">
          <nav className="monitoring-list" aria-label="Deployments">
            <h1 className="monitoring-list__title">Monitoring</h1>
            <ul>
              {pairs.map((one) => {
                const current = one.target === chosen.target && one.model === chosen.model;
                return (
                  <li key={`${one.target}\n${one.model}`}>
                    <a className="monitoring-list__item" href={hashOf({ target: one.target, model: one.model })} aria-current={current ? 'page' : undefined}>
                      <span className="monitoring-list__name mono">{deploymentName(one.target, one.model)}</span>
                      <span className="monitoring-list__meta">
                        v{one.version} · <DeploymentStateChip state={one.state} />
                      </span>
                    </a>
                  </li>
                );
              })}
            </ul>
          </nav>
          <div className="monitoring-series">
            <DeploymentMonitor
              key={`${chosen.target}\n${chosen.model}`}
              target={chosen.target}
              model={chosen.model}
              latest={pairs.find((one) => one.target === chosen.target && one.model === chosen.model) ?? null}
            />
          </div>
        </div>
      )}
    </main>
  );
}

/** Nothing deployed from this workspace: how a deployment comes to be watched here. */
function EmptyMonitoring() {
  return (
    <section className="empty-area" aria-labelledby="monitoring-empty-title">
      <span className="empty-area__icon">
        <Icon name="monitoring" size={26} />
      </span>
      <h1 id="monitoring-empty-title" className="empty-area__title">
        No deployments yet — deploy a model from Models
      </h1>
      <p className="empty-area__lead">
        Each deployment, named <code>TARGET/MODEL</code> (like <code>edge-1/churn</code>), gets its drift against the training data, its accuracy (or an estimate before
        labels arrive), its alerts, requests, errors and latency here, and its model’s retraining timeline. While Lathe runs it fetches every agent’s window summaries
        and keeps them in the workspace, so the history is here after a restart.
      </p>
      <div className="empty-area__actions">
        <a className="button button--primary button--large" href={modelsHash({ view: 'list' })}>
          <Icon name="models" size={16} />
          Go to Models
        </a>
      </div>
    </section>
  );
}
