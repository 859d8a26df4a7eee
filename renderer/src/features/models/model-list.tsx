import type { ModelSummary } from '../../../../shared/contract/registry.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { formatRelativeTime } from '../../lib/format.ts';
import { AliasChip } from './alias-chip.tsx';
import { sortedAliases } from './alias-order.ts';
import { EmptyModels } from './empty-models.tsx';
import { hashOf } from './models-route.ts';
import { useAnswer } from './use-answer.ts';
import { useModelCommands, useModelsChanged, useWorkspacePath } from './use-models.ts';

/** Every registered model: its latest version, aliases, description and when that version was registered. */
export function ModelList() {
  const models = useModelCommands();
  const workspace = useWorkspacePath();
  const { loaded, reload } = useAnswer(workspace, () => models.list());
  useModelsChanged(null, reload);

  if (loaded.state === 'idle' || loaded.state === 'loading') {
    return (
      <div className="models-loading" aria-busy="true">
        <div className="spinner" />
      </div>
    );
  }
  if (loaded.state === 'failed') {
    return (
      <div className="models-page__banner">
        <ErrorBanner error={loaded.error} title="Could not list the registered models" />
      </div>
    );
  }
  if (loaded.value.length === 0) return <EmptyModels />;
  return (
    <div className="models-list">
      <header className="models-list__header">
        <h1 className="models-list__title">Models</h1>
        <span className="faint num">{loaded.value.length === 1 ? '1 model' : `${loaded.value.length} models`}</span>
      </header>
      <table className="data-table models-table" aria-label="Registered models">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Latest version</th>
            <th scope="col">Aliases</th>
            <th scope="col">Description</th>
            <th scope="col">Latest registered</th>
          </tr>
        </thead>
        <tbody>
          {loaded.value.map((model) => (
            <ModelRow key={model.name} model={model} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ModelRow({ model }: { model: ModelSummary }) {
  const aliases = sortedAliases(model.aliases);
  const registered = model.latest?.registeredAt ?? model.createdAt;
  return (
    <tr>
      <th scope="row">
        <a className="models-table__name" href={hashOf({ view: 'model', name: model.name })}>
          {model.name}
        </a>
      </th>
      <td>
        {model.latest ? (
          <a className="mono" href={hashOf({ view: 'version', name: model.name, version: model.latest.version })}>
            {model.name}@{model.latest.version}
          </a>
        ) : (
          <span className="faint">no versions</span>
        )}
        <span className="faint num"> of {model.versions}</span>
      </td>
      <td>
        {aliases.length === 0 ? (
          <span className="faint">none</span>
        ) : (
          <span className="alias-chips">
            {aliases.map(([alias, version]) => (
              <AliasChip key={alias} alias={alias} version={version} />
            ))}
          </span>
        )}
      </td>
      <td className="models-table__description">{model.description || <span className="faint">—</span>}</td>
      <td title={registered}>{formatRelativeTime(registered)}</td>
    </tr>
  );
}
