import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Lane, LaneReply, LaneRequest } from './table/segment-lane.ts';
import { SEGMENT_BYTES, SegmentPipeline } from './table/segment-pipeline.ts';
import type { SegmentOptions } from './table/segment-scanner.ts';
import { createTableScanner, segmentOptions, type TableScanOptions, type TableScanResult } from './table/table-scanner.ts';

/**
 * Parsing and profiling a table, as the import pipeline sees it: fed chunk by chunk, finished
 * once. Large files are read on worker threads, two at once where the machine has the cores
 * (table/segment-pipeline.ts: the file is cut into segments at row boundaries, read in turn by
 * each, and merged in file order, with the same result as one thread), so the thread that
 * hashes and writes the bytes (and, in the desktop app, serves the windows) never waits on the
 * parser; small ones are scanned in place, where starting a thread would cost more than it
 * saves.
 */
export interface TableScan {
  /** Resolves when the scan can take another chunk; rejects with the scan's failure. */
  write(chunk: Uint8Array): Promise<void>;
  end(): Promise<TableScanResult>;
  readonly rows: number;
  /** Stop early (the import failed elsewhere). */
  close(): Promise<void>;
}

/** Below this many bytes a file is scanned on the calling thread: one segment, as on a worker. */
export const WORKER_THRESHOLD_BYTES = SEGMENT_BYTES;
/** Bytes kept for segments not merged yet, before `write` waits (about three segments). */
const MAX_KEPT_BYTES = 3 * SEGMENT_BYTES;
/** Bytes sent to a lane and not yet read, before `write` waits. */
const MAX_LANE_BYTES = SEGMENT_BYTES;

export function defaultScanWorkerUrl(): URL {
  return new URL('./table-scan-worker.ts', import.meta.url);
}

/** For tests and benchmarks: how many worker threads, and segments of how many bytes. */
export interface ScanTuning {
  lanes?: number;
  segmentBytes?: number;
}

/**
 * Large files (or of unknown size) are read on worker threads: two where the machine has two
 * cores (a JSON array is one segment, so one).
 */
export function startTableScan(options: TableScanOptions, expectedBytes: number | null, workerUrl: URL = defaultScanWorkerUrl(), tuning: ScanTuning = {}): TableScan {
  if (expectedBytes !== null && expectedBytes < WORKER_THRESHOLD_BYTES) return inThreadScan(options);
  const resolved = segmentOptions(options);
  const lanes = options.format === 'json' ? 1 : (tuning.lanes ?? lanesFromEnvironment() ?? Math.min(2, availableParallelism()));
  const segmentBytes = tuning.segmentBytes ?? SEGMENT_BYTES;
  const pipeline = new SegmentPipeline(resolved, { count: lanes, make: (_lane, reply) => new WorkerLane(workerUrl, resolved, reply) }, {
    segmentBytes,
    maxKeptBytes: (MAX_KEPT_BYTES / SEGMENT_BYTES) * segmentBytes,
    maxLaneBytes: (MAX_LANE_BYTES / SEGMENT_BYTES) * segmentBytes,
  });
  return {
    write: (chunk) => pipeline.write(chunk),
    end: () => pipeline.end().finally(() => pipeline.close()),
    get rows() {
      return pipeline.rows;
    },
    close: () => pipeline.close(),
  };
}

/** LATHE_SCAN_LANES=1 reads large files on one worker (benchmarks compare it with two). */
function lanesFromEnvironment(): number | null {
  const lanes = Number(process.env.LATHE_SCAN_LANES);
  return Number.isInteger(lanes) && lanes >= 1 && lanes <= 8 ? lanes : null;
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

/** A lane on a worker thread (table-scan-worker.ts). */
class WorkerLane implements Lane {
  readonly #worker: Worker;
  #stopped = false;

  constructor(workerUrl: URL, options: SegmentOptions, reply: (reply: LaneReply) => void) {
    this.#worker = new Worker(workerUrl, { workerData: { options } });
    this.#worker.on('message', (message: LaneReply) => {
      if (!this.#stopped) reply(message);
    });
    const stopped = (message: string) => {
      if (this.#stopped) return;
      this.#stopped = true;
      reply({ type: 'stopped', id: 0, error: { code: 'INTERNAL', message } });
    };
    this.#worker.on('error', (error) => stopped(`The table scanner stopped: ${error.message}`));
    this.#worker.on('exit', () => stopped('The table scanner stopped unexpectedly.'));
  }

  send(request: LaneRequest): void {
    if (!this.#stopped) this.#worker.postMessage(request);
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#worker.terminate();
  }
}
