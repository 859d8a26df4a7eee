import { useState } from 'react';
import type { Deployment, TargetWithHealth } from '../../../../shared/contract/deployments.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { useAnswer } from '../models/use-answer.ts';
import { defaultStrategyFields, describeStrategy, readStrategy, type StrategyFields } from './strategy-choice.ts';
import { useDeployCommands, useWorkspacePath } from './use-deploy.ts';
import { servingNow, WizardTargetStep } from './wizard-target-step.tsx';
import { WizardStrategyStep } from './wizard-strategy-step.tsx';
import { gateBlocks, WizardVersionStep, type VersionChoice } from './wizard-version-step.tsx';

const steps = ['Version', 'Target', 'Strategy', 'Review'] as const;

/**
 * Deploy in four steps: 1) a model version, with its gate status (a failed or missing gate needs a
 * written reason); 2) a target; 3) a strategy; 4) a review of all three, then Deploy. Main checks,
 * packages, signs and uploads; the rollout page follows what the agent does with it.
 */
export function DeployWizard({ targets, onClose, onStarted }: { targets: readonly TargetWithHealth[]; onClose: () => void; onStarted: (deployment: Deployment) => void }) {
  const deploy = useDeployCommands();
  const workspace = useWorkspacePath();
  const [at, setAt] = useState(0);
  const [version, setVersion] = useState<VersionChoice>({ model: '', version: null, overrideReason: null });
  const [target, setTarget] = useState<string | null>(targets.length === 1 ? targets[0]!.target.name : null);
  const [strategyFields, setStrategyFields] = useState<StrategyFields>(defaultStrategyFields);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LatheError | null>(null);

  const ref = version.version === null ? null : `${version.model}@${version.version}`;
  const gates = useAnswer(workspace && ref && `${workspace}\n${ref}`, () => deploy.gateResults(ref ?? ''));
  const chosenTarget = targets.find((one) => one.target.name === target) ?? null;
  const firstDeploy = chosenTarget !== null && !chosenTarget.health?.models.some((one) => one.name === version.model);
  const fields = firstDeploy ? { ...strategyFields, kind: 'replace' as const } : strategyFields;
  const strategy = readStrategy(fields);
  const blocked = gateBlocks(gates.loaded);
  const reason = version.overrideReason?.trim() ?? '';

  const ready = [
    ref !== null && gates.loaded.state === 'ready' && (!blocked || reason !== ''),
    chosenTarget !== null,
    strategy.ok,
    true,
  ];
  const why = [
    ref === null ? 'Choose a model and a version.' : blocked && reason === '' ? 'This version’s gates did not pass: write why it should be deployed anyway, or choose another.' : null,
    chosenTarget === null ? 'Choose a target.' : null,
    strategy.ok ? null : strategy.problem,
    null,
  ];

  async function start() {
    if (ref === null || chosenTarget === null || !strategy.ok) return;
    setBusy(true);
    setError(null);
    const result = await deploy.start(ref, chosenTarget.target.name, strategy.strategy, blocked ? reason : null);
    setBusy(false);
    if (result.ok) onStarted(result.value);
    else setError(result.error);
  }

  return (
    <ModalDialog label="Deploy a model version" onClose={onClose} wide>
      <div className="dialog__form wizard">
        <div>
          <h2 className="dialog__title">Deploy a model version</h2>
          <ol className="wizard__steps" aria-label="Steps">
            {steps.map((name, index) => (
              <li key={name} className="wizard__step" data-state={index === at ? 'current' : index < at ? 'done' : 'todo'} aria-current={index === at ? 'step' : undefined}>
                <span className="wizard__step-number">{index < at ? <Icon name="check" size={12} /> : index + 1}</span>
                {name}
              </li>
            ))}
          </ol>
        </div>
        <div className="wizard__body">
          {at === 0 ? <WizardVersionStep choice={version} onChange={setVersion} gates={gates.loaded} /> : null}
          {at === 1 ? <WizardTargetStep targets={targets} model={version.model} chosen={target} onChoose={setTarget} /> : null}
          {at === 2 ? <WizardStrategyStep fields={fields} onChange={setStrategyFields} firstDeploy={firstDeploy} /> : null}
          {at === 3 && ref !== null && chosenTarget !== null && strategy.ok ? (
            <dl className="wizard-review" aria-label="Review">
              <dt>Version</dt>
              <dd>
                <span className="mono">{ref}</span>
                {blocked ? <span className="wizard-review__override">deployed over its gates: “{reason}”</span> : null}
              </dd>
              <dt>Target</dt>
              <dd>
                {chosenTarget.target.name} <span className="mono faint">{chosenTarget.target.url}</span> <span className="faint">· {servingNow(chosenTarget, version.model)}</span>
              </dd>
              <dt>Strategy</dt>
              <dd>{describeStrategy(strategy.strategy)}</dd>
            </dl>
          ) : null}
        </div>
        {busy && chosenTarget ? (
          <p className="wizard__progress" aria-live="polite">
            <span className="spinner" aria-hidden="true" /> Packaging and signing {ref}, then sending it to {chosenTarget.target.name}, which checks its signature and loads it…
          </p>
        ) : null}
        {error ? <ErrorBanner error={error} title={`Could not deploy ${ref ?? ''}`} onDismiss={() => setError(null)} /> : null}
        <div className="dialog__actions wizard__actions">
          {why[at] && at < 3 ? <span className="wizard__why faint">{why[at]}</span> : null}
          <button type="button" className="button" onClick={at === 0 ? onClose : () => setAt(at - 1)} disabled={busy}>
            {at === 0 ? 'Cancel' : 'Back'}
          </button>
          {at < 3 ? (
            <button type="button" className="button button--primary" disabled={!ready[at]} onClick={() => setAt(at + 1)}>
              Next
            </button>
          ) : (
            <button type="button" className="button button--primary" disabled={busy} onClick={() => void start()} autoFocus>
              {busy ? 'Deploying…' : 'Deploy'}
            </button>
          )}
        </div>
      </div>
    </ModalDialog>
  );
}
