import { useState, type FormEvent } from 'react';
import { aliasNameProblem } from '../../../../shared/contract/model-ref.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { sortedAliases } from './alias-order.ts';
import { useModelCommands } from './use-models.ts';

/**
 * The aliases on a version, to remove, and a field to point one here: a new alias, or one that
 * moves from the version it is on now (the field says from which). `champion` moves through
 * Promote, which runs the gates first.
 */
export function AliasEditor({ name, version, modelAliases, onChanged }: { name: string; version: number; modelAliases: Readonly<Record<string, number>>; onChanged: () => void }) {
  const models = useModelCommands();
  const [alias, setAlias] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LatheError | null>(null);
  const here = sortedAliases(modelAliases).filter(([, at]) => at === version);
  const typed = alias.trim();
  const problem = typed === '' ? null : typed === 'champion' ? 'champion moves through Promote, which runs the gates first' : aliasNameProblem(typed);
  const movesFrom = problem === null && typed !== '' ? modelAliases[typed] : undefined;

  async function run(change: () => ReturnType<typeof models.setAlias>) {
    setBusy(true);
    setError(null);
    const result = await change();
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return false;
    }
    onChanged();
    return true;
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    if (typed === '' || problem !== null) return;
    if (await run(() => models.setAlias(`${name}@${version}`, typed))) setAlias('');
  }

  return (
    <section className="model-section" aria-labelledby="aliases-title">
      <h2 id="aliases-title" className="model-section__title">
        Aliases
      </h2>
      {here.length === 0 ? (
        <p className="faint">No alias points at this version.</p>
      ) : (
        <ul className="alias-list">
          {here.map(([hereAlias]) => (
            <li key={hereAlias} className="alias-list__item">
              <span className="alias-chip" data-alias={hereAlias}>
                @{hereAlias}
              </span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove the alias ${hereAlias}`}
                title={`Remove the alias ${hereAlias}`}
                disabled={busy}
                onClick={() => void run(() => models.removeAlias(name, hereAlias))}
              >
                <Icon name="close" size={13} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="alias-form" onSubmit={(event) => void add(event)}>
        <label className="field alias-form__field">
          <span className="field__label">Point an alias here</span>
          <input
            className="input input--mono"
            value={alias}
            placeholder="challenger"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={problem !== null}
            aria-describedby="alias-form-note"
            onChange={(event) => setAlias(event.target.value)}
          />
          <span id="alias-form-note" className={problem ? 'field__problem' : 'field__note'}>
            {problem ?? (movesFrom === version ? `@${typed} already points here.` : movesFrom !== undefined ? `Moves @${typed} from version ${movesFrom} to this one.` : 'Lowercase letters, digits, “_” and “-”.')}
          </span>
        </label>
        <button type="submit" className="button button--small" disabled={busy || typed === '' || problem !== null || movesFrom === version}>
          {movesFrom !== undefined && movesFrom !== version ? 'Move here' : 'Add'}
        </button>
      </form>
      {error ? <ErrorBanner error={error} title="Could not change the alias" onDismiss={() => setError(null)} /> : null}
    </section>
  );
}
