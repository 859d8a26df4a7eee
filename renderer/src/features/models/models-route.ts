import { useSyncExternalStore } from 'react';

/**
 * Where in the Models area the window is, kept in the address hash so reload, back and forward
 * work: `#/models` (every model), `#/models/<name>` (its versions), `#/models/<name>/<version>`
 * (one version: lineage, card, aliases, gates, history). The name is URI-encoded.
 */
export type ModelsRoute =
  | { readonly view: 'list' }
  | { readonly view: 'model'; readonly name: string }
  | { readonly view: 'version'; readonly name: string; readonly version: number };

function decoded(part: string): string | null {
  try {
    const name = decodeURIComponent(part);
    return name.trim() === '' ? null : name;
  } catch {
    return null;
  }
}

export function routeFromHash(hash: string): ModelsRoute {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/');
  if (parts[0] !== 'models' || !parts[1]) return { view: 'list' };
  const name = decoded(parts[1]);
  if (name === null) return { view: 'list' };
  if (parts[2] === undefined || parts[2] === '') return { view: 'model', name };
  if (!/^[1-9][0-9]{0,8}$/.test(parts[2])) return { view: 'model', name };
  return { view: 'version', name, version: Number(parts[2]) };
}

export function hashOf(route: ModelsRoute): string {
  switch (route.view) {
    case 'list':
      return '#/models';
    case 'model':
      return `#/models/${encodeURIComponent(route.name)}`;
    case 'version':
      return `#/models/${encodeURIComponent(route.name)}/${route.version}`;
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const routes = new Map<string, ModelsRoute>();

/** The route in the address, the same object while the hash is the same. */
export function useModelsRoute(): ModelsRoute {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  let route = routes.get(hash);
  if (!route) {
    if (routes.size > 50) routes.clear();
    routes.set(hash, (route = routeFromHash(hash)));
  }
  return route;
}
