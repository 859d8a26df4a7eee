import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { Icon } from '../../components/icon.tsx';
import { formatCount } from '../../lib/format.ts';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { ColumnPicker } from './column-picker.tsx';
import { EmptyRuns } from './empty-runs.tsx';
import { ExperimentPicker } from './experiment-picker.tsx';
import { goTo } from './experiments-route.ts';
import { FilterBox } from './filter-box.tsx';
import { MlflowConnectButton } from './mlflow-connect-button.tsx';
import { ScriptRunButton } from './script-run-button.tsx';
import { MAX_COMPARED, RunsTable } from './runs-table.tsx';
import { selectHasNoRuns } from './selectors.ts';

/** Every run of the workspace (or of one experiment), filtered, sorted and ticked for comparing. */
export function RunsView() {
  const { experimentCommands, store } = useServices();
  const { runs: runsCommands } = experimentCommands;
  const { status, error, total, listed, selected, hasWorkspace } = useLathe(
    useShallow((state) => ({
      status: state.runsStatus,
      error: state.runsError,
      total: state.runsTotal,
      listed: state.runs.length,
      selected: state.selectedRunIds,
      hasWorkspace: state.workspace !== null,
    })),
  );
  const hasNoRuns = useLathe(selectHasNoRuns);

  // First visit (or a workspace just opened): list the experiments and the runs.
  useEffect(() => {
    if (!hasWorkspace || status !== 'idle') return;
    void runsCommands.refreshExperiments();
    void runsCommands.searchRuns();
  }, [hasWorkspace, status, runsCommands]);

  if (hasNoRuns) return <EmptyRuns />;

  return (
    <div className="runs-view">
      <header className="runs-toolbar">
        <h1 className="runs-toolbar__title">Runs</h1>
        <ExperimentPicker />
        <FilterBox />
        <div className="runs-toolbar__end">
          <span className="runs-toolbar__count num" aria-live="polite">
            {total === null ? '' : listed < total ? `${formatCount(listed)} of ${formatCount(total)} runs` : `${formatCount(total)} ${total === 1 ? 'run' : 'runs'}`}
          </span>
          <ColumnPicker />
          <ScriptRunButton />
          <MlflowConnectButton />
          {selected.length > 0 ? (
            <button type="button" className="button button--ghost button--small" onClick={() => store.getState().runsTicked([])}>
              Clear selection
            </button>
          ) : null}
          <button
            type="button"
            className="button button--primary"
            disabled={selected.length < 2 || selected.length > MAX_COMPARED}
            title={
              selected.length < 2 ? 'Tick two runs or more to compare them' : selected.length > MAX_COMPARED ? `Compare at most ${MAX_COMPARED} runs at once` : `Compare the ${selected.length} runs ticked`
            }
            onClick={() => goTo({ view: 'compare', runIds: selected })}
          >
            <Icon name="compare" size={15} />
            {selected.length >= 2 ? `Compare ${selected.length}` : 'Compare'}
          </button>
        </div>
      </header>
      {error ? (
        <div className="runs-view__banner">
          <ErrorBanner
            error={error}
            title="Could not list the runs"
            actions={
              <button type="button" className="button button--small" onClick={() => void runsCommands.searchRuns()}>
                Try again
              </button>
            }
          />
        </div>
      ) : null}
      {total === null && status !== 'failed' ? (
        <div className="experiments-loading" aria-busy="true">
          <div className="spinner" />
        </div>
      ) : total === 0 ? (
        <p className="runs-view__none">No run matches this filter.</p>
      ) : (
        <RunsTable />
      )}
    </div>
  );
}
