import type { LatheApi } from '../lib/api-types.ts';
import type { UiMemory } from '../lib/ui-memory.ts';
import type { LatheStore } from '../state/store.ts';
import { createDatasetCommands } from '../features/datasets/dataset-commands.ts';
import { createExperimentCommands } from '../features/experiments/experiment-commands.ts';
import { createExperimentsMemory } from '../features/experiments/experiments-memory.ts';
import { createWorkspaceCommands } from '../features/workspace/workspace-commands.ts';
import { hrefWithWorkspace } from '../features/workspace/workspace-url.ts';

/**
 * What a window's features work with: one API, one store, one memory, and the commands built on
 * them. Made once per window (main.tsx) and handed down through React context (services-context),
 * never imported as module singletons, so a test can give a component its own.
 */
export function createServices({ api, store, memory }: { api: LatheApi; store: LatheStore; memory: UiMemory }) {
  const datasetCommands = createDatasetCommands({ api, store, memory });
  const experimentCommands = createExperimentCommands({ api, store, memory: createExperimentsMemory() });
  const workspaceCommands = createWorkspaceCommands({
    api,
    store,
    memory,
    datasets: datasetCommands,
    showInAddress: (path) => window.history.replaceState(window.history.state, '', hrefWithWorkspace(window.location.href, path)),
  });

  /** Feed main's events and the connection state into the store. Returns the unsubscribe function. */
  function connectToMain(): () => void {
    let wasDown = false;
    const offs = [
      api.on('datasets:import-progress', (progress) => store.getState().importProgressReported(progress)),
      api.on('jobs:changed', (job) => {
        if (job.kind === 'import' && job.ref && job.status === 'running') store.getState().importJobKnown(job.ref, job.id);
      }),
      api.on('datasets:changed', (change) => {
        if (change.workspace !== store.getState().workspace?.path) return;
        // An import of this window's: its own result brings the view up to date, once.
        if (change.importId && datasetCommands.isOwnImport(change.importId)) return;
        void datasetCommands.datasetChanged(change.name);
      }),
      api.on('runs:changed', (change) => experimentCommands.runChanged(change)),
      api.on('runs:metrics', (batch) => experimentCommands.runMetricsLogged(batch)),
      api.on('jobs:changed', (job) => experimentCommands.jobChanged(job)),
      api.onConnection((connection) => {
        store.getState().connectionChanged(connection);
        if (connection === 'reconnecting') wasDown = true;
        // Events sent while the link was down are lost: catch up once it is back.
        if (connection === 'connected' && wasDown) {
          wasDown = false;
          void datasetCommands.refreshDatasets();
          void experimentCommands.catchUp();
        }
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  return { api, store, memory, datasetCommands, experimentCommands, workspaceCommands, connectToMain };
}

export type Services = ReturnType<typeof createServices>;
