import { createStore, type StateCreator } from 'zustand/vanilla';
import { createDatasetsSlice, type DatasetsSlice } from '../features/datasets/datasets-slice.ts';
import { createImportSlice, type ImportSlice } from '../features/datasets/import-slice.ts';
import { createWorkspaceSlice, type WorkspaceSlice } from '../features/workspace/workspace-slice.ts';

/** The renderer's view state: one store made of typed slices (zustand's slices pattern). */
export type LatheState = WorkspaceSlice & DatasetsSlice & ImportSlice;

/** A slice sees the whole state (an event may touch more than its own fields) but adds only its part. */
export type LatheSlice<T> = StateCreator<LatheState, [], [], T>;

export function createLatheStore() {
  return createStore<LatheState>()((...args) => ({
    ...createWorkspaceSlice(...args),
    ...createDatasetsSlice(...args),
    ...createImportSlice(...args),
  }));
}

export type LatheStore = ReturnType<typeof createLatheStore>;
