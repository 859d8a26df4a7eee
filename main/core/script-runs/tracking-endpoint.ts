import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventHub } from '../events.ts';
import type { Workspace } from '../workspace/workspace.ts';

/**
 * The MLflow tracking server a script run talks to: a listener on 127.0.0.1, on a port the
 * system picks, with a fresh random token, for the life of one run. It serves MLflow's REST
 * routes only (`/api/2.0/mlflow…`, answered by the front door's MLflow handler), never the rest
 * of Lathe's API: the token a script holds in its environment lets it log to tracking and
 * nothing else (not open workspaces, register models or run more commands), and it stops
 * working when the run ends. The same in the CLI, under `lathe serve` and in the desktop app.
 *
 * Host is checked (a DNS-rebinding page in a browser cannot reach it) and the token is compared
 * in constant time.
 */
export type MlflowRoutes = (req: IncomingMessage, res: ServerResponse) => unknown;

/** MLflow's REST API over one workspace's tracking (the front door's, from main/server/mlflow). */
export type MlflowHandler = (req: IncomingMessage, res: ServerResponse, target: { workspace: Workspace; events: EventHub }) => unknown;

/** The routes a script run's endpoint serves: the handler over the run's workspace. */
export function mlflowRoutesFor(handler: MlflowHandler, workspace: Workspace, events: EventHub): MlflowRoutes {
  return (req, res) => handler(req, res, { workspace, events });
}

export interface TrackingEndpoint {
  /** MLFLOW_TRACKING_URI: `http://127.0.0.1:PORT`. */
  uri: string;
  /** MLFLOW_TRACKING_TOKEN, sent by MLflow's client as `Authorization: Bearer …`. */
  token: string;
  close(): Promise<void>;
}

const MLFLOW_PREFIX = '/api/2.0/mlflow';

export async function openTrackingEndpoint(routes: MlflowRoutes): Promise<TrackingEndpoint> {
  const token = randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const server = createServer({ headersTimeout: 20_000, requestTimeout: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => {});
  const { port } = server.address() as AddressInfo;
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const refuse = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: code, message }));
      req.resume();
    };
    if (!hosts.has(req.headers.host ?? '')) return refuse(403, 'PERMISSION_DENIED', `This tracking server answers only to 127.0.0.1:${port}.`);
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return refuse(401, 'UNAUTHENTICATED', 'Send the run\'s token as "Authorization: Bearer $MLFLOW_TRACKING_TOKEN" (MLflow\'s client does when MLFLOW_TRACKING_TOKEN is set).');
    }
    const path = (req.url ?? '/').split('?')[0]!;
    if (path !== MLFLOW_PREFIX && !path.startsWith(`${MLFLOW_PREFIX}/`) && !path.startsWith(`${MLFLOW_PREFIX}-artifacts/`)) {
      return refuse(404, 'ENDPOINT_NOT_FOUND', `This tracking server serves MLflow's REST API under ${MLFLOW_PREFIX}/ only.`);
    }
    Promise.resolve(routes(req, res)).then(
      () => {
        if (!res.headersSent) refuse(404, 'ENDPOINT_NOT_FOUND', `There is no MLflow endpoint at ${path.slice(0, 200)}.`);
      },
      (error: unknown) => {
        if (!res.headersSent) refuse(500, 'INTERNAL_ERROR', `The tracking server failed: ${error instanceof Error ? error.message : String(error)}`);
        else res.destroy();
      },
    );
  });

  let closing: Promise<void> | null = null;
  return {
    uri: `http://127.0.0.1:${port}`,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
