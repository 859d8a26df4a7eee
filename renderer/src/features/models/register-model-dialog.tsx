import { useMemo, useState, type FormEvent } from 'react';
import type { ModelVersion } from '../../../../shared/contract/registry.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import type { RunDetail } from '../../../../shared/contract/runs.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { createModelCommands } from './model-commands.ts';
import { hashOf } from './models-route.ts';
import { nameVerdict } from './register-model.ts';
import { useAnswer } from './use-answer.ts';
import './register-model-dialog.css';

/**
 * "Register model…" on a finished run's page: pick an existing model or type a new name, add a
 * description, and the run's model becomes that model's next version (a commit in the workspace).
 */
export function RegisterModelDialog({ run, onClose }: { run: RunDetail; onClose: () => void }) {
  const services = useServices();
  const models = useMemo(() => createModelCommands(services), [services]);
  const workspace = useLathe((state) => state.workspace?.path ?? null);
  const { loaded: list } = useAnswer(workspace, () => models.list());
  const existing = list.state === 'ready' ? list.value : [];
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [showProblem, setShowProblem] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<LatheError | null>(null);
  const [registered, setRegistered] = useState<ModelVersion | null>(null);
  const verdict = nameVerdict(name, existing);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!verdict.ok) {
      setShowProblem(true);
      return;
    }
    setSaving(true);
    setError(null);
    const result = await models.register(run.id, name.trim(), description);
    setSaving(false);
    if (result.ok) setRegistered(result.value);
    else setError(result.error);
  }

  if (registered) {
    const ref = `${registered.name}@${registered.version}`;
    return (
      <ModalDialog label="Model registered" onClose={onClose}>
        <div className="dialog__form">
          <div className="register-done" role="status">
            <Icon name="success" size={18} />
            <div>
              <h2 className="dialog__title">Registered {ref}</h2>
              <p className="dialog__lead">The run’s model, its lineage and its artifacts are now a version of {registered.name}, committed to the workspace.</p>
            </div>
          </div>
          <div className="dialog__actions">
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
            <a className="button button--primary" href={hashOf({ view: 'version', name: registered.name, version: registered.version })} autoFocus>
              Open {ref}
            </a>
          </div>
        </div>
      </ModalDialog>
    );
  }

  return (
    <ModalDialog label="Register model" onClose={onClose}>
      <form className="dialog__form" onSubmit={(event) => void submit(event)}>
        <div>
          <h2 className="dialog__title">Register the model of {run.name}</h2>
          <p className="dialog__lead">It becomes the next version of a named model, kept with the data, code and environment that made it.</p>
        </div>
        <label className="field">
          <span className="field__label">Model</span>
          <input
            className="input input--mono"
            list="register-model-names"
            value={name}
            autoFocus
            spellCheck={false}
            autoComplete="off"
            placeholder={existing[0]?.name ?? 'penguin-species'}
            aria-invalid={showProblem && !verdict.ok}
            aria-describedby="register-model-note"
            onChange={(event) => {
              setName(event.target.value);
              setShowProblem(false);
            }}
          />
          <datalist id="register-model-names">
            {existing.map((model) => (
              <option key={model.name} value={model.name}>
                {model.versions === 1 ? '1 version' : `${model.versions} versions`}
              </option>
            ))}
          </datalist>
          <span id="register-model-note" className={showProblem && !verdict.ok ? 'field__problem' : 'field__note'}>
            {verdict.ok ? verdict.note : showProblem ? verdict.problem : existing.length > 0 ? `Existing: ${existing.map((model) => model.name).join(', ')}; or type a new name.` : 'Letters, digits, “.”, “_” and “-”.'}
          </span>
        </label>
        {list.state === 'failed' ? <ErrorBanner error={list.error} title="Could not list the registered models" /> : null}
        <label className="field">
          <span className="field__label">Description (optional)</span>
          <textarea className="input" rows={3} value={description} placeholder="What changed in this version, and why." onChange={(event) => setDescription(event.target.value)} />
        </label>
        {error ? <ErrorBanner error={error} title="Could not register the model" /> : null}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={saving}>
            {saving ? 'Registering…' : 'Register'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
