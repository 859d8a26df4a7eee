import { Worker } from 'node:worker_threads';
import type { LatheError } from '../../../shared/contract/result.ts';
import { LatheFailure } from '../errors.ts';
import { createTableScanner, type TableScanOptions, type TableScanResult } from './table/table-scanner.ts';

/**
 * Parsing and profiling a table, as the import pipeline sees it: fed chunk by chunk, finished
 * once. Large files are scanned on a worker thread, so the thread that hashes and writes the
 * bytes (and, in the desktop app, serves the windows) never waits on the parser; small ones are
 * scanned in place, where starting a thread would cost more than it saves.
 */
export interface TableScan {
  /** Resolves when the scan can take another chunk; rejects with the scan's failure. */
  write(chunk: Uint8Array): Promise<void>;
  end(): Promise<TableScanResult>;
  readonly rows: number;
  /** Stop early (the import failed elsewhere). */
  close(): Promise<void>;
}

export type ScanRequest = { type: 'chunk'; buffer: ArrayBuffer } | { type: 'end' };
export type ScanReply = { type: 'ack'; rows: number } | { type: 'result'; result: TableScanResult } | { type: 'error'; error: LatheError };

/** Below this many bytes a file is scanned on the calling thread. */
export const WORKER_THRESHOLD_BYTES = 8 * 1024 * 1024;
/** Chunks handed to the worker and not yet parsed: bounds memory when the parser is slower. */
const MAX_IN_FLIGHT = 4;

export function defaultScanWorkerUrl(): URL {
  return new URL('./table-scan-worker.ts', import.meta.url);
}

export function startTableScan(options: TableScanOptions, expectedBytes: number | null, workerUrl: URL = defaultScanWorkerUrl()): TableScan {
  return expectedBytes !== null && expectedBytes < WORKER_THRESHOLD_BYTES ? inThreadScan(options) : new WorkerScan(options, workerUrl);
}

function inThreadScan(options: TableScanOptions): TableScan {
  const scanner = createTableScanner(options);
  return {
    write: async (chunk) => scanner.write(chunk),
    end: async () => scanner.end(),
    get rows() {
      return scanner.rows;
    },
    close: async () => undefined,
  };
}

class WorkerScan implements TableScan {
  readonly #worker: Worker;
  #rows = 0;
  #inFlight = 0;
  #failure: LatheFailure | null = null;
  #result: TableScanResult | null = null;
  #wake: (() => void) | null = null;

  constructor(options: TableScanOptions, workerUrl: URL) {
    this.#worker = new Worker(workerUrl, { workerData: options });
    this.#worker.on('message', (reply: ScanReply) => {
      if (reply.type === 'ack') {
        this.#inFlight -= 1;
        this.#rows = reply.rows;
      } else if (reply.type === 'result') {
        this.#result = reply.result;
      } else {
        this.#failure = new LatheFailure(reply.error);
      }
      this.#notify();
    });
    this.#worker.on('error', (error) => {
      this.#failure ??= new LatheFailure({ code: 'INTERNAL', message: `The table scanner stopped: ${error.message}` });
      this.#notify();
    });
    this.#worker.on('exit', () => {
      this.#failure ??= new LatheFailure({ code: 'INTERNAL', message: 'The table scanner stopped unexpectedly.' });
      this.#notify();
    });
  }

  get rows(): number {
    return this.#rows;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.#throwIfFailed();
    // The caller still needs its chunk (it is being written), so the worker gets a copy. Not
    // chunk.slice(): on a Buffer that is a view, and transferring it would empty the caller's.
    const copy = new Uint8Array(chunk);
    this.#inFlight += 1;
    this.#worker.postMessage({ type: 'chunk', buffer: copy.buffer } satisfies ScanRequest, [copy.buffer]);
    while (this.#inFlight >= MAX_IN_FLIGHT && !this.#failure) await this.#nextReply();
    this.#throwIfFailed();
  }

  async end(): Promise<TableScanResult> {
    this.#throwIfFailed();
    this.#worker.postMessage({ type: 'end' } satisfies ScanRequest);
    while (!this.#result && !this.#failure) await this.#nextReply();
    const result = this.#result;
    await this.close();
    if (!result) throw this.#failure!;
    return result;
  }

  async close(): Promise<void> {
    this.#worker.removeAllListeners('exit');
    await this.#worker.terminate();
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure;
  }

  #nextReply(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
