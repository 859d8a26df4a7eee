// Worker entry: a lane of the table scan (table/segment-lane.ts). Requests come in order; each
// chunk's bytes are shared memory, read in place. Replies, including each segment's result or
// failure, go back in order. See table-scan.ts for the other side.
import { parentPort, workerData } from 'node:worker_threads';
import { SegmentReader, transferablesOf, type LaneRequest } from './table/segment-lane.ts';
import type { SegmentOptions } from './table/segment-scanner.ts';

const port = parentPort;
if (!port) throw new Error('table-scan-worker must run in a worker thread');
const reader = new SegmentReader((workerData as { options: SegmentOptions }).options, (reply) => port.postMessage(reply, transferablesOf(reply)));
port.on('message', (request: LaneRequest) => reader.handle(request));
