import { useState, type FormEvent } from 'react';
import { WorkspacePath } from '../../../../shared/contract/workspace.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { applyWorkspacePath } from './choose-workspace.ts';
import { needsGitRepositoryConsent, type WorkspaceOpenOptions } from './workspace-commands.ts';
import type { WorkspaceDialog as WorkspaceDialogState } from './workspace-slice.ts';

const copy = {
  open: { title: 'Open workspace', lead: 'The folder of a Lathe workspace on the machine that runs Lathe.', submit: 'Open' },
  create: { title: 'New workspace', lead: 'Lathe makes the folder (if needed) a git repository with a lathe.json.', submit: 'Create workspace' },
  'new-window': { title: 'Open workspace in new window', lead: 'The folder opens in a new window; this one stays as it is.', submit: 'Open in new window' },
} as const;

/** Ask for a workspace folder by path (the browser has no native folder picker). */
export function WorkspaceDialog() {
  const dialog = useLathe((state) => state.workspaceDialog);
  if (!dialog) return null;
  // A new key per attempt resets the form to the dialog's path and error.
  return <WorkspaceDialogForm key={`${dialog.mode}:${dialog.path}:${dialog.error?.message ?? ''}`} dialog={dialog} />;
}

function WorkspaceDialogForm({ dialog }: { dialog: WorkspaceDialogState }) {
  const services = useServices();
  const { store } = services;
  const [path, setPath] = useState(dialog.path);
  const [busy, setBusy] = useState(false);
  const [touched, setTouched] = useState(false);
  const text = copy[dialog.mode];
  const parsed = WorkspacePath.safeParse(path.trim());
  const problem = parsed.success ? null : (parsed.error.issues[0]?.message ?? 'not a valid path');
  const error = dialog.error && dialog.path === path.trim() ? dialog.error : null;
  const canMakeWorkspace = error?.code === 'NOT_A_WORKSPACE' || error?.code === 'NOT_FOUND';
  const askConsent = error !== null && needsGitRepositoryConsent(error);

  async function submit(event: FormEvent, options: WorkspaceOpenOptions = {}) {
    event.preventDefault();
    setTouched(true);
    if (problem || busy) return;
    setBusy(true);
    await applyWorkspacePath(services, dialog.mode, path.trim(), options);
    setBusy(false);
  }

  return (
    <ModalDialog label={text.title} onClose={() => store.getState().workspaceDialogClosed()}>
      <form className="dialog__form" onSubmit={(event) => void submit(event)}>
        <div>
          <h2 className="dialog__title">{text.title}</h2>
          <p className="dialog__lead">{text.lead}</p>
        </div>
        <label className="field">
          <span className="field__label">Folder path</span>
          <input
            className="input input--mono"
            name="path"
            value={path}
            placeholder="/home/you/projects/churn-model"
            autoFocus
            spellCheck={false}
            autoComplete="off"
            aria-invalid={touched && problem !== null}
            onChange={(event) => setPath(event.target.value)}
          />
          {touched && problem ? <span className="field__problem">Use an absolute path: {problem}.</span> : <span className="field__note">An absolute path, such as /home/you/projects/churn-model.</span>}
        </label>
        {error ? (
          <ErrorBanner
            error={error}
            actions={
              askConsent ? (
                <button type="button" className="button button--small" disabled={busy} onClick={(event) => void submit(event, { create: true, useExistingGitRepository: true })}>
                  Use this repository
                </button>
              ) : canMakeWorkspace && dialog.mode === 'open' ? (
                <button type="button" className="button button--small" disabled={busy} onClick={(event) => void submit(event, { create: true })}>
                  {error.code === 'NOT_FOUND' ? 'Create a workspace here' : 'Make it a workspace'}
                </button>
              ) : undefined
            }
          />
        ) : null}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={() => store.getState().workspaceDialogClosed()}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Opening…' : text.submit}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
