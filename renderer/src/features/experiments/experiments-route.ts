import { useSyncExternalStore } from 'react';

/**
 * Where in the Experiments area the window is, kept in the address hash so reload, back and
 * forward work: `#/experiments` (the runs), `#/experiments/run/<id>`,
 * `#/experiments/compare/<id>,<id>,…`.
 */
export type ExperimentsRoute = { readonly view: 'runs' } | { readonly view: 'run'; readonly runId: string } | { readonly view: 'compare'; readonly runIds: readonly string[] };

const RUN_ID = /^[0-9a-f]{32}$/;

export function routeFromHash(hash: string): ExperimentsRoute {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/');
  if (parts[0] !== 'experiments') return { view: 'runs' };
  if (parts[1] === 'run' && parts[2] && RUN_ID.test(parts[2])) return { view: 'run', runId: parts[2] };
  if (parts[1] === 'compare' && parts[2]) {
    const runIds = [...new Set(parts[2].split(',').filter((id) => RUN_ID.test(id)))];
    if (runIds.length > 0) return { view: 'compare', runIds };
  }
  return { view: 'runs' };
}

export function hashOf(route: ExperimentsRoute): string {
  switch (route.view) {
    case 'runs':
      return '#/experiments';
    case 'run':
      return `#/experiments/run/${route.runId}`;
    case 'compare':
      return `#/experiments/compare/${route.runIds.join(',')}`;
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const routes = new Map<string, ExperimentsRoute>();

/** The route in the address, the same object while the hash is the same. */
export function useExperimentsRoute(): ExperimentsRoute {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  let route = routes.get(hash);
  if (!route) {
    if (routes.size > 50) routes.clear();
    routes.set(hash, (route = routeFromHash(hash)));
  }
  return route;
}

export function goTo(route: ExperimentsRoute): void {
  const hash = hashOf(route);
  if (window.location.hash !== hash) window.location.hash = hash;
}
