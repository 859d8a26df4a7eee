import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { LatheState } from '../state/store.ts';
import type { Services } from './services.ts';

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

/** The window's API, store, memory and commands. */
export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() needs a <ServicesProvider> above it (see main.tsx).');
  return services;
}

/** Select from the window's store: an atom, or several with useShallow. */
export function useLathe<T>(selector: (state: LatheState) => T): T {
  return useStore(useServices().store, selector);
}
