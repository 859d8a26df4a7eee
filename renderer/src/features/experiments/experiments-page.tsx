import { lazy, Suspense } from 'react';
import { ComparePage } from './compare-page.tsx';
import { useExperimentsRoute } from './experiments-route.ts';
import { RunsView } from './runs-view.tsx';
import './experiments.css';

// A run's page draws with recharts: its own chunk, so the runs table opens without loading it.
const RunPage = lazy(() => import('./run-page.tsx').then((module) => ({ default: module.RunPage })));

/** The Experiments area: every run, one run's page, or runs compared; the address says which. */
export function ExperimentsPage() {
  const route = useExperimentsRoute();
  return (
    <main className="experiments-page" aria-label="Experiments">
      {route.view === 'run' ? (
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
