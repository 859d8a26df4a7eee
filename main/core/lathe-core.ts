import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutputOf, ParsedInputOf } from '../../shared/contract/calls.ts';
import { countDatasets, listDatasets, datasetLog, showDataset } from './datasets/dataset-history.ts';
import { importDataset } from './datasets/import-dataset.ts';
import { fileImportSource } from './datasets/import-source.ts';
import type { Handlers } from './dispatch.ts';
import { EventHub } from './events.ts';
import { sourceResourcesDir } from './paths.ts';
import { LastWorkspace } from './workspace/last-workspace.ts';
import { Workspace } from './workspace/workspace.ts';

export type FrontDoorName = 'electron' | 'browser' | 'cli';

export interface LatheCoreOptions {
  frontDoor: FrontDoorName;
  /** Lathe's version, for app:info. */
  version: string;
  /** Where Lathe remembers the last workspace opened (per user, not per workspace). */
  stateDir: string;
  /** The workspace to create and open when none has been opened yet. */
  defaultWorkspace: string;
  /** Lathe's `resources/` folder (sample data); defaults to the source tree's. */
  resourcesDir?: string;
  /** The table-scan worker's entry file; the desktop bundle passes its own. */
  scanWorker?: URL;
}

export interface UploadBody {
  /** The bytes, in order. */
  chunks: AsyncIterable<Uint8Array>;
  /** Content-Length when the client sent one, for progress. */
  declaredBytes: number | null;
  /** Refuse (TOO_LARGE) past this many bytes; nothing is kept. */
  maxBytes: number;
}

export interface LatheCore {
  /** The calls this core answers; front doors add their own (dialogs, windows) beside them. */
  readonly handlers: Handlers;
  readonly events: EventHub;
  /** `datasets:import-upload`: the body streams through the import and is kept only if it parses. */
  importUpload(input: ParsedInputOf<'datasets:import-upload'>, body: UploadBody): Promise<OutputOf<'datasets:import-upload'>>;
  close(): Promise<void>;
}

export const SAMPLE_DATASET = { name: 'penguins', file: 'samples/penguins.csv', message: 'Import the Palmer Penguins sample (CC0)' };

/** The one composition root: every front door builds its core here. */
export function createLatheCore(options: LatheCoreOptions): LatheCore {
  const events = new EventHub();
  const lastWorkspace = new LastWorkspace(options.stateDir);
  const resourcesDir = options.resourcesDir ?? sourceResourcesDir();
  const open = new Map<string, Promise<Workspace>>();
  const importContext = { events, scanWorker: options.scanWorker };

  /** Workspaces stay open for the life of the core, keyed by their real path. */
  async function workspaceAt(path: string): Promise<Workspace> {
    const key = await realpath(path).catch(() => path);
    let pending = open.get(key);
    if (!pending) {
      pending = Workspace.open(key);
      open.set(key, pending);
      pending.catch(() => open.delete(key));
    }
    return pending;
  }

  async function infoOf(workspace: Workspace) {
    return workspace.info(await countDatasets(workspace));
  }

  async function remember(workspace: Workspace) {
    if (options.frontDoor !== 'cli') await lastWorkspace.set(workspace.dir);
    return infoOf(workspace);
  }

  const handlers: Handlers = {
    'app:info': async () => ({
      version: options.version,
      frontDoor: options.frontDoor,
      platform: process.platform,
      nativeDialogs: options.frontDoor === 'electron',
    }),
    'workspace:open': async ({ path }) => remember(await workspaceAt(path)),
    'workspace:create': async ({ path }) => {
      const workspace = await Workspace.create(path);
      open.set(workspace.dir, Promise.resolve(workspace));
      return remember(workspace);
    },
    'workspace:default': async () => {
      const last = await lastWorkspace.get();
      if (last) {
        const workspace = await workspaceAt(last).catch(() => null);
        if (workspace) return infoOf(workspace);
      }
      return handlers['workspace:create']!({ path: options.defaultWorkspace });
    },
    'datasets:list': async ({ workspace }) => listDatasets(await workspaceAt(workspace)),
    'datasets:log': async ({ workspace, name }) => datasetLog(await workspaceAt(workspace), name),
    'datasets:show': async ({ workspace, name, version }) => showDataset(await workspaceAt(workspace), name, version),
    'datasets:import-file': async ({ workspace, path, name, message, importId }) =>
      importDataset(await workspaceAt(workspace), await fileImportSource(path), { name, message, importId }, importContext),
    'datasets:import-sample': async ({ workspace }) => {
      const source = await fileImportSource(join(resourcesDir, SAMPLE_DATASET.file));
      return importDataset(await workspaceAt(workspace), source, { name: SAMPLE_DATASET.name, message: SAMPLE_DATASET.message }, importContext);
    },
  };

  return {
    handlers,
    events,
    async importUpload(input, body) {
      const workspace = await workspaceAt(input.workspace);
      // The client's file name is data, shown to people; it never chooses a local path.
      const fileName = input.fileName.split(/[\\/]/).pop() || 'upload';
      const source = { chunks: body.chunks, fileName, totalBytes: body.declaredBytes, maxBytes: body.maxBytes };
      return importDataset(workspace, source, { name: input.name, message: input.message, importId: input.importId }, importContext);
    },
    async close() {
      open.clear();
    },
  };
}
