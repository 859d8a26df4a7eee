import { useDeploymentsRoute } from './deployments-route.ts';
import { RolloutPage } from './rollout-page.tsx';
import { TargetHistory } from './target-history.tsx';
import { TargetsView } from './targets-view.tsx';
import '../monitoring/time-series-chart.css';
import './deployments.css';

/** The Deployments area: targets and what runs where, one rollout, or one target's history; the address says which. */
export function DeploymentsPage() {
  const route = useDeploymentsRoute();
  return (
    <main className="deployments-page" aria-label="Deployments">
      {route.view === 'rollout' ? <RolloutPage key={route.id} id={route.id} /> : route.view === 'target' ? <TargetHistory key={route.name} name={route.name} /> : <TargetsView />}
    </main>
  );
}
