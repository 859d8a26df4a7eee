import type { IncomingMessage, ServerResponse } from 'node:http';
import { failure } from '../../core/errors.ts';
import type { MlflowTracking } from '../../core/tracking/mlflow-tracking.ts';
import { checkArtifactPath } from '../../core/tracking/run-artifacts.ts';
import { formatByteLimit } from '../../core/byte-limit.ts';
import { askForBody, bodyChunks, declaredLength } from '../request-body.ts';
import { securityHeaders } from '../security-headers.ts';
import { fileInfoJson } from './mlflow-json.ts';
import { sendMlflowError, sendMlflowJson } from './mlflow-reply.ts';

/**
 * MLflow's artifact proxy, `/api/2.0/mlflow-artifacts/artifacts/<experiment_id>/<run_id>/artifacts/<path>`
 * (where a run's `mlflow-artifacts:/…` artifact URI leads the client): PUT stores a file as an
 * artifact of the run (bytes in the content-addressed store, as Lathe's own artifacts), GET
 * sends it back checked against its hash, and GET on the folder with `?path=` lists it.
 *
 * A path is hostile until checked: each part is percent-decoded on its own, an encoded "/" or
 * "\" or NUL is refused, and the decoded path must be a plain relative path (no "..", ".",
 * empty part, absolute path or backslash). A path names a record of the run, never a file on
 * disk, so nothing outside the run's artifacts can be read or written whatever it says.
 */
export const ARTIFACTS_PREFIX = '/api/2.0/mlflow-artifacts/artifacts';

/** Bytes read into memory and checked before the first is sent; larger artifacts stream, checked as they go. */
const CHECK_BEFORE_SENDING = 16 * 1024 * 1024;

interface ArtifactAddress {
  runId: string;
  experimentId: string;
  /** Relative to the run's artifacts; '' for the top. */
  path: string;
}

export async function handleArtifactRequest(
  req: IncomingMessage,
  res: ServerResponse,
  rest: string,
  query: URLSearchParams,
  tracking: MlflowTracking,
  maxArtifactBytes: number,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (rest === '' || rest === '/') {
    if (method !== 'GET') return refuseMethod(res, method, 'GET');
    const address = addressOf(splitDecoded(query.get('path') ?? ''), true);
    return list(res, tracking, address);
  }
  if (!rest.startsWith('/')) throw notHere();
  const address = addressOf(splitEncoded(rest.slice(1)), false);
  if (method === 'PUT') return upload(req, res, tracking, address, maxArtifactBytes);
  if (method === 'GET') return download(res, tracking, address);
  return refuseMethod(res, method, 'GET, PUT');
}

function list(res: ServerResponse, tracking: MlflowTracking, address: ArtifactAddress): void {
  runOf(tracking, address);
  const files = tracking.listArtifacts(address.runId, address.path).map((entry) => fileInfoJson(entry, ''));
  sendMlflowJson(res, 200, files.length > 0 ? { files } : {});
}

async function upload(req: IncomingMessage, res: ServerResponse, tracking: MlflowTracking, address: ArtifactAddress, limit: number): Promise<void> {
  runOf(tracking, address);
  const declared = declaredLength(req);
  if (declared !== null && declared > limit) throw tooLarge(address.path, limit);
  askForBody(req, res);
  await tracking.putArtifact(address.runId, address.path, cappedBody(req, limit, address.path));
  sendMlflowJson(res, 200, {});
}

async function download(res: ServerResponse, tracking: MlflowTracking, address: ArtifactAddress): Promise<void> {
  runOf(tracking, address);
  const artifact = tracking.openArtifact(address.runId, address.path);
  if (!artifact) throw failure('NOT_FOUND', `Run ${address.runId} has no artifact '${address.path}'.`, { location: { field: 'path' } });
  const head = { ...securityHeaders, 'Content-Type': 'application/octet-stream', 'Content-Length': String(artifact.bytes), 'Cache-Control': 'no-store' };
  if (artifact.bytes <= CHECK_BEFORE_SENDING) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of artifact.chunks) chunks.push(chunk); // a damaged blob throws here: nothing sent yet
    res.writeHead(200, head);
    res.end(Buffer.concat(chunks));
    return;
  }
  res.writeHead(200, head);
  try {
    for await (const chunk of artifact.chunks) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  } catch {
    // Damaged (or unreadable) part-way: cut the answer short of its Content-Length, so no client takes it as whole.
    res.destroy();
  }
}

/** The request body as it arrives, ended with TOO_LARGE the moment it passes the limit (the blob writer then discards it). */
async function* cappedBody(req: IncomingMessage, limit: number, path: string): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of bodyChunks(req)) {
    total += chunk.byteLength;
    if (total > limit) throw tooLarge(path, limit);
    yield chunk;
  }
}

function runOf(tracking: MlflowTracking, address: ArtifactAddress): void {
  const run = tracking.getRun(address.runId);
  if (run.experimentId !== address.experimentId && !(address.experimentId === '0' && run.experimentName === 'Default')) {
    throw failure('NOT_FOUND', `Run ${address.runId} is not in experiment ${address.experimentId} (it is in ${run.experimentId}).`, { location: { field: 'path' } });
  }
}

/** `<experiment_id>/<run_id>/artifacts[/<path>]`, checked. */
function addressOf(parts: string[], folder: boolean): ArtifactAddress {
  const [experimentId, runId, artifacts, ...rest] = parts;
  if (experimentId === undefined || runId === undefined || artifacts !== 'artifacts' || !/^\d{1,15}$/.test(experimentId) || !/^[0-9a-f]{32}$/.test(runId)) throw notHere();
  if (rest.length === 0 && !folder) throw invalidPath('', 'a file path is needed after artifacts/');
  const path = rest.join('/');
  if (path !== '') checkPath(path);
  return { experimentId, runId, path };
}

/** A raw (still encoded) path: split on "/" first, then each part decoded, so "%2F" never becomes a separator. */
function splitEncoded(raw: string): string[] {
  if (/%(2f|5c|00)/i.test(raw)) throw invalidPath(raw, 'an encoded "/", "\\" or NUL is not allowed in an artifact path');
  return raw.split('/').map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw invalidPath(raw, 'it is not valid percent-encoding');
    }
  });
}

function splitDecoded(path: string): string[] {
  return path.replace(/\/+$/, '').split('/');
}

function checkPath(path: string): void {
  try {
    checkArtifactPath(path);
  } catch (error) {
    throw invalidPath(path, error instanceof Error ? error.message.replace(/^path: /, '') : 'it is not a plain relative path');
  }
}

function invalidPath(path: string, why: string) {
  return failure('INVALID_INPUT', `Invalid artifact path '${path.slice(0, 300)}': ${why}.`, { location: { field: 'path' } });
}

function notHere() {
  return failure('NOT_FOUND', `Artifacts are at ${ARTIFACTS_PREFIX}/<experiment_id>/<run_id>/artifacts/<path>, as the run's artifact_uri says.`, { location: { field: 'path' } });
}

function tooLarge(path: string, limit: number) {
  return failure('TOO_LARGE', `Artifact '${path}' is larger than this server's limit of ${formatByteLimit(limit)}; nothing of it was kept.`, {
    hint: 'Start lathe serve with a larger --max-upload-mb.',
    location: { field: 'path' },
  });
}

function refuseMethod(res: ServerResponse, method: string, allowed: string): void {
  sendMlflowError(res, failure('INVALID_INPUT', `${ARTIFACTS_PREFIX} takes ${allowed}; this request was ${method.slice(0, 20)}.`), 405, { Allow: allowed });
}
