import { useState } from 'react';
import type { Deployment } from '../../../../shared/contract/deployments.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { useDeployCommands } from './use-deploy.ts';

type Action = 'promote' | 'abort';

const words: Record<Action, { button: string; title: (ref: string) => string; lead: (ref: string, stable: string) => string; confirm: string }> = {
  promote: {
    button: 'Promote',
    title: (ref) => `Promote ${ref} now?`,
    lead: (ref) => `${ref} takes all traffic at once and becomes the stable version; the checks still to come are skipped.`,
    confirm: 'Promote now',
  },
  abort: {
    button: 'Abort',
    title: (ref) => `Abort the rollout of ${ref}?`,
    lead: (ref, stable) => `All traffic goes back to the stable version, v${stable}, and ${ref} is unloaded from the target.`,
    confirm: 'Abort and roll back',
  },
};

/** Promote / Abort a running rollout, each after a confirmation that says what it does. */
export function RolloutActions({ deployment, stableVersion, onDone }: { deployment: Deployment; stableVersion: string; onDone: () => void }) {
  const deploy = useDeployCommands();
  const [asking, setAsking] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LatheError | null>(null);
  const ref = `${deployment.model}@${deployment.version}`;

  async function act(action: Action) {
    setBusy(true);
    setError(null);
    const result = await (action === 'promote' ? deploy.promote(deployment.target, deployment.model) : deploy.abort(deployment.target, deployment.model));
    setBusy(false);
    if (result.ok) {
      setAsking(null);
      onDone();
    } else setError(result.error);
  }

  return (
    <>
      <div className="page-header__actions">
        <button type="button" className="button button--small" onClick={() => setAsking('abort')}>
          <Icon name="stop" size={14} />
          Abort
        </button>
        <button type="button" className="button button--small button--primary" onClick={() => setAsking('promote')}>
          <Icon name="success" size={14} />
          Promote
        </button>
      </div>
      {asking ? (
        <ModalDialog label={words[asking].title(ref)} onClose={() => setAsking(null)}>
          <div className="dialog__form">
            <div>
              <h2 className="dialog__title">{words[asking].title(ref)}</h2>
              <p className="dialog__lead">{words[asking].lead(ref, stableVersion)}</p>
            </div>
            {error ? <ErrorBanner error={error} title={`Could not ${asking} the rollout`} /> : null}
            <div className="dialog__actions">
              <button type="button" className="button" onClick={() => setAsking(null)} autoFocus>
                Cancel
              </button>
              <button type="button" className={asking === 'abort' ? 'button deploy-danger' : 'button button--primary'} disabled={busy} onClick={() => void act(asking)}>
                {busy ? 'Asking the agent…' : words[asking].confirm}
              </button>
            </div>
          </div>
        </ModalDialog>
      ) : null}
    </>
  );
}
