import { useSyncExternalStore } from 'react';
import { areaFromHash, type Area } from './areas.ts';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The area on screen lives in the address hash, so reload, back and forward keep it. */
export function useArea(): Area {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return areaFromHash(hash);
}

export function showArea(id: string): void {
  if (areaFromHash(window.location.hash).id !== id) window.location.hash = `/${id}`;
}
