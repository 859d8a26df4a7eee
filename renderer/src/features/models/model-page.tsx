import type { ModelDetail } from '../../../../shared/contract/registry.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { formatRelativeTime } from '../../lib/format.ts';
import { hashOf as runHash } from '../experiments/experiments-route.ts';
import { formatMetric } from '../experiments/experiments-format.ts';
import { AliasChip } from './alias-chip.tsx';
import { DatasetLink } from './dataset-link.tsx';
import { DescriptionEditor } from './description-editor.tsx';
import { GateSpecEditor } from './gate-spec-editor.tsx';
import { metricColumns } from './metric-columns.ts';
import { byAliasRank, sortedAliases } from './alias-order.ts';
import { hashOf } from './models-route.ts';
import { useAnswer } from './use-answer.ts';
import { useModelCommands, useModelsChanged, useWorkspacePath } from './use-models.ts';

/** One registered model: its description, aliases, and every version with its run, data and metrics. */
export function ModelPage({ name }: { name: string }) {
  const models = useModelCommands();
  const workspace = useWorkspacePath();
  const { loaded, reload } = useAnswer(workspace && `${workspace}\n${name}`, () => models.show(name));
  useModelsChanged(name, reload);

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
        <ErrorBanner
          error={loaded.error}
          title={`Could not open the model ${name}`}
          actions={
            <a className="button button--small" href={hashOf({ view: 'list' })}>
              Back to the models
            </a>
          }
        />
      </div>
    );
  }
  return <ModelView model={loaded.value} onChanged={reload} />;
}

function ModelView({ model, onChanged }: { model: ModelDetail; onChanged: () => void }) {
  const versions = model.versionList;
  const metrics = metricColumns(versions);
  const aliases = sortedAliases(model.aliases);
  return (
    <div className="model-page">
      <header className="page-header model-header">
        <a className="page-header__back" href={hashOf({ view: 'list' })}>
          <Icon name="arrowLeft" size={14} />
          Models
        </a>
        <div className="page-header__title-row">
          <h1 className="page-header__title">{model.name}</h1>
          <span className="faint num">{model.versions === 1 ? '1 version' : `${model.versions} versions`}</span>
          <span className="alias-chips">
            {aliases.map(([alias, version]) => (
              <AliasChip key={alias} alias={alias} version={version} />
            ))}
          </span>
        </div>
        <DescriptionEditor name={model.name} description={model.description} onSaved={onChanged} />
      </header>
      <section className="model-section" aria-labelledby="model-versions-title">
        <h2 id="model-versions-title" className="model-section__title">
          Versions
        </h2>
        <table className="data-table models-table" aria-label="Versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Run</th>
              <th scope="col">Data</th>
              {metrics.map((key) => (
                <th key={key} scope="col" className="num mono">
                  {key}
                </th>
              ))}
              <th scope="col">Aliases</th>
              <th scope="col">Registered</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((version) => (
              <tr key={version.version}>
                <th scope="row">
                  <a className="mono" href={hashOf({ view: 'version', name: model.name, version: version.version })}>
                    {model.name}@{version.version}
                  </a>
                </th>
                <td>
                  <a href={runHash({ view: 'run', runId: version.runId })} title={`Open run ${version.runId} in Experiments`}>
                    {version.runName}
                  </a>
                </td>
                <td>{version.dataset ? <DatasetLink dataset={version.dataset} /> : <span className="faint">not recorded</span>}</td>
                {metrics.map((key) => (
                  <td key={key} className="num">
                    {formatMetric(version.metrics[key])}
                  </td>
                ))}
                <td>
                  <span className="alias-chips">
                    {[...version.aliases].sort(byAliasRank).map((alias) => (
                      <AliasChip key={alias} alias={alias} />
                    ))}
                  </span>
                </td>
                <td title={version.registeredAt}>{formatRelativeTime(version.registeredAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <GateSpecEditor name={model.name} />
    </div>
  );
}
