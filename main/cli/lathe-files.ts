import { fileURLToPath } from 'node:url';

/** Where this Lathe's own files are, which depends on how the CLI runs: from source or bundled. */
export interface LatheFiles {
  /** The project folder (package.json, resources/, renderer/dist/). */
  root: string;
  /** The built UI that `lathe serve` hands out. */
  uiDir: string;
  /** `resources/`: the sample data. */
  resourcesDir: string;
  /** The table-scan worker's entry file; undefined means the core's own, beside its source. */
  scanWorker: URL | undefined;
}

/**
 * The files beside the running entry point: `main/cli/lathe.ts` from source, `main/dist/lathe.mjs`
 * when bundled — both two folders below the project folder. A bundle cannot start a worker from a
 * .ts file, so it uses the worker bundled beside it (`npm run build` makes both).
 */
export function latheFiles(entry: URL): LatheFiles {
  const at = (relative: string) => fileURLToPath(new URL(relative, entry));
  const bundled = !entry.pathname.endsWith('.ts');
  return {
    root: at('../../'),
    uiDir: at('../../renderer/dist/'),
    resourcesDir: at('../../resources/'),
    scanWorker: bundled ? new URL('./table-scan-worker.cjs', entry) : undefined,
  };
}
