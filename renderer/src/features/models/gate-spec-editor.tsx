import { useState, type FormEvent } from 'react';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { useServices } from '../../app/services-context.tsx';
import { useAnswer } from './use-answer.ts';
import { useWorkspacePath } from './use-models.ts';

/** The spec as the file would hold it: two-space JSON, ending in a newline. */
export const specText = (spec: unknown): string => `${JSON.stringify(spec, null, 2)}\n`;

/**
 * A model's gate spec (models/NAME/gates.json): what the gates check and their thresholds, shown
 * with every default spelled out and edited here as JSON. Main checks the text before writing it
 * (gates:save), so a spec that does not parse is refused with its line, and nothing is written.
 */
export function GateSpecEditor({ name }: { name: string }) {
  const { api } = useServices();
  const workspace = useWorkspacePath();
  const { loaded, reload } = useAnswer(workspace && `${workspace}\n${name}`, () =>
    workspace ? api.call('gates:spec', { workspace, name }) : Promise.resolve({ ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'No workspace is open.' } }),
  );
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<LatheError | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!workspace || draft === null) return;
    setSaving(true);
    setError(null);
    const result = await api.call('gates:save', { workspace, name, text: draft });
    setSaving(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setDraft(null);
    reload();
  }

  return (
    <section className="model-section gate-spec" aria-labelledby="gate-spec-title">
      <div className="model-section__head">
        <h2 id="gate-spec-title" className="model-section__title">
          Gate spec
          {loaded.state === 'ready' ? <code className="faint model-section__sub">{loaded.value.path}</code> : null}
        </h2>
        {loaded.state === 'ready' && draft === null ? (
          <button type="button" className="button button--small" onClick={() => setDraft(specText(loaded.value.spec))}>
            Edit the gate spec…
          </button>
        ) : null}
      </div>
      {loaded.state === 'failed' ? (
        <ErrorBanner error={loaded.error} title="Could not read the gate spec" />
      ) : loaded.state !== 'ready' ? (
        <div className="spinner" aria-busy="true" />
      ) : draft === null ? (
        <>
          <p className="faint">
            {loaded.value.exists
              ? 'What every gate run of this model checks, and against what thresholds. It is a file in the workspace’s git, so changes to it are reviewed like code.'
              : 'No spec is written yet, so gate runs use these defaults. Saving one writes it to the workspace as a commit.'}
          </p>
          <pre className="gate-spec__text">{specText(loaded.value.spec)}</pre>
        </>
      ) : (
        <form className="gate-spec__form" aria-label="Edit the gate spec" onSubmit={(event) => void save(event)}>
          <textarea
            className="input gate-spec__textarea"
            aria-label="gates.json"
            value={draft}
            rows={Math.min(30, draft.split('\n').length + 1)}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            wrap="off"
            autoFocus
            onChange={(event) => setDraft(event.target.value)}
          />
          {error ? <ErrorBanner error={error} title="The gate spec was not saved" /> : null}
          <div className="model-card__actions">
            <button
              type="button"
              className="button button--small"
              disabled={saving}
              onClick={() => {
                setDraft(null);
                setError(null);
              }}
            >
              Cancel
            </button>
            <button type="submit" className="button button--small button--primary" disabled={saving}>
              {saving ? 'Saving…' : 'Save the gate spec'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
