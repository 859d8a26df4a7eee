import { basename, join } from 'node:path';
import type { Handlers } from '../dispatch.ts';
import type { EventHub } from '../events.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import type { ImportRequest, ImportSource } from './import-dataset.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { datasetLog, listDatasets } from './dataset-history.ts';

// Importing and previewing need the table scanner; listing and history do not. They are loaded
// on first use, so a `lathe data list` does not pay for the parser.

export const SAMPLE_DATASET = { name: 'penguins', file: 'samples/penguins.csv', message: 'Import the Palmer Penguins sample (CC0)' };

export interface DatasetCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
  /** Every import runs as a job: listed, followed and cancellable. */
  jobs: JobRegistry;
  /** Lathe's `resources/` folder (sample data). */
  resourcesDir: string;
  /** The table-scan worker's entry file, when not the source tree's. */
  scanWorker?: URL | undefined;
}

/** Datasets: import (from a path, an upload or the sample), history, versions. */
export function datasetCalls({ workspaces, events, jobs, resourcesDir, scanWorker }: DatasetCallsContext): Handlers {
  /** Run one import as a job of its workspace. */
  const importAs = async (workspacePath: string, request: ImportRequest, fileName: string, source: () => Promise<ImportSource>) => {
    const [{ importDataset }, workspace] = await Promise.all([import('./import-dataset.ts'), workspaces.at(workspacePath)]);
    const job = jobs.run({
      workspace: workspace.dir,
      kind: 'import',
      title: `Import ${fileName} into ${request.name}`,
      ref: request.importId,
      run: async (context) => importDataset(workspace, await source(), request, { events, scanWorker, job: context }),
    });
    return job.done;
  };
  const fileSource = (path: string) => async () => (await import('./import-source.ts')).fileImportSource(path);
  return {
    'datasets:list': async ({ workspace }) => listDatasets(await workspaces.at(workspace)),
    'datasets:log': async ({ workspace, name }) => datasetLog(await workspaces.at(workspace), name),
    'datasets:show': async ({ workspace, name, version }) => {
      const { showDataset } = await import('./dataset-show.ts');
      return showDataset(await workspaces.at(workspace), name, version);
    },
    'datasets:import-file': async ({ workspace, path, name, message, importId }) =>
      importAs(workspace, { name, message, importId }, basename(path), fileSource(path)),
    'datasets:import-upload': async ({ workspace, fileName, name, message, importId }, { upload }) => {
      // The client's file name is data, shown to people; it never chooses a local path.
      const shownName = fileName.split(/[\\/]/).pop() || 'upload';
      const source = { chunks: upload!.chunks, fileName: shownName, totalBytes: upload!.declaredBytes, maxBytes: upload!.maxBytes };
      return importAs(workspace, { name, message, importId }, shownName, async () => source);
    },
    'datasets:import-sample': async ({ workspace, importId }) =>
      importAs(workspace, { name: SAMPLE_DATASET.name, message: SAMPLE_DATASET.message, importId }, 'the sample data', fileSource(join(resourcesDir, SAMPLE_DATASET.file))),
  };
}
