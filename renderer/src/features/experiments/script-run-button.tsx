import { useState } from 'react';
import { Icon } from '../../components/icon.tsx';
import { ScriptRunDialog } from './script-run-dialog.tsx';

/** "Run a script…" on the Experiments page, and the dialog it opens. */
export function ScriptRunButton({ primary = false }: { primary?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={primary ? 'button button--primary' : 'button'} title="Run any command (python train.py …) as a tracked run" onClick={() => setOpen(true)}>
        <Icon name="arrowRight" size={15} />
        Run a script…
      </button>
      {open ? <ScriptRunDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}
