import { api } from '../lib/api.ts';
import { createUiMemory } from '../lib/ui-memory.ts';
import { latheStore } from '../state/use-lathe.ts';
import { createDatasetCommands } from '../features/datasets/dataset-commands.ts';
import { createWorkspaceCommands } from '../features/workspace/workspace-commands.ts';
import { hrefWithWorkspace } from '../features/workspace/workspace-url.ts';

/** The composition root of the window: one API, one store, one memory, the commands on them. */
export const memory = createUiMemory();
export const datasetCommands = createDatasetCommands({ api, store: latheStore, memory });
export const workspaceCommands = createWorkspaceCommands({
  api,
  store: latheStore,
  memory,
  datasets: datasetCommands,
  showInAddress: (path) => window.history.replaceState(window.history.state, '', hrefWithWorkspace(window.location.href, path)),
});

/** Feed main's events and the connection state into the store. Returns the unsubscribe function. */
export function connectToMain(): () => void {
  let wasDown = false;
  const offs = [
    api.on('datasets:import-progress', (progress) => latheStore.getState().importProgressReported(progress)),
    api.on('datasets:changed', (change) => {
      if (change.workspace !== latheStore.getState().workspace?.path) return;
      void datasetCommands.datasetChanged(change.name);
    }),
    api.onConnection((connection) => {
      latheStore.getState().connectionChanged(connection);
      if (connection === 'reconnecting') wasDown = true;
      // Events sent while the link was down are lost: catch up once it is back.
      if (connection === 'connected' && wasDown) {
        wasDown = false;
        void datasetCommands.refreshDatasets();
      }
    }),
  ];
  return () => offs.forEach((off) => off());
}
