import { Worker } from 'node:worker_threads';
import { LatheFailure, toLatheError } from '../errors.ts';
import type { FromTrainingWorker, PreparedData, ToTrainingWorker, TrainingOutcome, TrainingWorkerStart } from './training-messages.ts';
import type { LoadedBackend } from './worker/backends.ts';

/**
 * The main thread's side of a training worker: start it, wait for its backend, stream it the
 * dataset's bytes (a few chunks in flight at most), and wait for its outcome, hearing of each
 * epoch as it ends. `terminate` stops it wherever it is (cancel): whatever waits fails then.
 */
export function defaultTrainingWorkerUrl(): URL {
  return new URL('./training-worker.ts', import.meta.url);
}

export interface TrainingWorkerListener {
  prepared?(prepared: PreparedData): void;
  epoch?(epoch: number, metrics: Record<string, number>): void;
}

/** Chunks handed to the worker and not yet parsed. */
const MAX_IN_FLIGHT = 4;

export class TrainingWorkerClient {
  readonly #worker: Worker;
  readonly listener: TrainingWorkerListener = {};
  #backend: LoadedBackend | null = null;
  #outcome: TrainingOutcome | null = null;
  #failure: LatheFailure | null = null;
  #inFlight = 0;
  #waiting: (() => void)[] = [];
  #terminated = false;

  constructor(url: URL, start: TrainingWorkerStart) {
    this.#worker = new Worker(url, { workerData: start });
    this.#worker.on('message', (message: FromTrainingWorker) => {
      switch (message.type) {
        case 'ready':
          this.#backend = message.backend;
          break;
        case 'ack':
          this.#inFlight -= 1;
          break;
        case 'prepared':
          this.#hear(() => this.listener.prepared?.(message.prepared));
          break;
        case 'epoch':
          this.#hear(() => this.listener.epoch?.(message.epoch, message.metrics));
          break;
        case 'result':
          this.#outcome = message.outcome;
          break;
        case 'error':
          this.#failure ??= new LatheFailure(message.error);
          break;
        case 'doctor':
          break;
      }
      this.#wake();
    });
    this.#worker.on('error', (error: Error & { code?: string }) => {
      this.#failure ??=
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new LatheFailure({ code: 'TOO_LARGE', message: 'Training ran out of memory.', hint: 'Use a smaller model (fewer or smaller hidden layers), a smaller batch size or fewer columns.' })
          : new LatheFailure({ code: 'INTERNAL', message: `The training worker stopped: ${error.message}` });
      this.#wake();
    });
    this.#worker.on('exit', () => {
      this.#failure ??= new LatheFailure({ code: this.#terminated ? 'CANCELLED' : 'INTERNAL', message: this.#terminated ? 'Training was stopped.' : 'The training worker stopped unexpectedly.' });
      this.#wake();
    });
  }

  /** The backend the worker loaded. */
  async ready(): Promise<LoadedBackend> {
    await this.#until(() => this.#backend !== null);
    return this.#backend!;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.#throwIfFailed();
    // The caller's chunk may be a view into a buffer it reuses: the worker gets its own copy.
    const copy = new Uint8Array(chunk);
    this.#inFlight += 1;
    this.#worker.postMessage({ type: 'chunk', buffer: copy.buffer } satisfies ToTrainingWorker, [copy.buffer]);
    await this.#until(() => this.#inFlight < MAX_IN_FLIGHT);
  }

  /** No more bytes: the worker trains, and this resolves with what it made. */
  async finish(): Promise<TrainingOutcome> {
    this.#throwIfFailed();
    this.#worker.postMessage({ type: 'end' } satisfies ToTrainingWorker);
    await this.#until(() => this.#outcome !== null);
    return this.#outcome!;
  }

  async terminate(): Promise<void> {
    this.#terminated = true;
    await this.#worker.terminate();
  }

  async #until(done: () => boolean): Promise<void> {
    while (!done()) {
      this.#throwIfFailed();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  /** A listener that fails (the run's metrics cannot be written) stops training: nothing would record it. */
  #hear(listen: () => void): void {
    try {
      listen();
    } catch (error) {
      this.#failure ??= error instanceof LatheFailure ? error : new LatheFailure(toLatheError(error));
      void this.#worker.terminate();
    }
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure;
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  }
}

/** Ask a worker which backends it can load (app:doctor), then stop it. */
export async function probeInWorker(url: URL, wasmDir: string | undefined): Promise<Extract<FromTrainingWorker, { type: 'doctor' }>> {
  const worker = new Worker(url, { workerData: { mode: 'doctor', wasmDir } satisfies TrainingWorkerStart });
  try {
    return await new Promise((resolve, reject) => {
      worker.on('message', (message: FromTrainingWorker) => {
        if (message.type === 'doctor') resolve(message);
        else if (message.type === 'error') reject(new LatheFailure(message.error));
      });
      worker.on('error', reject);
      worker.on('exit', () => reject(new LatheFailure({ code: 'INTERNAL', message: 'The backend check stopped unexpectedly.' })));
    });
  } finally {
    await worker.terminate();
  }
}
