import type { TableFormat } from '../../../shared/contract/datasets.ts';
import type { BackendName, BackendReport } from '../../../shared/contract/training.ts';
import type { LatheError } from '../../../shared/contract/result.ts';
import type { WantedColumn } from './data/table-reader.ts';
import type { DataSpec } from './data/training-data.ts';
import type { ResolvedKnobs } from './model-spec.ts';
import type { LoadedBackend } from './worker/backends.ts';

/**
 * What the main thread and the training worker (training-worker.ts) say to each other.
 *
 * main → worker: workerData (a TrainingWorkerStart), then the dataset's bytes as `chunk`s, each
 * acknowledged (at most a few in flight), then `end` once the bytes have streamed whole and
 * matched their hash. The worker answers `ready` (its backend loaded) first, then `prepared`
 * (the data split and encoded), an `epoch` per epoch, and `result` — or `error` at any point.
 * Cancelling is the main thread terminating the worker.
 */
export type TrainingWorkerStart =
  | {
      mode: 'train';
      backend: 'auto' | BackendName;
      wasmDir?: string | undefined;
      format: TableFormat;
      dataset: { name: string; version: number; contentHash: string };
      expectedRows: number;
      columns: WantedColumn[];
      data: DataSpec;
      knobs: ResolvedKnobs;
      /** The memory training may use; null: the share of the machine's that the backend allows (model-spec.ts). */
      memoryLimitBytes: number | null;
    }
  | { mode: 'doctor'; wasmDir?: string | undefined };

export type ToTrainingWorker = { type: 'chunk'; buffer: ArrayBuffer } | { type: 'end' };

export interface PreparedData {
  rows: { train: number; validation: number; test: number };
  classes: string[] | null;
  inputs: number;
  parameters: number;
}

export interface TrainingOutcome {
  epochsTrained: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  /** Logged as test_* metrics. */
  testMetrics: Record<string, number>;
  /** Artifacts, by path. */
  artifacts: { path: string; bytes: Uint8Array }[];
}

export type FromTrainingWorker =
  | { type: 'ready'; backend: LoadedBackend }
  | { type: 'ack' }
  | { type: 'prepared'; prepared: PreparedData }
  | { type: 'epoch'; epoch: number; metrics: Record<string, number> }
  | { type: 'result'; outcome: TrainingOutcome }
  | { type: 'error'; error: LatheError }
  | { type: 'doctor'; reports: Omit<BackendReport, 'selected'>[]; gpu: string | null };
