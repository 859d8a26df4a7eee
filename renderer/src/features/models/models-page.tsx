import { ModelList } from './model-list.tsx';
import { ModelPage } from './model-page.tsx';
import { useModelsRoute } from './models-route.ts';
import { VersionPage } from './version-page.tsx';
import './models.css';

/** The Models area: every registered model, one model's versions, or one version; the address says which. */
export function ModelsPage() {
  const route = useModelsRoute();
  return (
    <main className="models-page" aria-label="Models">
      {route.view === 'version' ? <VersionPage key={`${route.name}@${route.version}`} name={route.name} version={route.version} /> : route.view === 'model' ? <ModelPage key={route.name} name={route.name} /> : <ModelList />}
    </main>
  );
}
