import { lazy, Suspense } from 'react';
import { ComparePage } from './compare-page.tsx';
import { useExperimentsRoute } from './experiments-route.ts';
import { RunsView } from './runs-view.tsx';
import { ExperimentsTabs } from '../sweeps/experiments-tabs.tsx';
import { useSweepsRoute } from '../sweeps/sweeps-route.ts';
import './experiments.css';

// A run's page draws with recharts: its own chunk, so the runs table opens without loading it.
const RunPage = lazy(() => import('./run-page.tsx').then((module) => ({ default: module.RunPage })));
const SweepsPage = lazy(() => import('../sweeps/sweeps-page.tsx').then((module) => ({ default: module.SweepsPage })));

/** The Experiments area: every run, one run's page, runs compared, or the sweeps; the address says which. */
export function ExperimentsPage() {
  const route = useExperimentsRoute();
  const sweeps = useSweepsRoute();
  return (
    <main className="experiments-page" aria-label="Experiments">
      {sweeps || route.view === 'runs' ? <ExperimentsTabs current={sweeps ? 'sweeps' : 'runs'} /> : null}
      {sweeps ? (
        <Suspense fallback={<div className="experiments-loading" aria-busy="true" />}>
          <SweepsPage sweepId={sweeps.sweepId} />
        </Suspense>
      ) : route.view === 'run' ? (
        <Suspense
          fallback={
            <div className="experiments-loading" aria-busy="true">
              <div className="spinner" />
            </div>
          }
        >
          <RunPage key={route.runId} runId={route.runId} />
        </Suspense>
      ) : route.view === 'compare' ? (
        <ComparePage runIds={route.runIds} />
      ) : (
        <RunsView />
      )}
    </main>
  );
}
