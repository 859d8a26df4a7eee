// Worker entry: trains a model off the main thread (see training-messages.ts for the protocol,
// training-worker-client.ts for the other side). TensorFlow.js is loaded here, and only here.
import { parentPort, workerData } from 'node:worker_threads';
import { toLatheError } from '../errors.ts';
import { createTableReader } from './data/table-reader.ts';
import type { FromTrainingWorker, ToTrainingWorker, TrainingWorkerStart } from './training-messages.ts';
import { loadBackend, probeBackends } from './worker/backends.ts';
import { trainTable } from './worker/train-table.ts';

const port = parentPort;
if (!port) throw new Error('training-worker must run in a worker thread');
const start = workerData as TrainingWorkerStart;
const post = (message: FromTrainingWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const fail = (error: unknown) => post({ type: 'error', error: toLatheError(error) });

if (start.mode === 'doctor') {
  probeBackends({ wasmDir: start.wasmDir }).then(({ reports, gpu }) => post({ type: 'doctor', reports, gpu }), fail);
} else {
  let failed = false;
  const reader = createTableReader(start.format, start.columns, start.expectedRows);
  const ready = loadBackend(start.backend, { wasmDir: start.wasmDir });
  ready.then(({ backend }) => post({ type: 'ready', backend }), (error: unknown) => {
    failed = true;
    fail(error);
  });
  port.on('message', (message: ToTrainingWorker) => {
    if (failed) return;
    try {
      if (message.type === 'chunk') {
        reader.write(new Uint8Array(message.buffer));
        post({ type: 'ack' });
        return;
      }
      const table = reader.end();
      ready
        .then(({ tf, backend }) =>
          trainTable(tf, backend, table, start, {
            prepared: (prepared) => post({ type: 'prepared', prepared }),
            epoch: (epoch, metrics) => post({ type: 'epoch', epoch, metrics }),
          }),
        )
        .then((outcome) => post({ type: 'result', outcome }, outcome.artifacts.map((artifact) => artifact.bytes.buffer as ArrayBuffer)), fail);
    } catch (error) {
      failed = true;
      fail(error);
    }
  });
}
