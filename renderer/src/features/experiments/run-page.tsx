import { useEffect } from 'react';
import { ErrorBanner } from '../../components/error-banner.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { EvaluationView } from './evaluation-view.tsx';
import { goTo } from './experiments-route.ts';
import { MetricCurves } from './metric-curves.tsx';
import { RunFacts } from './run-facts.tsx';
import { ReproductionPanel } from './reproduction-panel.tsx';
import { RunHeader } from './run-header.tsx';
import { isScriptRun } from './script-run-commands.ts';
import { ScriptRunLog } from './script-run-log.tsx';
import './charts.css';
import './run-page.css';

/** One run: what it is (status, params, data, code, machine), its curves as it trains, and its evaluation. */
export function RunPage({ runId }: { runId: string }) {
  const { experimentCommands } = useServices();
  const run = useLathe((state) => (state.openRun?.id === runId ? state.openRun : null));
  const hasWorkspace = useLathe((state) => state.workspace !== null);

  useEffect(() => {
    if (hasWorkspace) void experimentCommands.runPage.openRun(runId);
  }, [hasWorkspace, runId, experimentCommands]);

  if (!run || (run.status === 'loading' && !run.detail)) {
    return (
      <div className="experiments-loading" aria-busy="true">
        <div className="spinner" />
      </div>
    );
  }
  if (!run.detail) {
    return (
      <div className="run-page__banner">
        <ErrorBanner
          error={run.error ?? { code: 'INTERNAL', message: 'The run could not be read.' }}
          title="Could not open this run"
          actions={
            <button type="button" className="button button--small" onClick={() => goTo({ view: 'runs' })}>
              Back to the runs
            </button>
          }
        />
      </div>
    );
  }
  const detail = run.detail;
  return (
    <div className="run-page">
      <RunHeader run={detail} job={run.job} />
      <div className="run-page__body">
        <div className="run-page__main">
          <ReproductionPanel run={detail} />
          <section className="run-section" aria-labelledby="run-curves-title">
            <h2 id="run-curves-title" className="run-section__title">
              Metrics
              {detail.status === 'RUNNING' ? <span className="live-dot" title="Updating live as the run logs points" aria-label="live" /> : null}
            </h2>
            <MetricCurves series={run.series} seriesStatus={run.seriesStatus} seriesError={run.seriesError} metrics={detail.metrics} running={detail.status === 'RUNNING'} />
          </section>
          <ScriptRunLog run={detail} />
          {isScriptRun(detail) && !detail.artifacts.some((artifact) => artifact.path === 'evaluation.json') ? null : <EvaluationView state={run.evaluation} status={detail.status} />}
        </div>
        <RunFacts run={detail} />
      </div>
    </div>
  );
}
