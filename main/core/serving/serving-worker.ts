// Worker entry: verifies a bundle, loads its model and answers predictions off the main thread
// (see serving-messages.ts for the protocol, serving-runtime.ts for the other side).
// TensorFlow.js is loaded here, and only here.
import { parentPort, workerData } from 'node:worker_threads';
import { parsePublicKey, type PublicKeyInfo } from '../bundles/signing-keys.ts';
import { verificationFailure, verifyBundle } from '../bundles/verify-bundle.ts';
import { toLatheError } from '../errors.ts';
import { loadBackend } from '../training/worker/backends.ts';
import { loadPredictor, SERVED_PARTS, type Predictor } from './load-predictor.ts';
import type { FromServingWorker, ServingWorkerStart, ToServingWorker } from './serving-messages.ts';

const port = parentPort;
if (!port) throw new Error('serving-worker must run in a worker thread');
const start = workerData as ServingWorkerStart;
const post = (message: FromServingWorker) => port.postMessage(message);

async function load(): Promise<Predictor> {
  const trusted = start.trusted.map(parsePublicKey).filter((key): key is PublicKeyInfo => key !== null);
  const verification = await verifyBundle(start.file, { trusted, keep: [...SERVED_PARTS] });
  if (!verification.verified) throw verificationFailure(verification);
  const { tf, backend } = await loadBackend(start.backend, { wasmDir: start.wasmDir });
  const predictor = await loadPredictor(tf, verification.kept, start.file);
  verification.kept.clear(); // the model holds its weights now
  post({ type: 'ready', backend, model: predictor.model, manifest: verification.manifest!, signer: { publicKey: verification.signer!.publicKey, fingerprint: verification.signer!.fingerprint } });
  return predictor;
}

load().then(
  (predictor) => {
    port.on('message', (message: ToServingWorker) => {
      try {
        post({ type: 'predictions', id: message.id, predictions: predictor.predict(message.rows) });
      } catch (error) {
        post({ type: 'error', id: message.id, error: toLatheError(error) });
      }
    });
  },
  (error: unknown) => post({ type: 'error', id: null, error: toLatheError(error) }),
);
