import { useState } from 'react';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { useDeployCommands } from './use-deploy.ts';

/** "Forget target…": the record and its token go; the agent and what it serves are not touched. */
export function RemoveTarget({ name, onRemoved }: { name: string; onRemoved: () => void }) {
  const deploy = useDeployCommands();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LatheError | null>(null);

  async function remove() {
    setBusy(true);
    setError(null);
    const result = await deploy.removeTarget(name);
    setBusy(false);
    if (result.ok) onRemoved();
    else setError(result.error);
  }

  return (
    <>
      <div className="page-header__actions">
        <button type="button" className="button button--small" onClick={() => setAsking(true)}>
          <Icon name="trash" size={14} />
          Forget target…
        </button>
      </div>
      {asking ? (
        <ModalDialog label={`Forget ${name}?`} onClose={() => setAsking(false)}>
          <div className="dialog__form">
            <div>
              <h2 className="dialog__title">Forget {name}?</h2>
              <p className="dialog__lead">
                Lathe forgets its address and token. The agent keeps serving what it serves, and the deployments made to it stay in this workspace’s history; add it again with its
                URL and token to deploy there.
              </p>
            </div>
            {error ? <ErrorBanner error={error} title={`Could not forget ${name}`} /> : null}
            <div className="dialog__actions">
              <button type="button" className="button" onClick={() => setAsking(false)} autoFocus>
                Cancel
              </button>
              <button type="button" className="button deploy-danger" disabled={busy} onClick={() => void remove()}>
                {busy ? 'Forgetting…' : `Forget ${name}`}
              </button>
            </div>
          </div>
        </ModalDialog>
      ) : null}
    </>
  );
}
