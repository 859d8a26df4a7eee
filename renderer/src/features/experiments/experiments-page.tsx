import { ComparePage } from './compare-page.tsx';
import { useExperimentsRoute } from './experiments-route.ts';
import { RunPage } from './run-page.tsx';
import { RunsView } from './runs-view.tsx';
import './experiments.css';

/** The Experiments area: every run, one run's page, or runs compared; the address says which. */
export function ExperimentsPage() {
  const route = useExperimentsRoute();
  return (
    <main className="experiments-page" aria-label="Experiments">
      {route.view === 'run' ? <RunPage key={route.runId} runId={route.runId} /> : route.view === 'compare' ? <ComparePage runIds={route.runIds} /> : <RunsView />}
    </main>
  );
}
