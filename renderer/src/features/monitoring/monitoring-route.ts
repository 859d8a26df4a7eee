import { useSyncExternalStore } from 'react';

/** Which deployment the Monitoring area shows, in the address: `#/monitoring/<target>/<model>` (URI-encoded). */
export type MonitoringRoute = { readonly target: string; readonly model: string } | null;

function decoded(part: string | undefined): string | null {
  if (part === undefined || part === '') return null;
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

export function routeFromHash(hash: string): MonitoringRoute {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/');
  if (parts[0] !== 'monitoring') return null;
  const target = decoded(parts[1]);
  const model = decoded(parts[2]);
  return target !== null && model !== null ? { target, model } : null;
}

export const hashOf = (route: MonitoringRoute): string => (route === null ? '#/monitoring' : `#/monitoring/${encodeURIComponent(route.target)}/${encodeURIComponent(route.model)}`);

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The hash as a string (stable between renders); read it with routeFromHash. */
export const useMonitoringHash = (): string => useSyncExternalStore(subscribe, () => window.location.hash);
