// Worker entry: runs a table scanner off the main thread. Chunks arrive as transferred
// ArrayBuffers; each is acknowledged with the row count so far, and the first failure or the
// final result is posted back. See table-scan.ts for the other side.
import { parentPort, workerData } from 'node:worker_threads';
import { toLatheError } from '../errors.ts';
import { createTableScanner, type TableScanOptions } from './table/table-scanner.ts';
import type { ScanReply, ScanRequest } from './table-scan.ts';

const port = parentPort;
if (!port) throw new Error('table-scan-worker must run in a worker thread');
const scanner = createTableScanner(workerData as TableScanOptions);
let failed = false;

port.on('message', (request: ScanRequest) => {
  if (failed) return;
  try {
    if (request.type === 'chunk') {
      scanner.write(new Uint8Array(request.buffer));
      port.postMessage({ type: 'ack', rows: scanner.rows } satisfies ScanReply);
    } else {
      port.postMessage({ type: 'result', result: scanner.end() } satisfies ScanReply);
    }
  } catch (error) {
    failed = true;
    port.postMessage({ type: 'error', error: toLatheError(error) } satisfies ScanReply);
  }
});
