import { useSyncExternalStore } from 'react';

/**
 * The Sweeps tab of the Experiments area, in the address hash like the rest of it:
 * `#/experiments/sweeps` (the sweeps, and a new one), `#/experiments/sweeps/<id>` (one sweep).
 */
export type SweepsRoute = { readonly sweepId: string | null };

const SWEEP_ID = /^sweep-\d{8}T\d{6}Z-[0-9a-f]{6}$/;

/** The Sweeps route in a hash, or null when the hash is elsewhere in Experiments (runs, a run, a comparison). */
export function sweepsRouteFromHash(hash: string): SweepsRoute | null {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/');
  if (parts[0] !== 'experiments' || parts[1] !== 'sweeps') return null;
  return { sweepId: parts[2] && SWEEP_ID.test(parts[2]) ? parts[2] : null };
}

export function sweepsHash(sweepId: string | null = null): string {
  return sweepId ? `#/experiments/sweeps/${sweepId}` : '#/experiments/sweeps';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The Sweeps route in the address; null outside it. */
export function useSweepsRoute(): SweepsRoute | null {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const sweepId = sweepsRouteFromHash(hash)?.sweepId;
  return sweepId === undefined ? null : { sweepId };
}

export function goToSweep(sweepId: string | null): void {
  const hash = sweepsHash(sweepId);
  if (window.location.hash !== hash) window.location.hash = hash;
}
