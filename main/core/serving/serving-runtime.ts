import { Worker } from 'node:worker_threads';
import type { BackendName } from '../../../shared/contract/training.ts';
import type { BundleManifest } from '../bundles/bundle-manifest.ts';
import type { PublicKeyInfo } from '../bundles/signing-keys.ts';
import { failure, LatheFailure } from '../errors.ts';
import type { LoadedBackend } from '../training/worker/backends.ts';
import type { FromServingWorker, Prediction, ServedModel, ServingWorkerStart, ToServingWorker } from './serving-messages.ts';

/**
 * The serving runtime: a signed bundle, verified and loaded in a fresh worker thread, answering
 * predictions for rows (objects keyed by column name). There is no way to load a bundle without
 * verifying it: the worker checks the signature against the keys it is given and every part's
 * hash, from the very bytes it then runs, and refuses (DATA_DAMAGED, or FORBIDDEN for a signer
 * not trusted) before any model is built.
 *
 *   const runtime = await openServingRuntime('model.lathe', { trust: [ownKey] });
 *   const [first] = await runtime.predict([{ Island: 'Biscoe', 'Flipper Length (mm)': 210 }]);
 *   await runtime.close();
 */
export function defaultServingWorkerUrl(): URL {
  return new URL('./serving-worker.ts', import.meta.url);
}

export interface ServingOptions {
  /** Keys whose signatures are accepted; at least one (usually the user's own, see signing-keys.ts). */
  trust: readonly PublicKeyInfo[];
  /** The worker's entry file; bundles (the CLI's, the desktop app's) pass their own. */
  workerUrl?: URL | undefined;
  backend?: 'auto' | BackendName;
  wasmDir?: string | undefined;
}

export interface ServingRuntime {
  readonly model: ServedModel;
  readonly manifest: BundleManifest;
  readonly signer: { publicKey: string; fingerprint: string };
  readonly backend: LoadedBackend;
  /** One prediction per row, in order. */
  predict(rows: readonly Record<string, unknown>[]): Promise<Prediction[]>;
  close(): Promise<void>;
}

/** Rows per predict call: larger tables go in several calls. */
export const MAX_ROWS_PER_CALL = 100_000;

export async function openServingRuntime(bundleFile: string, options: ServingOptions): Promise<ServingRuntime> {
  if (options.trust.length === 0) {
    throw failure('INVALID_INPUT', 'The serving runtime needs at least one trusted key: a bundle is loaded only when a trusted key signed it.', { location: { field: 'trust' } });
  }
  const start: ServingWorkerStart = { file: bundleFile, trusted: options.trust.map((key) => key.text), backend: options.backend ?? 'auto', wasmDir: options.wasmDir };
  const worker = new Worker(options.workerUrl ?? defaultServingWorkerUrl(), { workerData: start });
  const pending = new Map<number, { resolve: (predictions: Prediction[]) => void; reject: (error: LatheFailure) => void }>();
  let nextId = 1;
  let stopped: LatheFailure | null = null;
  let closing = false;

  const ready = new Promise<Extract<FromServingWorker, { type: 'ready' }>>((resolve, reject) => {
    const stop = (error: LatheFailure) => {
      stopped ??= error;
      reject(stopped);
      for (const waiting of pending.values()) waiting.reject(stopped);
      pending.clear();
    };
    worker.on('message', (message: FromServingWorker) => {
      if (message.type === 'ready') resolve(message);
      else if (message.type === 'predictions') settle(message.id, (waiting) => waiting.resolve(message.predictions));
      else if (message.id === null) stop(new LatheFailure(message.error));
      else settle(message.id, (waiting) => waiting.reject(new LatheFailure(message.error)));
    });
    worker.on('error', (error: Error & { code?: string }) => stop(workerFailure(error, bundleFile, start)));
    worker.on('exit', () => stop(new LatheFailure({ code: closing ? 'CANCELLED' : 'INTERNAL', message: closing ? 'The serving runtime was closed.' : `The serving worker for ${bundleFile} stopped unexpectedly.` })));
  });
  const settle = (id: number, act: (waiting: { resolve: (p: Prediction[]) => void; reject: (e: LatheFailure) => void }) => void) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (waiting) act(waiting);
  };

  let loaded;
  try {
    loaded = await ready;
  } catch (error) {
    closing = true;
    await worker.terminate();
    throw error;
  }

  return {
    model: loaded.model,
    manifest: loaded.manifest,
    signer: loaded.signer,
    backend: loaded.backend,
    predict(rows) {
      if (stopped) return Promise.reject(stopped);
      const problem = rowsProblem(rows);
      if (problem) return Promise.reject(failure('INVALID_INPUT', problem, { location: { field: 'rows' } }));
      const id = nextId++;
      return new Promise<Prediction[]>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'predict', id, rows: rows as Record<string, unknown>[] } satisfies ToServingWorker);
      });
    },
    async close() {
      closing = true;
      await worker.terminate();
    },
  };
}

function workerFailure(error: Error & { code?: string }, bundleFile: string, start: { backend: string }): LatheFailure {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new LatheFailure({ code: 'TOO_LARGE', message: `Serving ${bundleFile} ran out of memory.`, hint: 'The model is too large for this machine\'s memory; serve it on a machine with more.' });
  }
  if (error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND') {
    return new LatheFailure({
      code: 'UNAVAILABLE',
      message: `The serving worker cannot start: ${error.message.split('\n')[0]}`,
      hint: 'A bundled Lathe (the CLI\'s main/dist, the desktop app) must pass its own serving-worker.cjs as workerUrl; from a source checkout, run `npm run build` again.',
    });
  }
  return new LatheFailure({ code: 'INTERNAL', message: `The serving worker for ${bundleFile} (${start.backend} backend) stopped: ${error.message}` });
}

/** Why these rows cannot be predicted, or null. Unknown columns are ignored; absent ones count as missing. */
function rowsProblem(rows: unknown): string | null {
  if (!Array.isArray(rows)) return 'rows: expected a list of rows, each an object keyed by column name.';
  if (rows.length > MAX_ROWS_PER_CALL) return `rows: ${rows.length} rows in one call; at most ${MAX_ROWS_PER_CALL} (send the rest in further calls).`;
  const bad = rows.findIndex((row) => typeof row !== 'object' || row === null || Array.isArray(row));
  return bad < 0 ? null : `rows.${bad}: expected an object keyed by column name, got ${Array.isArray(rows[bad]) ? 'a list' : rows[bad] === null ? 'null' : typeof rows[bad]}.`;
}

/**
 * Single-row latency as a client sees it (a request to the worker and back), over `rows` taken
 * in turn, after `warmup` untimed predictions: p50 and p99 in milliseconds.
 */
export async function measureSingleRowLatency(runtime: ServingRuntime, rows: readonly Record<string, unknown>[], options: { samples?: number; warmup?: number } = {}): Promise<{ samples: number; p50Ms: number; p99Ms: number; meanMs: number }> {
  if (rows.length === 0) throw failure('INVALID_INPUT', 'Latency is measured on at least one row.', { location: { field: 'rows' } });
  const samples = options.samples ?? 200;
  for (let i = 0; i < (options.warmup ?? 20); i++) await runtime.predict([rows[i % rows.length]!]);
  const times = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await runtime.predict([rows[i % rows.length]!]);
    times[i] = performance.now() - started;
  }
  times.sort();
  const at = (q: number) => times[Math.min(samples - 1, Math.ceil(q * samples) - 1)] as number;
  return { samples, p50Ms: at(0.5), p99Ms: at(0.99), meanMs: times.reduce((sum, t) => sum + t, 0) / samples };
}
