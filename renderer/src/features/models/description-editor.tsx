import { useState, type FormEvent } from 'react';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { useModelCommands } from './use-models.ts';

/**
 * A model's or a version's description, shown under its title, with "Edit description…" that
 * saves it through models:edit (a commit in the registry's history).
 */
export function DescriptionEditor({ name, version, description, onSaved }: { name: string; version?: number; description: string; onSaved: () => void }) {
  const models = useModelCommands();
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<LatheError | null>(null);
  const what = version === undefined ? name : `${name}@${version}`;

  async function save(event: FormEvent) {
    event.preventDefault();
    if (draft === null) return;
    if (draft === description) {
      setDraft(null);
      return;
    }
    setSaving(true);
    setError(null);
    const result = version === undefined ? await models.editModel(name, { description: draft }) : await models.editVersion(name, version, { description: draft });
    setSaving(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setDraft(null);
    onSaved();
  }

  if (draft === null) {
    return (
      <div className="description">
        {description ? <p className="model-header__description">{description}</p> : <p className="faint">No description.</p>}
        <button type="button" className="button button--small button--ghost" onClick={() => setDraft(description)}>
          Edit description…
        </button>
      </div>
    );
  }
  return (
    <form className="description description--editing" aria-label={`Edit the description of ${what}`} onSubmit={(event) => void save(event)}>
      <textarea className="input description__text" rows={2} value={draft} autoFocus aria-label="Description" onChange={(event) => setDraft(event.target.value)} />
      {error ? <ErrorBanner error={error} title="Could not save the description" /> : null}
      <div className="model-card__actions">
        <button type="button" className="button button--small" disabled={saving} onClick={() => setDraft(null)}>
          Cancel
        </button>
        <button type="submit" className="button button--small button--primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
