import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../../shared/contract/http.ts';
import { failure } from '../../core/errors.ts';
import { checkBatchRequestSize, mlflowInvalid, mlflowLimits } from '../../core/tracking/mlflow-rules.ts';
import type { MlflowTracking } from '../../core/tracking/mlflow-tracking.ts';
import { askForBody, bodyChunks, checkContentType, declaredLength, discardRestOfBody } from '../request-body.ts';
import { ARTIFACTS_PREFIX, handleArtifactRequest } from './mlflow-artifact-routes.ts';
import { mlflowEndpoints, type Endpoint } from './mlflow-endpoints.ts';
import { sendMlflowError, sendMlflowJson } from './mlflow-reply.ts';
import { queryMessage, readMessage } from './mlflow-requests.ts';

/**
 * MLflow's tracking REST API, for any Node HTTP server: `lathe serve` mounts it after its
 * Host/Origin and token checks; `lathe run` can mount it on a server of its own.
 *
 *   if (await handleMlflowRequest(req, res, { tracking: () => mlflowTrackingFor(workspace, events) })) return;
 *
 * Answers `/api/2.0/mlflow/…` (experiments, runs, metrics, artifacts/list) and the artifact
 * proxy `/api/2.0/mlflow-artifacts/artifacts/…`; resolves to false, untouched, for any other
 * path. The server that mounts it checks Host and Origin; give `token` and this also checks
 * `Authorization: Bearer` (what MLflow's client sends from MLFLOW_TRACKING_TOKEN).
 */
export interface MlflowRequestContext {
  /** The tracking store MLflow's calls read and write, found per request (a server may switch workspaces). */
  tracking: () => MlflowTracking | Promise<MlflowTracking>;
  /** Largest artifact upload; default DEFAULT_MAX_UPLOAD_BYTES. */
  maxArtifactBytes?: number;
  /** When given, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
}

export const MLFLOW_PREFIX = '/api/2.0/mlflow/';
/** Largest JSON body of any call (log-batch's own limit, 1 MB, is checked on top). */
const MAX_JSON_BYTES = 16 * 1024 * 1024;

export async function handleMlflowRequest(req: IncomingMessage, res: ServerResponse, context: MlflowRequestContext): Promise<boolean> {
  const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('#', 1)[0]!.split(/\?(.*)/s);
  const query = new URLSearchParams(rawQuery);
  const isArtifacts = rawPath === ARTIFACTS_PREFIX || rawPath.startsWith(`${ARTIFACTS_PREFIX}/`);
  if (!isArtifacts && !rawPath.startsWith(MLFLOW_PREFIX)) return false;
  try {
    if (context.token !== undefined && !bearerMatches(req, context.token)) {
      throw failure('UNAUTHORIZED', 'This request needs the session token: set MLFLOW_TRACKING_TOKEN (sent as "Authorization: Bearer <token>").');
    }
    const tracking = await context.tracking();
    if (isArtifacts) {
      await handleArtifactRequest(req, res, rawPath.slice(ARTIFACTS_PREFIX.length), query, tracking, context.maxArtifactBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
    } else {
      await answerCall(req, res, rawPath.slice(MLFLOW_PREFIX.length), query, tracking);
    }
  } catch (thrown) {
    sendMlflowError(res, thrown);
  }
  discardRestOfBody(req);
  return true;
}

async function answerCall(req: IncomingMessage, res: ServerResponse, name: string, query: URLSearchParams, tracking: MlflowTracking): Promise<void> {
  const endpoint: Endpoint | undefined = Object.hasOwn(mlflowEndpoints, name) ? mlflowEndpoints[name] : undefined;
  if (!endpoint) {
    return sendMlflowJson(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `This server has no MLflow endpoint ${MLFLOW_PREFIX}${name.slice(0, 200)}.` });
  }
  const method = req.method ?? 'GET';
  const allowed = endpoint.method === 'GET' ? ['GET', 'POST'] : ['POST'];
  if (!allowed.includes(method)) {
    return sendMlflowError(res, failure('INVALID_INPUT', `${MLFLOW_PREFIX}${name} takes ${allowed.join(' or ')}; this request was ${method.slice(0, 20)}.`), 405, { Allow: allowed.join(', ') });
  }
  const raw = method === 'GET' ? queryMessage(query) : await jsonBody(req, res, endpoint.batch === true);
  const message = readMessage(endpoint.schema, raw, endpoint.required);
  sendMlflowJson(res, 200, endpoint.answer(tracking, message as never));
}

async function jsonBody(req: IncomingMessage, res: ServerResponse, batch: boolean): Promise<unknown> {
  // Only JSON: a text/plain or form POST is one a web page may send without a CORS preflight.
  const wrongType = checkContentType(req, 'application/json');
  if (wrongType) throw failure('INVALID_INPUT', wrongType.error.message);
  const limit = batch ? mlflowLimits.batchRequestBytes : MAX_JSON_BYTES;
  const declared = declaredLength(req);
  if (declared !== null && declared > limit) return tooLarge(batch, declared);
  askForBody(req, res); // a client that sent Expect: 100-continue (curl does, past 1 KB) sends the body only now
  const parts: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of bodyChunks(req)) {
    bytes += chunk.byteLength;
    if (bytes > limit) return tooLarge(batch, bytes);
    parts.push(chunk);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(parts));
  } catch {
    throw mlflowInvalid('The request body is not valid UTF-8 text.');
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (thrown) {
    throw mlflowInvalid(`The request body is not valid JSON${thrown instanceof Error ? `: ${thrown.message}` : ''}.`);
  }
}

/** Over log-batch's 1 MB: MLflow's refusal, naming the size (as far as it was read); other calls: TOO_LARGE. */
function tooLarge(batch: boolean, bytes: number): never {
  if (batch) checkBatchRequestSize(bytes);
  throw failure('TOO_LARGE', `The request body is larger than the limit of ${MAX_JSON_BYTES} bytes.`);
}

function bearerMatches(req: IncomingMessage, token: string): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * The same over one workspace's tracking, in the shape a script run's own endpoint takes
 * (LatheCoreOptions.mlflowHandler): that endpoint checks Host and the token; a path that is not
 * MLflow's gets MLflow's 404.
 */
export async function answerMlflow(req: IncomingMessage, res: ServerResponse, tracking: MlflowTracking): Promise<void> {
  if (await handleMlflowRequest(req, res, { tracking: () => tracking })) return;
  sendMlflowJson(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `This server answers MLflow's REST API under ${MLFLOW_PREFIX} only.` });
  discardRestOfBody(req);
}
