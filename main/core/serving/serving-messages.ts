import type { BackendName } from '../../../shared/contract/training.ts';
import type { LatheError } from '../../../shared/contract/result.ts';
import type { BundleManifest } from '../bundles/bundle-manifest.ts';
import type { LoadedBackend } from '../training/worker/backends.ts';

/**
 * What the main thread and a serving worker (serving-worker.ts) say to each other.
 *
 * main → worker: workerData (a ServingWorkerStart: the bundle file and the keys to trust), then
 * `predict` requests, each with an id. The worker verifies and loads the bundle itself (so the
 * bytes it runs are the bytes it checked, read once), answers `ready` or `error`, then a
 * `predictions` or `error` per request, by id.
 */
export interface ServingWorkerStart {
  file: string;
  /** Trusted public keys as `ed25519:…` text. */
  trusted: string[];
  backend: 'auto' | BackendName;
  wasmDir?: string | undefined;
}

export interface ServedModel {
  task: 'classification' | 'regression';
  target: string;
  /** The table columns the model reads, in order. */
  inputs: { name: string; type: string }[];
  classes: string[] | null;
}

export type Prediction = { predicted: string; probabilities: Record<string, number> } | { predicted: number };

export type ToServingWorker = { type: 'predict'; id: number; rows: Record<string, unknown>[] };

export type FromServingWorker =
  | { type: 'ready'; backend: LoadedBackend; model: ServedModel; manifest: BundleManifest; signer: { publicKey: string; fingerprint: string } }
  | { type: 'predictions'; id: number; predictions: Prediction[] }
  | { type: 'error'; id: number | null; error: LatheError };
