import { useState, type FormEvent } from 'react';
import type { PromoteOutcome } from '../../../../shared/contract/registry.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { useModelCommands } from './use-models.ts';

type Step =
  | { readonly at: 'confirm' }
  | { readonly at: 'checking' }
  | { readonly at: 'refused'; readonly error: LatheError }
  | { readonly at: 'override'; readonly refusal: LatheError; readonly problem: string | null; readonly error: LatheError | null }
  | { readonly at: 'overriding'; readonly refusal: LatheError }
  | { readonly at: 'done'; readonly outcome: PromoteOutcome };

/** A refusal that a person may override with a reason: the check ran and failed (not a bad request or a missing version). */
const overridable = (error: LatheError) => error.code === 'FAILED_PRECONDITION';

/**
 * Promote a version to champion. Main runs the version's check (its gates against the current
 * champion) first and refuses when it fails; the refusal shows why, and "Override…" asks for a
 * written reason, which the model's history keeps beside the promotion.
 */
export function PromoteDialog({
  name,
  version,
  champion,
  onClose,
  onPromoted,
  onChecked,
}: {
  name: string;
  version: number;
  champion: number | null;
  onClose: () => void;
  onPromoted: () => void;
  /** The check ran (passed or not): its gate report may now be with the version. */
  onChecked: () => void;
}) {
  const models = useModelCommands();
  const [step, setStep] = useState<Step>({ at: 'confirm' });
  const [reason, setReason] = useState('');
  const ref = `${name}@${version}`;

  async function promote(event: FormEvent) {
    event.preventDefault();
    setStep({ at: 'checking' });
    const result = await models.promote(ref);
    onChecked();
    if (result.ok) {
      setStep({ at: 'done', outcome: result.value });
      onPromoted();
    } else setStep({ at: 'refused', error: result.error });
  }

  async function override(event: FormEvent, refusal: LatheError) {
    event.preventDefault();
    if (reason.trim() === '') {
      setStep({ at: 'override', refusal, problem: 'Write why this version should be champion although its checks failed.', error: null });
      return;
    }
    setStep({ at: 'overriding', refusal });
    const result = await models.promote(ref, reason.trim());
    onChecked();
    if (result.ok) {
      setStep({ at: 'done', outcome: result.value });
      onPromoted();
    } else setStep({ at: 'override', refusal, problem: null, error: result.error });
  }

  const title = `Promote ${ref} to champion`;
  return (
    <ModalDialog label={title} onClose={onClose} wide>
      <div className="dialog__form promote">
        <div>
          <h2 className="dialog__title">{title}</h2>
          <p className="dialog__lead">
            {champion === null
              ? 'No version is champion yet. Lathe checks this version first; if a check fails, nothing changes.'
              : champion === version
                ? `${ref} is already champion; promoting it again runs its checks again.`
                : `Lathe checks this version against the champion, ${name}@${champion}, first (its gates: data, metrics, slices, serving). If a check fails, the champion stays where it is.`}
          </p>
        </div>

        {step.at === 'confirm' || step.at === 'checking' ? (
          <form className="promote__form" onSubmit={(event) => void promote(event)}>
            {step.at === 'checking' ? (
              <p className="promote__progress" aria-live="polite">
                <span className="spinner" aria-hidden="true" /> Running the checks… this can take a while on a large test split.
              </p>
            ) : null}
            <div className="dialog__actions">
              <button type="button" className="button" onClick={onClose}>
                Cancel
              </button>
              <button type="submit" className="button button--primary" disabled={step.at === 'checking'} autoFocus>
                {step.at === 'checking' ? 'Checking…' : 'Check and promote'}
              </button>
            </div>
          </form>
        ) : null}

        {step.at === 'refused' ? (
          <>
            {/* A refusal by the checks says so itself ("… was not promoted to champion: its check failed. …"); other failures get a title. */}
            <ErrorBanner error={step.error} {...(overridable(step.error) ? {} : { title: `Could not promote ${ref}` })} />
            <div className="dialog__actions">
              <button type="button" className="button" onClick={onClose} autoFocus>
                Close
              </button>
              {overridable(step.error) ? (
                <button type="button" className="button promote__danger" onClick={() => setStep({ at: 'override', refusal: step.error, problem: null, error: null })}>
                  Override…
                </button>
              ) : null}
            </div>
          </>
        ) : null}

        {step.at === 'override' || step.at === 'overriding' ? (
          <form className="promote__form" aria-label="Override the failed checks" onSubmit={(event) => void override(event, step.refusal)}>
            <p className="promote__refusal">
              <Icon name="alert" size={15} />
              <span>{step.refusal.message}</span>
            </p>
            <label className="field">
              <span className="field__label">Why promote it anyway?</span>
              <textarea
                className="input promote__reason"
                rows={3}
                value={reason}
                autoFocus
                aria-invalid={step.at === 'override' && step.problem !== null}
                placeholder="The slice that fails has 31 rows, all from one survey day; the champion is worse on the rest."
                onChange={(event) => setReason(event.target.value)}
              />
              {step.at === 'override' && step.problem ? <span className="field__problem">{step.problem}</span> : <span className="field__note">Kept in the model’s history with the promotion, for whoever asks later.</span>}
            </label>
            {step.at === 'override' && step.error ? <ErrorBanner error={step.error} title={`Could not promote ${ref}`} /> : null}
            <div className="dialog__actions">
              <button type="button" className="button" onClick={onClose}>
                Cancel
              </button>
              <button type="submit" className="button promote__danger" disabled={step.at === 'overriding'}>
                {step.at === 'overriding' ? 'Promoting…' : 'Promote anyway'}
              </button>
            </div>
          </form>
        ) : null}

        {step.at === 'done' ? (
          <>
            <div className="promote__done" role="status">
              <Icon name="success" size={16} />
              <div>
                <p>
                  <strong>
                    {ref} is champion{step.outcome.previous !== null && step.outcome.previous !== version ? ` (it was version ${step.outcome.previous})` : ''}.
                  </strong>
                </p>
                <p className="faint">{step.outcome.overridden ? `Promoted over failed checks; the reason is kept in the history. ${step.outcome.check.summary}` : step.outcome.check.summary}</p>
              </div>
            </div>
            <div className="dialog__actions">
              <button type="button" className="button button--primary" onClick={onClose} autoFocus>
                Done
              </button>
            </div>
          </>
        ) : null}
      </div>
    </ModalDialog>
  );
}
