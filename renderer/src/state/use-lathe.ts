import { useStore } from 'zustand';
import { createLatheStore, type LatheState } from './store.ts';

/** The window's one store. Components select atoms with `useLathe`, or several with useShallow. */
export const latheStore = createLatheStore();

export function useLathe<T>(selector: (state: LatheState) => T): T {
  return useStore(latheStore, selector);
}
