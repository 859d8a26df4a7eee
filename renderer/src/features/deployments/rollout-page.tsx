import { FINISHED_PHASES, type RolloutStatus } from '../../../../shared/contract/agent-admin.ts';
import type { DeploymentWithEvents } from '../../../../shared/contract/deployments.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { formatRelativeTime } from '../../lib/format.ts';
import { useAnswer } from '../models/use-answer.ts';
import { AbExperiment } from './ab-experiment.tsx';
import { AnalysisCharts } from './analysis-charts.tsx';
import { DecisionLog } from './decision-log.tsx';
import { DeploymentStateChip, strategyWords } from './deployment-state-chip.tsx';
import { hashOf } from './deployments-route.ts';
import { RolloutActions } from './rollout-actions.tsx';
import { formatSeconds } from './strategy-choice.ts';
import { TrafficSplit } from './traffic-split.tsx';
import { useDeployCommands, useDeploymentsChanged, useRefreshWhile, useWorkspacePath } from './use-deploy.ts';

/**
 * One deployment: its state, the traffic split now, the step it is at, each analysis metric over
 * time for both arms against its threshold, the decision log, and Promote / Abort while the
 * agent runs its rollout. Asked again every second while it runs.
 */
export function RolloutPage({ id }: { id: string }) {
  const deploy = useDeployCommands();
  const workspace = useWorkspacePath();
  const { loaded, reload } = useAnswer(workspace && `${workspace}\n${id}`, () => deploy.rollout(id));
  useDeploymentsChanged(reload);
  const running = loaded.state === 'ready' && (loaded.value.deployment.state === 'deploying' || loaded.value.deployment.state === 'rolling-out');
  useRefreshWhile(running, 1_000, reload);

  if (loaded.state === 'idle' || loaded.state === 'loading') {
    return (
      <div className="deployments-loading" aria-busy="true">
        <div className="spinner" />
      </div>
    );
  }
  if (loaded.state === 'failed') {
    return (
      <div className="deployments-page__banner">
        <ErrorBanner
          error={loaded.error}
          title="Could not open this deployment"
          actions={
            <a className="button button--small" href={hashOf({ view: 'targets' })}>
              Back to Deployments
            </a>
          }
        />
      </div>
    );
  }
  const { deployment, rollout, problem } = loaded.value;
  return <RolloutView deployment={deployment} rollout={rollout} problem={problem} onChanged={reload} />;
}

const phaseWords: Record<RolloutStatus['phase'], string> = {
  progressing: 'Progressing',
  paused: 'Paused',
  promoted: 'Promoted',
  'rolled-back': 'Rolled back by its analysis',
  aborted: 'Aborted',
  failed: 'Failed',
};

/** Where a rollout is: its phase, the canary's step among its steps, and its failed checks against the limit. */
function StepLine({ rollout }: { rollout: RolloutStatus }) {
  const spec = rollout.spec;
  if (spec.strategy !== 'canary') return <span>{phaseWords[rollout.phase]}</span>;
  const step = Math.min(rollout.step, spec.steps.length - 1);
  const failed = `${rollout.failedAnalyses} of ${spec.analysis.failureLimit} failed checks`;
  return (
    <span>
      {phaseWords[rollout.phase]} · step <strong className="num">{step + 1}</strong> of <span className="num">{spec.steps.length}</span> (
      {spec.steps.map((weight, index) => (
        <span key={weight} className={index === step ? 'rollout-steps__current' : undefined}>
          {index > 0 ? ' → ' : ''}
          {weight}%
        </span>
      ))}
      ) · {failed}
    </span>
  );
}

function RolloutView({ deployment, rollout, problem, onChanged }: { deployment: DeploymentWithEvents; rollout: RolloutStatus | null; problem: string | null; onChanged: () => void }) {
  const ref = `${deployment.model}@${deployment.version}`;
  const running = deployment.state === 'rolling-out' && rollout !== null && !FINISHED_PHASES.includes(rollout.phase);
  return (
    <div className="rollout-page">
      <header className="page-header">
        <a className="page-header__back" href={hashOf({ view: 'target', name: deployment.target })}>
          <Icon name="arrowLeft" size={14} />
          {deployment.target}
        </a>
        <div className="page-header__title-row">
          <h1 className="page-header__title">
            <span className="mono">{ref}</span> <span className="rollout-page__to">to {deployment.target}</span>
          </h1>
          <span role="status" aria-label="Deployment state">
            <DeploymentStateChip state={deployment.state} />
          </span>
          <span className="faint" title={deployment.startedAt}>
            {strategyWords[deployment.strategy]} · started {formatRelativeTime(deployment.startedAt)} by {deployment.by}
          </span>
          {running ? <RolloutActions deployment={deployment} stableVersion={rollout.stable.version} onDone={onChanged} /> : null}
        </div>
        <p className="rollout-page__outcome" aria-label="Outcome">
          {deployment.outcome}
        </p>
        {deployment.overrideReason ? (
          <p className="rollout-page__override">
            <Icon name="alert" size={14} /> Deployed over its gates ({deployment.gate.summary}): “{deployment.overrideReason}”
          </p>
        ) : null}
      </header>
      <div className="rollout-body">
        {problem ? <p className="rollout-page__problem" role="alert"><Icon name="wifiOff" size={14} /> {problem}</p> : null}
        {rollout ? (
          <section className="deploy-section" aria-labelledby="traffic-title">
            <div className="deploy-section__head">
              <h2 id="traffic-title" className="deploy-section__title">
                Traffic
              </h2>
              <span className="faint" aria-label="Current step">
                <StepLine rollout={rollout} />
                {deployment.intervalMs ? ` · ${deployment.strategy === 'canary' ? 'a check' : 'measured'} every ${formatSeconds(deployment.intervalMs / 1000)}` : ''}
              </span>
            </div>
            <TrafficSplit stableVersion={rollout.stable.version} candidateVersion={rollout.candidate.version} candidateWeight={rollout.weight} />
          </section>
        ) : null}
        {rollout?.strategy === 'ab' ? <AbExperiment experiment={rollout.experiment} model={rollout.model} /> : null}
        {rollout && rollout.strategy !== 'replace' ? (
          <section className="deploy-section" aria-labelledby="analysis-title">
            <h2 id="analysis-title" className="deploy-section__title">
              Analysis
            </h2>
            <AnalysisCharts rollout={rollout} />
          </section>
        ) : null}
        <DecisionLog decisions={rollout ? rollout.decisions : null} events={deployment.events} />
      </div>
    </div>
  );
}
