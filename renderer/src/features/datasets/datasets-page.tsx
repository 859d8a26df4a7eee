import { useShallow } from 'zustand/react/shallow';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { DatasetDetail } from './dataset-detail.tsx';
import { DatasetList } from './dataset-list.tsx';
import { EmptyState } from './empty-state.tsx';
import { selectWorkspaceIsEmpty } from './selectors.ts';
import './datasets-page.css';

/** The Datasets area: the list and the selected dataset, or a way in when there are none. */
export function DatasetsPage() {
  const { datasetCommands } = useServices();
  const isEmpty = useLathe(selectWorkspaceIsEmpty);
  const { listStatus, listError, count } = useLathe(
    useShallow((state) => ({ listStatus: state.datasetsStatus, listError: state.datasetsError, count: state.datasets.length })),
  );

  return (
    <main className="datasets-page" aria-label="Datasets">
      <ImportFailureBanner />
      {listStatus === 'failed' && listError && count === 0 ? (
        <div className="datasets-page__banner">
          <ErrorBanner
            error={listError}
            title="Could not list the datasets of this workspace"
            actions={
              <button type="button" className="button button--small" onClick={() => void datasetCommands.refreshDatasets()}>
                Try again
              </button>
            }
          />
        </div>
      ) : isEmpty ? (
        <EmptyState />
      ) : count === 0 ? (
        <div className="datasets-page__loading" aria-busy="true">
          <div className="spinner" />
        </div>
      ) : (
        <div className="datasets-layout">
          <DatasetList />
          <DatasetDetail />
        </div>
      )}
    </main>
  );
}

/** A failed import: what, where and what to do. It stays until dismissed; nothing else changed. */
function ImportFailureBanner() {
  const { store } = useServices();
  const failure = useLathe((state) => state.importFailure);
  if (!failure) return null;
  return (
    <div className="datasets-page__banner">
      <ErrorBanner
        error={failure.error}
        fileName={failure.fileName}
        title={`Could not import ${failure.fileName}. Nothing was changed.`}
        onDismiss={() => store.getState().importFailureDismissed()}
      />
    </div>
  );
}
