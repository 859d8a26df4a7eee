import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { OutputOf } from '../../shared/contract/calls.ts';
import { DEFAULT_MAX_UPLOAD_BYTES, TOKEN_QUERY, httpPaths } from '../../shared/contract/http.ts';
import { dispatch } from '../core/dispatch.ts';
import { failure, LatheFailure, toLatheError } from '../core/errors.ts';
import type { LatheCore } from '../core/lathe-core.ts';
import { mlflowTrackingFor } from '../core/tracking/mlflow-tracking.ts';
import { FolderRemote } from '../core/remote/folder-remote.ts';
import { handleBlobRemote, isBlobRemotePath, type BlobRemoteRoute } from './blob-remote-route.ts';
import { handleCall } from './call-route.ts';
import { createEventSocket } from './event-socket.ts';
import { refusal, rejectUpgrade, sendRefusal } from './json-reply.ts';
import { discardRestOfBody } from './request-body.ts';
import { allowedHostHeaders, createRequestGuard, type RequestGuard } from './request-guard.ts';
import { serveStaticUi } from './static-ui.ts';
import { handleMlflowRequest, type MlflowRequestContext } from './mlflow/handle-mlflow-request.ts';
import { servedTrackingEndpoint, withServerCalls } from './tracking-endpoint-call.ts';
import { handleUpload } from './upload-route.ts';
import { hangUpUnlessRequested, listen, urlHost } from './listen.ts';

export interface ServerOptions {
  core: LatheCore;
  /** Default 127.0.0.1. Anything but loopback exposes the workspace to the network. */
  host?: string;
  /** Default 7272; 0 picks any free port. */
  port?: number;
  /** Default: 32 random bytes, base64url. */
  token?: string;
  /** The built renderer (index.html + assets). */
  uiDir: string;
  /** Default DEFAULT_MAX_UPLOAD_BYTES. */
  maxUploadBytes?: number;
  /** Host names allowed besides 127.0.0.1, localhost, [::1] and the bind host. */
  allowedHosts?: string[];
  /** How long a client may take to send a request's headers, from connecting. Default 20 s. */
  headersTimeoutMs?: number;
  /** The workspace MLflow's REST API (/api/2.0/mlflow/) logs to; default: the one the UI opens first (workspace:default). */
  workspace?: string;
  /** A folder that keeps a byte remote for `lathe data push|pull` (/api/remote/blobs); none: not offered. */
  remoteDir?: string;
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT/?token=…`: the address to open the UI at. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7272;

/** `lathe serve`: the UI, the contract's calls and uploads over HTTP, and events over a WebSocket. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  const token = options.token ?? randomBytes(32).toString('base64url');
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const allowedHosts = options.allowedHosts ?? [];
  const uiDir = path.resolve(options.uiDir);
  checkOptions({ port, token, maxUploadBytes });
  allowedHostHeaders({ bindHost: host, port, allowedHosts }); // refuses a bad extra host before binding

  // No whole-request deadline (a large upload on a slow link takes long; bodies have an idle
  // timeout instead), but the headers must arrive in time: from the moment a connection opens,
  // not only once its first byte came, or idle connections would pile up for good (Slowloris).
  const headersTimeout = options.headersTimeoutMs ?? 20_000;
  const server = createServer({ requestTimeout: 0, headersTimeout, connectionsCheckingInterval: Math.min(5_000, headersTimeout) });
  const requested = hangUpUnlessRequested(server, headersTimeout);
  await listen(server, host, port);
  server.on('error', () => {});
  const boundPort = (server.address() as AddressInfo).port;
  const guard = createRequestGuard({ bindHost: host, port: boundPort, token, allowedHosts });
  const events = createEventSocket(options.core.events);
  const mlflow = mlflowContext(options.core, options.workspace, maxUploadBytes);
  const blobRemote: BlobRemoteRoute = { remote: options.remoteDir === undefined ? null : new FolderRemote(path.resolve(options.remoteDir)), maxBytes: maxUploadBytes };
  const core = withServerCalls(options.core, servedTrackingEndpoint({ core: options.core, bindHost: host, port: boundPort, token, workspace: options.workspace }));
  const routes: Routes = { guard, core, uiDir, maxUploadBytes, mlflow, blobRemote };
  let closing: Promise<void> | null = null;

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    requested.add(req.socket);
    route(req, res, routes).catch((thrown: unknown) => {
      sendRefusal(res, { status: 500, error: toLatheError(thrown) });
      discardRestOfBody(req);
    });
  };
  server.on('request', onRequest);
  // `Expect: 100-continue`: the routes send "100 Continue" only after their checks pass.
  server.on('checkContinue', onRequest);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    requested.add(req.socket);
    socket.on('error', () => socket.destroy());
    if (closing) return void socket.destroy();
    const refused = guard.checkSender(req) ?? checkEventsAddress(req, guard);
    if (refused) return rejectUpgrade(socket, refused);
    events.accept(req, socket, head);
  });

  return {
    url: `http://${urlHost(host)}:${boundPort}/?${TOKEN_QUERY}=${encodeURIComponent(token)}`,
    port: boundPort,
    token,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await events.close();
        await stopped;
      })();
      return closing;
    },
  };
}


interface Routes {
  guard: RequestGuard;
  core: LatheCore;
  uiDir: string;
  maxUploadBytes: number;
  mlflow: MlflowRequestContext;
  blobRemote: BlobRemoteRoute;
}

async function route(req: IncomingMessage, res: ServerResponse, { guard, core, uiDir, maxUploadBytes, mlflow, blobRemote }: Routes): Promise<void> {
  // The sender first, before anything looks at the path: a foreign Host or Origin gets nothing.
  const refused = guard.checkSender(req) ?? checkOriginForm(req);
  if (refused) {
    sendRefusal(res, refused);
    discardRestOfBody(req);
    return;
  }
  const { rawPath, query } = splitUrl(req.url ?? '/');
  if (rawPath !== '/api' && !rawPath.startsWith('/api/')) return serveStaticUi(req, res, uiDir, rawPath);

  const unauthorized = guard.checkBearer(req);
  if (unauthorized) {
    sendRefusal(res, unauthorized);
    discardRestOfBody(req);
    return;
  }
  if (isBlobRemotePath(rawPath)) return handleBlobRemote(req, res, rawPath, blobRemote);
  if (await handleMlflowRequest(req, res, mlflow)) return;
  if (rawPath.startsWith(httpPaths.call)) return handleCall(req, res, decodeName(rawPath.slice(httpPaths.call.length)), core.handlers);
  if (rawPath.startsWith(httpPaths.upload)) {
    return handleUpload(req, res, decodeName(rawPath.slice(httpPaths.upload.length)), query, core.handlers, maxUploadBytes);
  }
  sendRefusal(
    res,
    rawPath === httpPaths.events
      ? refusal(426, 'INVALID_INPUT', `${httpPaths.events} is a WebSocket: connect to it with ?${TOKEN_QUERY}=<token>.`, { headers: { Upgrade: 'websocket' } })
      : refusal(404, 'NOT_FOUND', `There is nothing at ${rawPath.slice(0, 200)}.`, { hint: `Calls are POST ${httpPaths.call}<call name>.` }),
  );
  discardRestOfBody(req);
}

/** MLflow's REST API over the served workspace, or the one the UI opens first when none was named. */
function mlflowContext(core: LatheCore, workspace: string | undefined, maxArtifactBytes: number): MlflowRequestContext {
  const workspacePath = async (): Promise<string> => {
    if (workspace !== undefined) return workspace;
    const opened = await dispatch(core.handlers, 'workspace:default', {});
    if (!opened.ok) throw new LatheFailure(opened.error);
    return (opened.value as OutputOf<'workspace:default'>).path;
  };
  return { tracking: async () => mlflowTrackingFor(await core.openWorkspace(await workspacePath()), core.events), maxArtifactBytes };
}

function checkEventsAddress(req: IncomingMessage, guard: RequestGuard) {
  const { rawPath, query } = splitUrl(req.url ?? '/');
  if (rawPath !== httpPaths.events) return refusal(404, 'NOT_FOUND', `There is no WebSocket at ${rawPath.slice(0, 200)}; events are at ${httpPaths.events}.`);
  return guard.checkQueryToken(new URLSearchParams(query));
}

/** Only `/path?query` request targets: no absolute URLs (proxy style), no `*`. */
function checkOriginForm(req: IncomingMessage) {
  if ((req.url ?? '').startsWith('/')) return null;
  return refusal(400, 'INVALID_INPUT', 'The request target must be a path starting with "/".');
}

/** The raw (still percent-encoded) path and query: each route decodes what it needs. */
function splitUrl(url: string): { rawPath: string; query: string } {
  const hash = url.indexOf('#');
  const withoutHash = hash < 0 ? url : url.slice(0, hash);
  const mark = withoutHash.indexOf('?');
  return mark < 0 ? { rawPath: withoutHash, query: '' } : { rawPath: withoutHash.slice(0, mark), query: withoutHash.slice(mark + 1) };
}

function decodeName(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

function checkOptions({ port, token, maxUploadBytes }: { port: number; token: string; maxUploadBytes: number }): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw failure('INVALID_INPUT', `${port} is not a port number.`, { hint: 'Use a whole number from 1 to 65535, or 0 for any free port.' });
  }
  if (!/^[A-Za-z0-9._~-]{16,}$/.test(token)) {
    throw failure('INVALID_INPUT', 'The session token must be at least 16 characters of letters, digits, ".", "_", "~" or "-".');
  }
  if (!Number.isSafeInteger(maxUploadBytes) || maxUploadBytes <= 0) {
    throw failure('INVALID_INPUT', `${maxUploadBytes} is not a usable upload limit.`, { hint: 'Give a positive number of bytes.' });
  }
}
