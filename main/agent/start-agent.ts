import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PublicKeyInfo } from '../core/bundles/signing-keys.ts';
import { failure, toLatheError } from '../core/errors.ts';
import { refusal } from '../server/json-reply.ts';
import { allowedHostHeaders } from '../server/request-guard.ts';
import { agentHostCheck } from './agent-hosts.ts';
import { discardRestOfBody } from '../server/request-body.ts';
import { hangUpUnlessRequested, listen, urlHost } from '../server/listen.ts';
import { handleAdmin, isAdminPath } from './admin-routes.ts';
import { createAgentMetrics } from './agent-metrics.ts';
import { sendError, sendJson, sendRefused, sendText } from './agent-reply.ts';
import { holdDataDir, loadOrCreateAdminToken, openAgentDataDir, type AgentDataDir } from './agent-state.ts';
import { handleInference, inferenceTarget } from './inference-routes.ts';
import { ModelSlots } from './model-slots.ts';
import { MonitoringHub } from './monitoring/monitoring-hub.ts';
import { realClock, type RolloutClock } from './rollouts/rollout-clock.ts';
import { RolloutController } from './rollouts/rollout-controller.ts';
import { rolloutFiles } from './rollouts/rollout-record.ts';
import { FEEDBACK, handleFeedback } from './rollouts/rollout-routes.ts';
import type { PoolHooks } from './worker-pool.ts';

/**
 * `lathe agent`: a deploy target. It serves the models in its --data-dir over KServe's
 * protocols, takes new bundles over its admin API, and exports Prometheus metrics. Start-up
 * reloads what it served before; close() stops taking connections, lets every request in hand
 * finish, then stops the workers.
 */
export interface AgentOptions {
  dataDir: string;
  trust: readonly PublicKeyInfo[];
  host?: string | undefined;
  port?: number | undefined;
  allowedHosts?: readonly string[] | undefined;
  /** Serving workers per model version (default 2). */
  workers?: number | undefined;
  /** Requests that may wait per model version before the agent answers 503 (default 64). */
  maxQueue?: number | undefined;
  maxRequestBytes?: number | undefined;
  /** Milliseconds one prediction may take before it fails (504) and its worker is replaced (default 30 s). */
  predictTimeoutMs?: number | undefined;
  maxBundleBytes?: number | undefined;
  workerUrl?: URL | undefined;
  wasmDir?: string | undefined;
  latheVersion: string;
  warn: (text: string) => void;
  /** How long a new connection may take to send a whole request head (default 20 s). */
  headersTimeoutMs?: number | undefined;
  /** Tests: hold a worker busy, hear a request queued, make a version fail or answer otherwise. */
  hooks?: PoolHooks | undefined;
  /** Tests: the rollout controller's time, advanced by tick() (default: real timers). */
  clock?: RolloutClock | undefined;
  /** Tests: the draw (0 ≤ x < 1) that splits traffic between stable and candidate (default Math.random). */
  random?: (() => number) | undefined;
}

export interface RunningAgent {
  url: string;
  port: number;
  /** The admin token, on the first start only (it is stored hashed). */
  newAdminToken: string | null;
  adminTokenFile: string;
  slots: ModelSlots;
  rollouts: RolloutController;
  /** Graceful: refuse new connections, finish requests in hand, stop the workers. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8080;

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  if (options.trust.length === 0) {
    throw failure('INVALID_INPUT', 'The agent needs at least one trusted key (--trust): it loads only bundles a trusted key signed.', {
      hint: 'On the machine that packages models, `lathe keys show` prints its public key; pass it as --trust ed25519:… (or a file holding it).',
      location: { field: 'trust' },
    });
  }
  const host = options.host ?? '127.0.0.1';
  const allowedHosts = options.allowedHosts ?? [];
  allowedHostHeaders({ bindHost: host, port: 1, allowedHosts }); // a bad --allow-host is refused before anything starts
  const dir = await openAgentDataDir(options.dataDir);
  const releaseDataDir = await holdDataDir(options.dataDir, `lathe agent on ${host}:${options.port ?? DEFAULT_PORT}`);
  try {
    return await serve(options, host, allowedHosts, dir, releaseDataDir);
  } catch (error) {
    await releaseDataDir();
    throw error;
  }
}

async function serve(options: AgentOptions, host: string, allowedHosts: readonly string[], dir: AgentDataDir, releaseDataDir: () => Promise<void>): Promise<RunningAgent> {
  const token = await loadOrCreateAdminToken(options.dataDir);
  const metrics = createAgentMetrics();
  const slots = new ModelSlots(dir, {
    trust: options.trust,
    workers: options.workers ?? 2,
    maxQueue: options.maxQueue ?? 64,
    predictTimeoutMs: options.predictTimeoutMs,
    workerUrl: options.workerUrl,
    wasmDir: options.wasmDir,
    hooks: options.hooks,
  });
  await slots.restore(options.warn);
  const clock = options.clock ?? realClock;
  const rollouts = new RolloutController({ slots, files: rolloutFiles(options.dataDir), clock, random: options.random, warn: options.warn, routed: (model, version, arm) => metrics.routed(model, version, arm) });
  let monitoring: MonitoringHub;
  try {
    await rollouts.restore();
    monitoring = await MonitoringHub.open({ dataDir: options.dataDir, warn: options.warn });
  } catch (error) {
    await rollouts.close();
    await slots.drainAll();
    throw error;
  }

  // No whole-request deadline (a bundle upload on a slow link takes long; bodies have an idle
  // timeout), but a request head must arrive within 20 s of the connection opening.
  const headersTimeout = options.headersTimeoutMs ?? 20_000;
  const server = createServer({ requestTimeout: 0, headersTimeout, connectionsCheckingInterval: Math.min(5_000, headersTimeout), keepAliveTimeout: 5_000 });
  const requested = hangUpUnlessRequested(server, headersTimeout);
  try {
    await listen(server, host, options.port ?? DEFAULT_PORT);
  } catch (error) {
    await rollouts.close();
    await monitoring.close();
    await slots.drainAll();
    throw error;
  }
  server.on('error', () => {});
  const port = (server.address() as AddressInfo).port;
  const answersTo = agentHostCheck({ bindHost: host, port, allowedHosts });
  let closing: Promise<void> | null = null;
  let inHand = 0;
  let idle: (() => void) | null = null;

  const routes = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const hostHeader = req.headers.host?.toLowerCase();
    if (!answersTo(hostHeader)) {
      return sendRefused(res, refusal(403, 'FORBIDDEN', `This agent does not answer to the host name ${JSON.stringify(hostHeader?.slice(0, 100) ?? '(none)')}.`, { hint: 'Use the address the agent printed, or start it with --allow-host NAME for another name.' }));
    }
    if (req.headers.origin !== undefined && !answersTo(req.headers.origin.replace(/^https?:\/\//i, ''))) {
      return sendRefused(res, refusal(403, 'FORBIDDEN', `Requests from the web page at ${JSON.stringify(req.headers.origin.slice(0, 100))} are not allowed.`));
    }
    const path = new URL(req.url ?? '/', 'http://agent').pathname;
    if (closing && !isHealth(path)) return sendError(res, 503, 'The agent is shutting down.', { 'Retry-After': '1', Connection: 'close' });
    if (path === '/v2/health/live') return sendJson(res, 200, { live: true });
    if (path === '/v2/health/ready') return closing ? sendJson(res, 503, { ready: false }) : sendJson(res, 200, { ready: true });
    if (path === '/v2') return sendJson(res, 200, { name: 'lathe-agent', version: options.latheVersion, extensions: [] });
    if (path === '/metrics') {
      const loaded = slots.all().flatMap((slot) => [slot.stable, ...(slot.candidate ? [slot.candidate] : [])].map((version) => ({ model: slot.name, version: version.ref.version, ...version.pool.load() })));
      return sendText(res, 200, metrics.render(loaded) + monitoring.metricsText(), 'text/plain; version=0.0.4; charset=utf-8');
    }
    const feedback = FEEDBACK.exec(path);
    if (feedback) return handleFeedback(req, res, feedback[1]!, rollouts, monitoring);
    const target = inferenceTarget(path);
    if (target) return handleInference(req, res, target, { slots, rollouts, clock, metrics, maxRequestBytes: options.maxRequestBytes ?? 16 * 1024 * 1024, retryAfterSeconds: 1, monitoring });
    if (isAdminPath(path)) return handleAdmin(req, res, path, { slots, rollouts, checkToken: token.check, uploadsDir: dir.uploadsDir, maxBundleBytes: options.maxBundleBytes ?? 1024 * 1024 * 1024, monitoring });
    sendError(res, 404, `Nothing is served at ${path.slice(0, 100)}. This agent answers /v2/health/live, /v2/health/ready, /v2/models/{name}[/versions/{v}][/ready|/infer|/feedback], /v1/models/{name}:predict, /metrics, /admin/models and /admin/rollouts.`);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    requested.add(req.socket);
    inHand++;
    res.once('close', () => {
      if (--inHand === 0) idle?.();
    });
    routes(req, res)
      .catch((thrown: unknown) => sendError(res, 500, toLatheError(thrown)))
      .finally(() => discardRestOfBody(req));
  };
  server.on('request', onRequest);
  server.on('checkContinue', onRequest);

  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    newAdminToken: token.newToken,
    adminTokenFile: token.file,
    slots,
    rollouts,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (inHand > 0) await new Promise<void>((resolve) => (idle = resolve));
        server.closeAllConnections();
        await stopped;
        await rollouts.close();
        await monitoring.close();
        await slots.drainAll();
        await releaseDataDir();
      })();
      return closing;
    },
  };
}

function isHealth(path: string): boolean {
  return path.startsWith('/v2/health/');
}
