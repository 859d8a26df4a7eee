import type { TargetWithHealth } from '../../../../shared/contract/deployments.ts';
import { TargetHealthChip, targetStanding } from './target-health-chip.tsx';

/** What a target serves under a model's name now, in words. */
export function servingNow(target: TargetWithHealth, model: string): string {
  const served = target.health?.models.find((one) => one.name === model);
  if (!target.health?.reachable) return 'cannot be asked what it serves';
  if (!served) return `serves no version of ${model} yet`;
  return `serves ${model} v${served.stableVersion}${served.candidateVersion !== null ? `, with v${served.candidateVersion} at ${served.candidateWeight}%` : ''}`;
}

/** Step 2: the target, each with its health and what it serves under this model's name now. */
export function WizardTargetStep({ targets, model, chosen, onChoose }: { targets: readonly TargetWithHealth[]; model: string; chosen: string | null; onChoose: (name: string) => void }) {
  return (
    <fieldset className="wizard__choices">
      <legend className="field__label">Target</legend>
      {targets.map((target) => {
        const unreachable = targetStanding(target.health).status === 'fail';
        return (
          <label key={target.target.name} className="wizard-choice" data-checked={chosen === target.target.name}>
            <input type="radio" name="target" value={target.target.name} checked={chosen === target.target.name} onChange={() => onChoose(target.target.name)} />
            <span className="wizard-choice__body">
              <span className="wizard-choice__title">
                {target.target.name} <TargetHealthChip health={target.health} />
              </span>
              <span className="wizard-choice__help">
                <span className="mono">{target.target.url}</span> · {servingNow(target, model)}
                {unreachable && target.health?.problem ? <span className="wizard-choice__problem">{target.health.problem}</span> : null}
              </span>
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}
