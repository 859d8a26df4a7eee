import { useCallback, useState } from 'react';
import type { ModelDetail, ModelVersion, RegistryLogEntry } from '../../../../shared/contract/registry.ts';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { formatRelativeTime } from '../../lib/format.ts';
import { AliasChip } from './alias-chip.tsx';
import { byAliasRank } from './alias-order.ts';
import { AliasEditor } from './alias-editor.tsx';
import { AuditHistory } from './audit-history.tsx';
import { DescriptionEditor } from './description-editor.tsx';
import { LineageChain } from './lineage-chain.tsx';
import { ModelCardView } from './model-card-view.tsx';
import { hashOf } from './models-route.ts';
import { PromoteDialog } from './promote-dialog.tsx';
import { useAnswer, type Loaded } from './use-answer.ts';
import { useModelCommands, useModelsChanged, useWorkspacePath } from './use-models.ts';
import { VersionGates } from './version-gates.tsx';

/**
 * One model version: where it came from (lineage), its card, its aliases, its gate results and
 * the model's history; Promote makes it champion once its checks pass (or with a written reason).
 */
export function VersionPage({ name, version }: { name: string; version: number }) {
  const models = useModelCommands();
  const workspace = useWorkspacePath();
  const ref = `${name}@${version}`;
  const key = workspace && `${workspace}\n${ref}`;
  const record = useAnswer(key, () => models.version(ref));
  const model = useAnswer(workspace && `${workspace}\n${name}`, () => models.show(name));
  const log = useAnswer(workspace && `${workspace}\n${name}`, () => models.log(name));
  const [reloadRecord, reloadModel, reloadLog] = [record.reload, model.reload, log.reload];
  const reloadAll = useCallback(() => {
    reloadRecord();
    reloadModel();
    reloadLog();
  }, [reloadRecord, reloadModel, reloadLog]);
  useModelsChanged(name, reloadAll);

  if (record.loaded.state === 'idle' || record.loaded.state === 'loading') {
    return (
      <div className="models-loading" aria-busy="true">
        <div className="spinner" />
      </div>
    );
  }
  if (record.loaded.state === 'failed') {
    return (
      <div className="models-page__banner">
        <ErrorBanner
          error={record.loaded.error}
          title={`Could not open ${ref}`}
          actions={
            <a className="button button--small" href={hashOf({ view: 'model', name })}>
              Back to {name}
            </a>
          }
        />
      </div>
    );
  }
  return <VersionView version={record.loaded.value} model={model.loaded} log={log.loaded} onChanged={reloadAll} />;
}

function VersionView({ version, model, log, onChanged }: { version: ModelVersion; model: Loaded<ModelDetail>; log: Loaded<RegistryLogEntry[]>; onChanged: () => void }) {
  const [promoting, setPromoting] = useState(false);
  const [gatesRound, setGatesRound] = useState(0);
  const modelAliases = model.state === 'ready' ? model.value.aliases : Object.fromEntries(version.aliases.map((alias) => [alias, version.version]));
  const champion = modelAliases['champion'] ?? null;
  return (
    <div className="model-page">
      <header className="page-header model-header">
        <a className="page-header__back" href={hashOf({ view: 'model', name: version.name })}>
          <Icon name="arrowLeft" size={14} />
          {version.name}
        </a>
        <div className="page-header__title-row">
          <h1 className="page-header__title mono">
            {version.name}@{version.version}
          </h1>
          <span className="alias-chips">
            {[...version.aliases].sort(byAliasRank).map((alias) => (
              <AliasChip key={alias} alias={alias} />
            ))}
          </span>
          <span className="faint" title={version.registeredAt}>
            registered {formatRelativeTime(version.registeredAt)}
          </span>
          <div className="page-header__actions">
            <button type="button" className="button button--small button--primary" onClick={() => setPromoting(true)}>
              <Icon name="success" size={14} />
              {champion === version.version ? 'Promote again…' : 'Promote to champion…'}
            </button>
          </div>
        </div>
        <DescriptionEditor name={version.name} version={version.version} description={version.description} onSaved={onChanged} />
      </header>
      <div className="version-body">
        <div className="version-body__main">
          <section className="model-section" aria-labelledby="lineage-title">
            <h2 id="lineage-title" className="model-section__title">
              Lineage
            </h2>
            <LineageChain version={version} />
          </section>
          <VersionGates name={version.name} version={version.version} champion={champion} round={gatesRound} />
          <ModelCardView version={version} onSaved={onChanged} />
        </div>
        <div className="version-body__side">
          <AliasEditor name={version.name} version={version.version} modelAliases={modelAliases} onChanged={onChanged} />
          <AuditHistory log={log} version={version.version} />
        </div>
      </div>
      {promoting ? <PromoteDialog name={version.name} version={version.version} champion={champion} onClose={() => setPromoting(false)} onPromoted={onChanged} onChecked={() => setGatesRound((round) => round + 1)} /> : null}
    </div>
  );
}
