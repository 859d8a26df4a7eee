import { useCallback } from 'react';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { useAnswer } from '../models/use-answer.ts';
import { hashOf } from './deployments-route.ts';
import { RemoveTarget } from './remove-target.tsx';
import { TargetHealthChip } from './target-health-chip.tsx';
import { DeploymentTable } from './targets-view.tsx';
import { useDeployCommands, useDeploymentsChanged, useWorkspacePath } from './use-deploy.ts';

/** One target: its health and every deployment this workspace made to it, newest first. */
export function TargetHistory({ name }: { name: string }) {
  const deploy = useDeployCommands();
  const workspace = useWorkspacePath();
  const key = workspace && `${workspace}\n${name}`;
  const history = useAnswer(key, () => deploy.history({ target: name, limit: 200 }));
  const targets = useAnswer(key, () => deploy.targets());
  const [reloadHistory, reloadTargets] = [history.reload, targets.reload];
  useDeploymentsChanged(
    useCallback(() => {
      reloadHistory();
      reloadTargets();
    }, [reloadHistory, reloadTargets]),
  );
  const target = targets.loaded.state === 'ready' ? targets.loaded.value.find((one) => one.target.name === name) : undefined;

  return (
    <div className="deployments-list">
      <header className="page-header">
        <a className="page-header__back" href={hashOf({ view: 'targets' })}>
          <Icon name="arrowLeft" size={14} />
          Deployments
        </a>
        <div className="page-header__title-row">
          <h1 className="page-header__title">{name}</h1>
          {target ? (
            <>
              <TargetHealthChip health={target.health} />
              <span className="mono faint">{target.target.url}</span>
              <RemoveTarget name={name} onRemoved={() => (window.location.hash = hashOf({ view: 'targets' }))} />
            </>
          ) : null}
        </div>
      </header>
      {targets.loaded.state === 'ready' && !target ? <p className="faint">There is no target called {name} on this machine now; its deployments are still recorded below.</p> : null}
      <section className="deploy-section" aria-labelledby="target-history-title">
        <h2 id="target-history-title" className="deploy-section__title">
          History
        </h2>
        {history.loaded.state === 'failed' ? (
          <ErrorBanner error={history.loaded.error} title={`Could not read the deployments to ${name}`} />
        ) : history.loaded.state !== 'ready' ? (
          <div className="spinner" aria-busy="true" />
        ) : history.loaded.value.length === 0 ? (
          <p className="faint">Nothing has been deployed to {name} from this workspace.</p>
        ) : (
          <DeploymentTable deployments={history.loaded.value} label={`Deployments to ${name}`} />
        )}
      </section>
    </div>
  );
}
