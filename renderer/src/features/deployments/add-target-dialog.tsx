import { useState, type FormEvent } from 'react';
import { TargetName, TargetUrl, type TargetWithHealth } from '../../../../shared/contract/deployments.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { TargetHealthChip } from './target-health-chip.tsx';
import { useDeployCommands } from './use-deploy.ts';

type Field = 'name' | 'url' | 'token';
type Problems = Partial<Record<Field, string>>;

/** The first problem with each field, from the contract's own schemas: the form says what main would. */
export function targetProblems(fields: { name: string; url: string; token: string }, existing: readonly string[]): Problems {
  const problems: Problems = {};
  const name = TargetName.safeParse(fields.name.trim());
  if (!name.success) problems.name = fields.name.trim() === '' ? 'Name the target, like edge-1.' : `${name.error.issues[0]?.message ?? 'not a target name'}.`;
  else if (existing.includes(name.data)) problems.name = `There is a target called ${name.data} already; pick another name, or remove it first.`;
  const url = TargetUrl.safeParse(fields.url.trim());
  if (!url.success) problems.url = fields.url.trim() === '' ? 'Give the URL the agent printed, like http://10.0.0.5:8080.' : `${url.error.issues[0]?.message ?? 'not an agent address'}.`;
  if (fields.token.trim() === '') problems.token = 'Paste the admin token the agent printed at its first start.';
  return problems;
}

/**
 * main refused to keep the token because the only store is plain text (Electron's basic_text
 * fallback): the person may agree to it. The refusal names the field, or at least says so.
 */
export const plainTextRefusal = (error: LatheError | null): boolean =>
  error !== null && (error.location?.field === 'allowPlainTextToken' || (error.code === 'FAILED_PRECONDITION' && /plain text/i.test(error.message)));

/**
 * Add a deploy target: a name, the URL and admin token the agent printed. Main probes the agent
 * before it keeps anything, and keeps the token in the OS keychain (Electron) or a 0600 file
 * (lathe serve); where the only store is plain text it refuses, says so, and asks first.
 */
export function AddTargetDialog({ existing, onClose, onAdded }: { existing: readonly string[]; onClose: () => void; onAdded: (added: TargetWithHealth) => void }) {
  const deploy = useDeployCommands();
  const [fields, setFields] = useState({ name: '', url: '', token: '' });
  const [shown, setShown] = useState(false);
  const [allowPlainText, setAllowPlainText] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LatheError | null>(null);
  const [added, setAdded] = useState<TargetWithHealth | null>(null);
  const problems = targetProblems(fields, existing);
  const show = (field: Field) => (shown ? problems[field] : undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setShown(true);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    setError(null);
    const result = await deploy.addTarget({ name: fields.name.trim(), url: fields.url.trim(), token: fields.token.trim(), allowPlainTextToken: allowPlainText });
    setBusy(false);
    if (result.ok) setAdded(result.value);
    else setError(result.error);
  }

  const set = (field: Field) => (event: { target: { value: string } }) => setFields((current) => ({ ...current, [field]: event.target.value }));

  if (added) {
    return (
      <ModalDialog label="Target added" onClose={() => onAdded(added)}>
        <div className="dialog__form">
          <h2 className="dialog__title">Added {added.target.name}</h2>
          <p className="add-target__added">
            <TargetHealthChip health={added.health} /> <span className="mono">{added.target.url}</span>
          </p>
          <p className="faint">
            {added.target.tokenStorage === 'os-keychain'
              ? 'The token is kept in the system keychain.'
              : added.target.tokenStorage === 'private-file'
                ? 'The token is kept in a file only you can read (mode 0600) in Lathe’s state folder.'
                : 'The token is kept in plain text, as you agreed.'}
          </p>
          <div className="dialog__actions">
            <button type="button" className="button button--primary" onClick={() => onAdded(added)} autoFocus>
              Done
            </button>
          </div>
        </div>
      </ModalDialog>
    );
  }

  return (
    <ModalDialog label="Add target" onClose={onClose}>
      <form className="dialog__form add-target" onSubmit={(event) => void submit(event)} noValidate>
        <div>
          <h2 className="dialog__title">Add target</h2>
          <p className="dialog__lead">A machine running the Lathe agent. It printed its URL and an admin token when it first started.</p>
        </div>
        <label className="field">
          <span className="field__label">Name</span>
          <input className="input" value={fields.name} onChange={set('name')} placeholder="edge-1" autoFocus spellCheck={false} aria-invalid={show('name') !== undefined} />
          {show('name') ? <span className="field__problem">{show('name')}</span> : <span className="field__note">What you will call it here and in lathe deploy --target.</span>}
        </label>
        <label className="field">
          <span className="field__label">URL</span>
          <input className="input mono" value={fields.url} onChange={set('url')} placeholder="http://10.0.0.5:8080" spellCheck={false} inputMode="url" aria-invalid={show('url') !== undefined} />
          {show('url') ? <span className="field__problem">{show('url')}</span> : null}
        </label>
        <label className="field">
          <span className="field__label">Admin token</span>
          <input className="input mono" type="password" value={fields.token} onChange={set('token')} autoComplete="off" spellCheck={false} aria-invalid={show('token') !== undefined} />
          {show('token') ? <span className="field__problem">{show('token')}</span> : <span className="field__note">Kept in the system keychain where there is one; never shown again.</span>}
        </label>
        {error ? (
          <ErrorBanner error={error} title={plainTextRefusal(error) ? 'The token would be kept in plain text' : `Could not add ${fields.name.trim()}`} onDismiss={() => setError(null)} />
        ) : null}
        {plainTextRefusal(error) || allowPlainText ? (
          <label className="checkbox add-target__plain">
            <input type="checkbox" checked={allowPlainText} onChange={(event) => setAllowPlainText(event.target.checked)} />
            <span>
              <Icon name="alert" size={14} /> Keep the token in plain text anyway: anyone who can read my files can deploy to this target.
            </span>
          </label>
        ) : null}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Checking the agent…' : 'Add target'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
