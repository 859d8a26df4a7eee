import { join } from 'node:path';
import type { Handlers } from '../dispatch.ts';
import type { EventHub } from '../events.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { datasetLog, listDatasets } from './dataset-history.ts';

// Importing and previewing need the table scanner; listing and history do not. Loaded on first
// use, so a `lathe data list` does not pay for the parser.
const importing = () => Promise.all([import('./import-dataset.ts'), import('./import-source.ts')]);

export const SAMPLE_DATASET = { name: 'penguins', file: 'samples/penguins.csv', message: 'Import the Palmer Penguins sample (CC0)' };

export interface DatasetCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
  /** Lathe's `resources/` folder (sample data). */
  resourcesDir: string;
  /** The table-scan worker's entry file, when not the source tree's. */
  scanWorker?: URL | undefined;
}

/** Datasets: import (from a path, an upload or the sample), history, versions. */
export function datasetCalls({ workspaces, events, resourcesDir, scanWorker }: DatasetCallsContext): Handlers {
  const importContext = { events, scanWorker };
  return {
    'datasets:list': async ({ workspace }) => listDatasets(await workspaces.at(workspace)),
    'datasets:log': async ({ workspace, name }) => datasetLog(await workspaces.at(workspace), name),
    'datasets:show': async ({ workspace, name, version }) => {
      const { showDataset } = await import('./dataset-show.ts');
      return showDataset(await workspaces.at(workspace), name, version);
    },
    'datasets:import-file': async ({ workspace, path, name, message, importId }) => {
      const [{ importDataset }, { fileImportSource }] = await importing();
      return importDataset(await workspaces.at(workspace), await fileImportSource(path), { name, message, importId }, importContext);
    },
    'datasets:import-upload': async ({ workspace, fileName, name, message, importId }, { upload }) => {
      // The client's file name is data, shown to people; it never chooses a local path.
      const shownName = fileName.split(/[\\/]/).pop() || 'upload';
      const source = { chunks: upload!.chunks, fileName: shownName, totalBytes: upload!.declaredBytes, maxBytes: upload!.maxBytes };
      const [{ importDataset }] = await importing();
      return importDataset(await workspaces.at(workspace), source, { name, message, importId }, importContext);
    },
    'datasets:import-sample': async ({ workspace, importId }) => {
      const [{ importDataset }, { fileImportSource }] = await importing();
      const source = await fileImportSource(join(resourcesDir, SAMPLE_DATASET.file));
      return importDataset(await workspaces.at(workspace), source, { name: SAMPLE_DATASET.name, message: SAMPLE_DATASET.message, importId }, importContext);
    },
  };
}
