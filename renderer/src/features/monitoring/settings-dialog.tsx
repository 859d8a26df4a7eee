import { useState, type FormEvent } from 'react';
import type { MonitoringSettings } from '../../../../shared/contract/monitoring.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { useMonitoringCommands } from './monitoring-commands.ts';
import { readSettingsForm } from './settings-form.ts';

/** How the deployment's agent records and windows predictions: window by count or time, rows needed to judge, sample share. */
export function SettingsDialog({ deployment, settings, onClose, onSaved }: { deployment: string; settings: MonitoringSettings; onClose: () => void; onSaved: () => void }) {
  const commands = useMonitoringCommands();
  const [kind, setKind] = useState<'count' | 'time'>(settings.window.kind);
  const [size, setSize] = useState(String(settings.window.kind === 'count' ? settings.window.rows : settings.window.seconds));
  const [minRows, setMinRows] = useState(String(settings.minRows));
  const [samplePercent, setSamplePercent] = useState(String(Number((settings.sampleRate * 100).toPrecision(4))));
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<LatheError | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const read = readSettingsForm({ kind, size, minRows, samplePercent });
    if ('problem' in read) {
      setProblem(read.problem);
      return;
    }
    setSaving(true);
    const saved = await commands.configure(deployment, read.patch);
    setSaving(false);
    if (!saved.ok) setError(saved.error);
    else {
      onSaved();
      onClose();
    }
  }

  return (
    <ModalDialog label="Monitoring settings" onClose={onClose}>
      <form className="dialog__form" onSubmit={(event) => void submit(event)}>
        <div>
          <h2 className="dialog__title">Monitoring settings</h2>
          <p className="dialog__lead">
            How the agent behind <span className="mono">{deployment}</span> windows predictions. Each window is judged against the training reference when it closes.
          </p>
        </div>
        <div className="simulate-dialog__row">
          <label className="field">
            <span className="field__label">Close a window</span>
            <select className="input" value={kind} onChange={(event) => setKind(event.target.value as 'count' | 'time')}>
              <option value="count">every N predictions</option>
              <option value="time">every N seconds</option>
            </select>
          </label>
          <label className="field">
            <span className="field__label">{kind === 'count' ? 'Predictions per window' : 'Seconds per window'}</span>
            <input className="input num" inputMode="numeric" value={size} onChange={(event) => (setSize(event.target.value), setProblem(null))} />
          </label>
          <label className="field">
            <span className="field__label">Rows needed to judge</span>
            <input className="input num" inputMode="numeric" value={minRows} onChange={(event) => (setMinRows(event.target.value), setProblem(null))} />
          </label>
          <label className="field">
            <span className="field__label">Record (% of predictions)</span>
            <input className="input num" inputMode="decimal" value={samplePercent} onChange={(event) => (setSamplePercent(event.target.value), setProblem(null))} />
          </label>
        </div>
        {problem ? <p className="field__problem">{problem}</p> : null}
        {error ? <ErrorBanner error={error} title="The agent did not take the settings" /> : null}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
