import { createStore, type StateCreator } from 'zustand/vanilla';
import { createDatasetsSlice, datasetsInitialState, type DatasetsSlice } from '../features/datasets/datasets-slice.ts';
import { createImportSlice, importInitialState, type ImportSlice } from '../features/datasets/import-slice.ts';
import { createExperimentsSlice, experimentsInitialState, type ExperimentsSlice } from '../features/experiments/experiments-slice.ts';
import { createWorkspaceSlice, workspaceOpenedState, type WorkspaceSlice } from '../features/workspace/workspace-slice.ts';

/** The renderer's view state: one store made of typed slices (zustand's slices pattern). */
export type LatheState = WorkspaceSlice & DatasetsSlice & ImportSlice & ExperimentsSlice;

/** A slice sees the whole state (an event may touch more than its own fields) but adds only its part. */
export type LatheSlice<T> = StateCreator<LatheState, [], [], T>;

export function createLatheStore() {
  return createStore<LatheState>()((...args) => {
    const [set] = args;
    return {
      ...createWorkspaceSlice(...args),
      ...createDatasetsSlice(...args),
      ...createImportSlice(...args),
      ...createExperimentsSlice(...args),
      // Events that cross slices are composed here, where every slice is known, in one update:
      // a workspace opened, so everything shown of the previous one goes.
      workspaceOpened: (info) => set({ ...datasetsInitialState(), ...importInitialState(), ...experimentsInitialState(), ...workspaceOpenedState(info) }),
    };
  });
}

export type LatheStore = ReturnType<typeof createLatheStore>;
