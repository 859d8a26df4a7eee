import { useSyncExternalStore } from 'react';

/**
 * Where in the Deployments area the window is, kept in the address hash so reload, back and
 * forward work: `#/deployments` (targets and what each serves), `#/deployments/rollout/<id>` (one
 * deployment: its traffic split, analysis and decisions), `#/deployments/target/<name>` (a
 * target's history of deployments). Names and ids are URI-encoded.
 */
export type DeploymentsRoute =
  | { readonly view: 'targets' }
  | { readonly view: 'rollout'; readonly id: string }
  | { readonly view: 'target'; readonly name: string };

function decoded(part: string | undefined): string | null {
  if (part === undefined) return null;
  try {
    const text = decodeURIComponent(part);
    return text.trim() === '' ? null : text;
  } catch {
    return null;
  }
}

export function routeFromHash(hash: string): DeploymentsRoute {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/');
  if (parts[0] !== 'deployments') return { view: 'targets' };
  const value = decoded(parts[2]);
  if (parts[1] === 'rollout' && value !== null) return { view: 'rollout', id: value };
  if (parts[1] === 'target' && value !== null) return { view: 'target', name: value };
  return { view: 'targets' };
}

export function hashOf(route: DeploymentsRoute): string {
  switch (route.view) {
    case 'targets':
      return '#/deployments';
    case 'rollout':
      return `#/deployments/rollout/${encodeURIComponent(route.id)}`;
    case 'target':
      return `#/deployments/target/${encodeURIComponent(route.name)}`;
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const routes = new Map<string, DeploymentsRoute>();

/** The route in the address, the same object while the hash is the same. */
export function useDeploymentsRoute(): DeploymentsRoute {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  let route = routes.get(hash);
  if (!route) {
    if (routes.size > 50) routes.clear();
    routes.set(hash, (route = routeFromHash(hash)));
  }
  return route;
}
