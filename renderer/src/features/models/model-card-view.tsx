import { useState, type FormEvent } from 'react';
import { cardFields, type CardText, type ModelVersion } from '../../../../shared/contract/registry.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { shortHash } from '../../lib/format.ts';
import { formatMetric } from '../experiments/experiments-format.ts';
import { cardChanges, cardFieldWords } from './card-fields.ts';
import { DatasetLink } from './dataset-link.tsx';
import { downloadText } from './download-text.ts';
import { useModelCommands } from './use-models.ts';

/**
 * A version's model card: what Lathe knows (the data, the test metrics, what the model reads and
 * gives) beside what only a person knows (intended use, limitations…), which can be edited here.
 * "Export Markdown" downloads the card as main writes it (models:card).
 */
export function ModelCardView({ version, onSaved }: { version: ModelVersion; onSaved: () => void }) {
  const models = useModelCommands();
  const [exportError, setExportError] = useState<LatheError | null>(null);
  const ref = `${version.name}@${version.version}`;

  async function exportMarkdown() {
    setExportError(null);
    const card = await models.card(ref);
    if (!card.ok) setExportError(card.error);
    else downloadText(`${card.value.name}-v${card.value.version}-model-card.md`, card.value.markdown);
  }

  return (
    <section className="model-section model-card" aria-labelledby="model-card-title">
      <div className="model-section__head">
        <h2 id="model-card-title" className="model-section__title">
          Model card
        </h2>
        <button type="button" className="button button--small" onClick={() => void exportMarkdown()}>
          <Icon name="file" size={14} />
          Export Markdown
        </button>
      </div>
      {exportError ? <ErrorBanner error={exportError} title="Could not export the model card" onDismiss={() => setExportError(null)} /> : null}
      <div className="model-card__generated">
        <GeneratedFacts version={version} />
      </div>
      <PersonWritten version={version} onSaved={onSaved} />
    </section>
  );
}

function GeneratedFacts({ version }: { version: ModelVersion }) {
  const metrics = Object.entries(version.metrics).sort(([a], [b]) => a.localeCompare(b));
  const signature = version.signature;
  return (
    <>
      <div className="model-card__block">
        <h3 className="model-card__heading">Data</h3>
        {version.lineage.dataset ? (
          <p>
            Trained and tested on <DatasetLink dataset={version.lineage.dataset} />{' '}
            <code className="hash faint" title={version.lineage.dataset.contentHash}>
              {shortHash(version.lineage.dataset.contentHash, 10)}
            </code>
            {signature ? (
              <>
                , predicting <code>{signature.target.name}</code> ({signature.task}
                {signature.classes ? `, ${signature.classes.length} classes` : ''})
              </>
            ) : null}
            .
          </p>
        ) : (
          <p className="faint">The run recorded no dataset.</p>
        )}
      </div>
      <div className="model-card__block">
        <h3 className="model-card__heading">Test metrics</h3>
        {metrics.length === 0 ? (
          <p className="faint">The run logged no evaluation on its test split.</p>
        ) : (
          <table className="data-table model-card__metrics" aria-label="Test metrics">
            <tbody>
              {metrics.map(([key, value]) => (
                <tr key={key}>
                  <th scope="row" className="mono">
                    {key}
                  </th>
                  <td className="num">{formatMetric(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="model-card__block">
        <h3 className="model-card__heading">Signature</h3>
        {signature ? (
          <table className="data-table model-card__signature" aria-label="Signature">
            <tbody>
              <tr>
                <th scope="row">Inputs</th>
                <td>
                  {signature.inputs.map((input) => (
                    <span key={input.name} className="model-card__input" title={`${input.type}, ${input.encoding}`}>
                      <code>{input.name}</code> <span className="faint">{input.type}</span>
                    </span>
                  ))}
                </td>
              </tr>
              <tr>
                <th scope="row">Outputs</th>
                <td>
                  {signature.outputs.map((output) => (
                    <span key={output.name} className="model-card__input">
                      <code>{output.name}</code> <span className="faint">{output.datatype} [{output.shape.join(', ')}]</span>
                    </span>
                  ))}
                </td>
              </tr>
              {signature.classes ? (
                <tr>
                  <th scope="row">Classes</th>
                  <td>{signature.classes.join(', ')}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        ) : (
          <p className="faint">The run stored no signature.</p>
        )}
      </div>
    </>
  );
}

function PersonWritten({ version, onSaved }: { version: ModelVersion; onSaved: () => void }) {
  const models = useModelCommands();
  const [draft, setDraft] = useState<CardText | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<LatheError | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!draft) return;
    const changes = cardChanges(version.card, draft);
    if (Object.keys(changes).length === 0) {
      setDraft(null);
      return;
    }
    setSaving(true);
    setError(null);
    const result = await models.editVersion(version.name, version.version, { card: changes });
    setSaving(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setDraft(null);
    onSaved();
  }

  if (!draft) {
    return (
      <div className="model-card__written">
        {cardFields.map((field) => (
          <div key={field} className="model-card__block">
            <h3 className="model-card__heading">{cardFieldWords[field].title}</h3>
            {version.card[field] ? <p className="model-card__text">{version.card[field]}</p> : <p className="faint">Not written yet. {cardFieldWords[field].prompt}</p>}
          </div>
        ))}
        <div className="model-card__edit">
          <button type="button" className="button button--small" onClick={() => setDraft({ ...version.card })}>
            Edit the card…
          </button>
        </div>
      </div>
    );
  }
  return (
    <form className="model-card__written model-card__form" aria-label="Edit the model card" onSubmit={(event) => void save(event)}>
      {cardFields.map((field, index) => (
        <label key={field} className="field">
          <span className="field__label">{cardFieldWords[field].title}</span>
          <textarea
            className="input model-card__textarea"
            rows={3}
            value={draft[field]}
            placeholder={cardFieldWords[field].prompt}
            // The first field is where a person starts writing.
            autoFocus={index === 0}
            onChange={(event) => setDraft({ ...draft, [field]: event.target.value })}
          />
        </label>
      ))}
      {error ? <ErrorBanner error={error} title="Could not save the model card" /> : null}
      <div className="model-card__actions">
        <button type="button" className="button button--small" disabled={saving} onClick={() => setDraft(null)}>
          Cancel
        </button>
        <button type="submit" className="button button--small button--primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save the card'}
        </button>
      </div>
    </form>
  );
}
