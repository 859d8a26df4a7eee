import { useState } from 'react';
import { Icon } from '../../components/icon.tsx';
import { MlflowConnectPanel } from './mlflow-connect-panel.tsx';

/** "Log from your code" on the Experiments page, and the panel it opens. */
export function MlflowConnectButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" title="Point MLflow in your own Python at Lathe" onClick={() => setOpen(true)}>
        <Icon name="experiments" size={15} />
        Log from your code
      </button>
      {open ? <MlflowConnectPanel onClose={() => setOpen(false)} /> : null}
    </>
  );
}
