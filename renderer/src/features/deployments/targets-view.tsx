import { useCallback, useState } from 'react';
import type { DeploymentWithEvents, TargetWithHealth } from '../../../../shared/contract/deployments.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { formatRelativeTime } from '../../lib/format.ts';
import { useAnswer, type Loaded } from '../models/use-answer.ts';
import { AddTargetDialog } from './add-target-dialog.tsx';
import { DeployWizard } from './deploy-wizard.tsx';
import { DeploymentStateChip, strategyWords } from './deployment-state-chip.tsx';
import { hashOf } from './deployments-route.ts';
import { EmptyTargets } from './empty-targets.tsx';
import { TargetHealthChip } from './target-health-chip.tsx';
import { useDeployCommands, useDeploymentsChanged, useRefreshWhile, useWorkspacePath } from './use-deploy.ts';

/**
 * The Deployments area's front page: every target with what it serves (stable version, candidate
 * and its weight), "Add target…" and "Deploy…", and the workspace's recent deployments.
 */
export function TargetsView() {
  const deploy = useDeployCommands();
  const workspace = useWorkspacePath();
  const targets = useAnswer(workspace, () => deploy.targets());
  const history = useAnswer(workspace, () => deploy.history({ limit: 20 }));
  const [adding, setAdding] = useState(false);
  const [deploying, setDeploying] = useState(false);
  const [reloadTargets, reloadHistory] = [targets.reload, history.reload];
  const reloadAll = useCallback(() => {
    reloadTargets();
    reloadHistory();
  }, [reloadTargets, reloadHistory]);
  useDeploymentsChanged(reloadAll);
  const live = history.loaded.state === 'ready' && history.loaded.value.some((one) => one.state === 'deploying' || one.state === 'rolling-out');
  // A rollout moves its weight on the agent: ask again while one runs.
  useRefreshWhile(live, 2_000, reloadAll);

  if (targets.loaded.state === 'idle' || targets.loaded.state === 'loading') {
    return (
      <div className="deployments-loading" aria-busy="true">
        <div className="spinner" />
      </div>
    );
  }
  if (targets.loaded.state === 'failed') {
    return (
      <div className="deployments-page__banner">
        <ErrorBanner error={targets.loaded.error} title="Could not list the deploy targets" />
      </div>
    );
  }
  const list = targets.loaded.value;
  const addDialog = adding ? (
    <AddTargetDialog
      existing={list.map((one) => one.target.name)}
      onClose={() => setAdding(false)}
      onAdded={() => {
        setAdding(false);
        reloadAll();
      }}
    />
  ) : null;
  if (list.length === 0) {
    return (
      <>
        <EmptyTargets onAdd={() => setAdding(true)} />
        {addDialog}
      </>
    );
  }
  return (
    <div className="deployments-list">
      <header className="deployments-list__header">
        <h1 className="deployments-list__title">Deployments</h1>
        <span className="faint num">{list.length === 1 ? '1 target' : `${list.length} targets`}</span>
        <div className="deployments-list__actions">
          <button type="button" className="button" onClick={() => setAdding(true)}>
            <Icon name="folderPlus" size={15} />
            Add target…
          </button>
          <button type="button" className="button button--primary" onClick={() => setDeploying(true)}>
            <Icon name="deployments" size={15} />
            Deploy…
          </button>
        </div>
      </header>
      <TargetsTable targets={list} history={history.loaded} />
      <RecentDeployments history={history.loaded} />
      {addDialog}
      {deploying ? (
        <DeployWizard
          targets={list}
          onClose={() => setDeploying(false)}
          onStarted={(deployment) => {
            setDeploying(false);
            window.location.hash = hashOf({ view: 'rollout', id: deployment.id });
          }}
        />
      ) : null}
    </div>
  );
}

function TargetsTable({ targets, history }: { targets: readonly TargetWithHealth[]; history: Loaded<DeploymentWithEvents[]> }) {
  // The deployment that put each model where it is now: the newest one per target and model.
  const latest = new Map<string, DeploymentWithEvents>();
  if (history.state === 'ready') for (const one of history.value) if (!latest.has(`${one.target}\n${one.model}`)) latest.set(`${one.target}\n${one.model}`, one);
  return (
    <table className="data-table deploy-table" aria-label="Targets">
      <thead>
        <tr>
          <th scope="col">Target</th>
          <th scope="col">Status</th>
          <th scope="col">Serves</th>
          <th scope="col">Checked</th>
        </tr>
      </thead>
      <tbody>
        {targets.map(({ target, health }) => (
          <tr key={target.name} aria-label={target.name}>
            <th scope="row">
              <a className="deploy-table__name" href={hashOf({ view: 'target', name: target.name })}>
                {target.name}
              </a>
              <span className="mono faint deploy-table__url">{target.url}</span>
              {target.tokenStorage === 'plain-text' ? <span className="deploy-table__warning">token kept in plain text</span> : null}
            </th>
            <td>
              <TargetHealthChip health={health} />
              {health?.problem ? <p className="deploy-table__problem">{health.problem}</p> : null}
            </td>
            <td>
              {!health || health.models.length === 0 ? (
                <span className="faint">{health?.reachable ? 'nothing yet' : '—'}</span>
              ) : (
                <ul className="served-models">
                  {health.models.map((model) => {
                    const deployment = latest.get(`${target.name}\n${model.name}`);
                    return (
                      <li key={model.name} className="served-model">
                        <span className="mono">{model.name}</span>
                        <span className="served-model__version">v{model.stableVersion}</span>
                        {model.candidateVersion !== null ? (
                          <span className="served-model__candidate">
                            candidate v{model.candidateVersion} at <span className="num">{model.candidateWeight}%</span>
                          </span>
                        ) : null}
                        {deployment ? (
                          <a className="served-model__link" href={hashOf({ view: 'rollout', id: deployment.id })}>
                            {deployment.state === 'rolling-out' ? 'Watch the rollout' : 'Last deployment'}
                          </a>
                        ) : null}
                      </li>
                    );
                  })}
                </ul>
              )}
              {health && health.notLoaded.length > 0 ? (
                <p className="deploy-table__problem">Not loaded: {health.notLoaded.map((one) => `${one.name} (${one.error})`).join('; ')}</p>
              ) : null}
            </td>
            <td className="faint" title={health?.checkedAt}>
              {health ? formatRelativeTime(health.checkedAt) : '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The workspace's newest deployments, each a link to its rollout page. */
export function DeploymentTable({ deployments, label }: { deployments: readonly DeploymentWithEvents[]; label: string }) {
  return (
    <table className="data-table deploy-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Target</th>
          <th scope="col">Strategy</th>
          <th scope="col">State</th>
          <th scope="col">Outcome</th>
          <th scope="col">Started</th>
        </tr>
      </thead>
      <tbody>
        {deployments.map((one) => (
          <tr key={one.id}>
            <th scope="row">
              <a className="mono" href={hashOf({ view: 'rollout', id: one.id })}>
                {one.model}@{one.version}
              </a>
            </th>
            <td>
              <a href={hashOf({ view: 'target', name: one.target })}>{one.target}</a>
            </td>
            <td>{strategyWords[one.strategy]}</td>
            <td>
              <DeploymentStateChip state={one.state} />
            </td>
            <td className="deploy-table__outcome">
              {one.outcome}
              {one.overrideReason ? <span className="deploy-table__override">Gates overridden: {one.overrideReason}</span> : null}
            </td>
            <td className="faint" title={one.startedAt}>
              {formatRelativeTime(one.startedAt)} by {one.by}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RecentDeployments({ history }: { history: Loaded<DeploymentWithEvents[]> }) {
  return (
    <section className="deploy-section" aria-labelledby="recent-deployments-title">
      <h2 id="recent-deployments-title" className="deploy-section__title">
        Recent deployments
      </h2>
      {history.state === 'failed' ? (
        <ErrorBanner error={history.error} title="Could not read the deployment history" />
      ) : history.state !== 'ready' ? (
        <div className="spinner" aria-busy="true" />
      ) : history.value.length === 0 ? (
        <p className="faint">Nothing deployed from this workspace yet. Deploy… picks a registered version, a target and how traffic moves to it.</p>
      ) : (
        <DeploymentTable deployments={history.value} label="Recent deployments" />
      )}
    </section>
  );
}
