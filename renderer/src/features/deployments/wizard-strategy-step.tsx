import { useId, type ReactNode } from 'react';
import { canaryTiming, formatSeconds, readStrategy, strategyHelp, type StrategyField, type StrategyFields, type StrategyKind } from './strategy-choice.ts';

const kinds: readonly StrategyKind[] = ['replace', 'canary', 'ab', 'shadow'];

function TextField({ label, field, fields, onChange, problem, note, suffix }: { label: string; field: StrategyField; fields: StrategyFields; onChange: (fields: StrategyFields) => void; problem: string | null; note?: ReactNode; suffix?: string }) {
  const id = useId();
  const said = problem ?? note;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <span className="wizard__input-with-unit">
        <input
          id={id}
          className="input num"
          value={fields[field]}
          spellCheck={false}
          aria-invalid={problem !== null}
          aria-describedby={said ? `${id}-said` : undefined}
          onChange={(event) => onChange({ ...fields, [field]: event.target.value })}
        />
        <span className="wizard__unit" aria-hidden="true">
          {suffix}
        </span>
      </span>
      {said ? (
        <span id={`${id}-said`} className={problem ? 'field__problem' : 'field__note'}>
          {said}
        </span>
      ) : null}
    </div>
  );
}

/**
 * Step 3: how traffic moves to the new version. Each strategy says in a sentence what it does;
 * canary's steps, interval and thresholds start at the agent's defaults. With nothing serving
 * under this name yet there is no stable version to compare with: only Replace is offered.
 */
export function WizardStrategyStep({ fields, onChange, firstDeploy }: { fields: StrategyFields; onChange: (fields: StrategyFields) => void; firstDeploy: boolean }) {
  const reading = readStrategy(fields);
  const problemOf = (field: StrategyField) => (!reading.ok && reading.field === field ? reading.problem : null);
  const shared = { fields, onChange };
  return (
    <div className="wizard__fields">
      <fieldset className="wizard__choices wizard__choices--grid">
        <legend className="field__label">Strategy</legend>
        {kinds.map((kind) => {
          const disabled = firstDeploy && kind !== 'replace';
          return (
            <label key={kind} className="wizard-choice" data-checked={fields.kind === kind} data-disabled={disabled}>
              <input type="radio" name="strategy" value={kind} checked={fields.kind === kind} disabled={disabled} onChange={() => onChange({ ...fields, kind })} />
              <span className="wizard-choice__body">
                <span className="wizard-choice__title">{strategyHelp[kind].title}</span>
                <span className="wizard-choice__help">{strategyHelp[kind].help}</span>
              </span>
            </label>
          );
        })}
      </fieldset>
      {firstDeploy ? <p className="wizard__note">Nothing serves under this name on the target yet, so there is no stable version to compare with: the first deployment replaces.</p> : null}
      {fields.kind === 'canary' ? (
        <div className="wizard__grid" role="group" aria-label="Canary settings">
          <TextField {...shared} label="Steps (percent of traffic)" field="steps" problem={problemOf('steps')} note="Each step runs one interval, then is checked." />
          <TextField {...shared} label="Interval" field="interval" suffix="s" problem={problemOf('interval')} note="How long each step runs before its check." />
          <TextField {...shared} label="Highest error rate" field="maxErrorRate" suffix="%" problem={problemOf('maxErrorRate')} />
          <TextField {...shared} label="Slowest p99 latency" field="maxP99Ms" suffix="ms" problem={problemOf('maxP99Ms')} />
          <TextField {...shared} label="Most disagreement with stable" field="maxDisagreement" suffix="%" problem={problemOf('maxDisagreement')} note="Share of requests where the new version predicts something else." />
          <TextField {...shared} label="Requests a check needs" field="minRequests" problem={problemOf('minRequests')} note="Fewer candidate requests in an interval fail its check: no data never passes." />
          <TextField {...shared} label="Failed checks before rollback" field="failureLimit" problem={problemOf('failureLimit')} note="Then all traffic goes back to stable, by itself." />
        </div>
      ) : null}
      {fields.kind === 'ab' ? (
        <div className="wizard__grid" role="group" aria-label="A/B settings">
          <TextField {...shared} label="New version’s share" field="abWeight" suffix="%" problem={problemOf('abWeight')} note="A caller with the same request key always gets the same version." />
          <TextField {...shared} label="Measure every" field="interval" suffix="s" problem={problemOf('interval')} />
        </div>
      ) : null}
      {fields.kind === 'shadow' ? (
        <div className="wizard__grid" role="group" aria-label="Shadow settings">
          <TextField {...shared} label="Compare every" field="interval" suffix="s" problem={problemOf('interval')} />
        </div>
      ) : null}
      {reading.ok && reading.strategy.strategy === 'canary' ? (
        <p className="wizard__note" role="status">
          {(() => {
            const timing = canaryTiming(reading.strategy);
            return `If every check passes, the new version takes all traffic in about ${formatSeconds(timing.promoteSeconds)}; if it keeps failing, all traffic is back on the stable version within ${formatSeconds(timing.rollbackSeconds)}.`;
          })()}
        </p>
      ) : null}
    </div>
  );
}
