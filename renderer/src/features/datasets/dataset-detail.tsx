import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { ColumnProfiles } from './column-profile.tsx';
import { DatasetHeader } from './dataset-header.tsx';
import { DATASET_DROP_ZONE } from './file-drop.tsx';
import { PreviewTable } from './preview-table.tsx';
import { selectLatestVersion, selectShownVersion } from './selectors.ts';
import { VersionHistory } from './version-history.tsx';
import './dataset-detail.css';

type Tab = 'preview' | 'profile';

/** The selected dataset at the version on screen: facts, history, first rows and profile. */
export function DatasetDetail() {
  const { datasetCommands } = useServices();
  const { selection, detail, detailStatus, detailError, history } = useLathe(
    useShallow((state) => ({
      selection: state.selection,
      detail: state.detail,
      detailStatus: state.detailStatus,
      detailError: state.detailError,
      history: state.history,
    })),
  );
  const latest = useLathe(selectLatestVersion);
  const shown = useLathe(selectShownVersion);
  const [tab, setTab] = useState<Tab>('preview');

  if (selection.name === null) {
    return (
      <section className="dataset-detail dataset-detail--blank" data-drop-zone={DATASET_DROP_ZONE}>
        <p className="muted">Choose a dataset on the left.</p>
      </section>
    );
  }

  return (
    <section
      className="dataset-detail"
      data-drop-zone={DATASET_DROP_ZONE}
      aria-label={`Dataset ${selection.name}`}
      aria-busy={detailStatus === 'loading'}
    >
      {detailStatus === 'failed' && detailError ? (
        <div className="dataset-detail__error">
          <ErrorBanner
            error={detailError}
            title={`Could not show ${selection.name}${selection.version === null ? '' : ` v${selection.version}`}`}
            actions={
              <button type="button" className="button button--small" onClick={() => void datasetCommands.selectDataset(selection.name ?? '', selection.version)}>
                Try again
              </button>
            }
          />
        </div>
      ) : null}
      {detail ? (
        <div className={detailStatus === 'loading' ? 'dataset-detail__body is-stale' : 'dataset-detail__body'}>
          <DatasetHeader version={detail.version} latest={latest} />
          {history && history.versions.length > 0 ? <VersionHistory versions={history.versions} shown={shown} /> : null}
          <div className="tabs" role="tablist" aria-label="Version views">
            <TabButton id="preview" current={tab} onSelect={setTab} icon="table" label="Preview" count={detail.preview.rows.length} />
            <TabButton id="profile" current={tab} onSelect={setTab} icon="profile" label="Profile" count={detail.profile.length} />
          </div>
          <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
            {tab === 'preview' ? <PreviewTable detail={detail} /> : <ColumnProfiles profile={detail.profile} />}
          </div>
        </div>
      ) : detailStatus === 'loading' ? (
        <div className="dataset-detail__loading" aria-label="Loading dataset">
          <div className="spinner" />
        </div>
      ) : null}
    </section>
  );
}

function TabButton({
  id,
  current,
  onSelect,
  icon,
  label,
  count,
}: {
  id: Tab;
  current: Tab;
  onSelect: (tab: Tab) => void;
  icon: 'table' | 'profile';
  label: string;
  count: number;
}) {
  const selected = id === current;
  return (
    <button
      type="button"
      role="tab"
      id={`tab-${id}`}
      className="tab"
      aria-selected={selected}
      aria-controls={selected ? `panel-${id}` : undefined}
      tabIndex={selected ? 0 : -1}
      onClick={() => onSelect(id)}
      onKeyDown={(event) => {
        if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
          const next: Tab = id === 'preview' ? 'profile' : 'preview';
          onSelect(next);
          document.getElementById(`tab-${next}`)?.focus();
          event.preventDefault();
        }
      }}
    >
      <Icon name={icon} size={14} />
      {label}
      <span className="tab__count">{count}</span>
    </button>
  );
}
