import { useState } from 'react';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { chooseWorkspace } from './choose-workspace.ts';
import { needsGitRepositoryConsent } from './workspace-commands.ts';

/** What a window shows before its workspace is open: that it is opening, or why it could not. */
export function WorkspaceStart() {
  const services = useServices();
  const { workspaceCommands } = services;
  const status = useLathe((state) => state.workspaceStatus);
  const [busy, setBusy] = useState(false);

  if (status.kind === 'open') return null;
  if (status.kind === 'opening') {
    return (
      <main className="start-page" aria-busy="true">
        <div className="start-page__card start-page__card--quiet">
          <div className="spinner" />
          <p className="muted">Opening {status.path ?? 'workspace'}…</p>
        </div>
      </main>
    );
  }

  const { error, path } = status;
  const canMake = path !== null && (error.code === 'NOT_A_WORKSPACE' || error.code === 'NOT_FOUND');
  const askConsent = path !== null && needsGitRepositoryConsent(error);
  const retry = async (create: boolean, useExistingGitRepository = false) => {
    setBusy(true);
    if (path) await workspaceCommands.openWorkspace(path, { create, useExistingGitRepository });
    else await workspaceCommands.openFirstWorkspace(null);
    setBusy(false);
  };

  return (
    <main className="start-page">
      <div className="start-page__card">
        <h1 className="start-page__title">{path ? 'Lathe could not open this workspace' : 'Lathe could not open a workspace'}</h1>
        {path ? <p className="start-page__path mono">{path}</p> : null}
        <ErrorBanner error={error} />
        <div className="start-page__actions">
          {askConsent ? (
            <button type="button" className="button button--primary" disabled={busy} onClick={() => void retry(true, true)}>
              Use this repository
            </button>
          ) : null}
          {canMake ? (
            <button type="button" className="button button--primary" disabled={busy} onClick={() => void retry(true)}>
              {error.code === 'NOT_FOUND' ? 'Create a workspace here' : 'Make it a workspace'}
            </button>
          ) : null}
          <button type="button" className="button" disabled={busy} onClick={() => void chooseWorkspace(services, 'open')}>
            Open another workspace…
          </button>
          <button type="button" className="button button--ghost" disabled={busy} onClick={() => void retry(false)}>
            Try again
          </button>
        </div>
      </div>
    </main>
  );
}
