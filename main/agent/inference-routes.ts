import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ARM_HEADER, REQUEST_ID_HEADER } from '../../shared/contract/agent-admin.ts';
import type { Prediction } from '../core/serving/serving-messages.ts';
import { toLatheError } from '../core/errors.ts';
import { refusal } from '../server/json-reply.ts';
import { checkContentType, readJsonBody } from '../server/request-body.ts';
import type { AgentMetrics, Protocol } from './agent-metrics.ts';
import { sendError, sendJson } from './agent-reply.ts';
import { parseV1Request, parseV2Request } from './inference-request.ts';
import { modelMetadata, v1Reply, v2Outputs } from './inference-reply.ts';
import type { ModelSlots } from './model-slots.ts';
import type { MonitoringHub } from './monitoring/monitoring-hub.ts';
import type { RolloutClock } from './rollouts/rollout-clock.ts';
import type { RolloutController, Routed } from './rollouts/rollout-controller.ts';
import { Overloaded, PredictionTimedOut } from './worker-pool.ts';

/**
 * The prediction side of the agent: KServe's Open Inference Protocol v2 and its v1 predict, for
 * the models in the slots. No token (as KServe's own servers), but every input is checked against
 * the model's signature before a worker sees it. While a rollout runs, the controller picks the
 * version (arm) that answers, and hears how it went; every reply names its request id
 * (X-Request-Id, and `id` in a v2 body) so feedback can be joined to it, and its arm (X-Lathe-Arm).
 */
export interface InferenceContext {
  slots: ModelSlots;
  rollouts: RolloutController;
  clock: RolloutClock;
  metrics: AgentMetrics;
  maxRequestBytes: number;
  /** Seconds a client is told to wait when the queue is full. */
  retryAfterSeconds: number;
  /** Records every answered request (monitoring/); absent, nothing is recorded. */
  monitoring?: Pick<MonitoringHub, 'observed'> | undefined;
}

type Target = { name: string; version: string | undefined; action: 'metadata' | 'ready' | 'infer'; protocol: Protocol };

const V2 = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(?:\/(ready|infer))?$/;
const V1 = /^\/v1\/models\/([^/:]+):predict$/;

export function inferenceTarget(path: string): Target | null {
  const v2 = V2.exec(path);
  if (v2) return { name: decode(v2[1]!), version: v2[2] === undefined ? undefined : decode(v2[2]), action: (v2[3] as 'ready' | 'infer' | undefined) ?? 'metadata', protocol: 'v2' };
  const v1 = V1.exec(path);
  if (v1) return { name: decode(v1[1]!), version: undefined, action: 'infer', protocol: 'v1' };
  return null;
}

export async function handleInference(req: IncomingMessage, res: ServerResponse, target: Target, context: InferenceContext): Promise<void> {
  const method = target.action === 'infer' ? 'POST' : 'GET';
  if (req.method !== method) return sendError(res, 405, `${req.method} is not allowed here; use ${method}.`, { Allow: method });
  const { slots, metrics } = context;
  const slot = slots.get(target.name);
  const loaded = slots.route(target.name, target.version);
  const notLoaded = slot ? undefined : slots.notRestored.get(target.name);
  if (notLoaded) {
    metrics.unrouted('not_loaded');
    return sendError(res, 503, `Model ${JSON.stringify(target.name)} is recorded on this agent but did not load at start-up: ${notLoaded.message}`, { 'Retry-After': String(context.retryAfterSeconds) });
  }
  if (!slot || !loaded) {
    metrics.unrouted(slot ? 'unknown_version' : 'unknown_model');
    const versions = slot ? [slot.stable, slot.candidate].flatMap((v) => (v ? [v.ref.version] : [])) : [];
    const message = slot
      ? `Model ${JSON.stringify(target.name)} has no version ${JSON.stringify(target.version)}; it serves ${versions.join(', ')}.`
      : `There is no model named ${JSON.stringify(target.name.slice(0, 100))} on this agent${slots.all().length ? `; it serves ${slots.all().map((s) => JSON.stringify(s.name)).join(', ')}` : ''}.`;
    return sendError(res, 404, message);
  }
  if (target.action === 'metadata') {
    const versions = [slot.stable, slot.candidate].flatMap((v) => (v ? [v.ref.version] : []));
    return sendJson(res, 200, modelMetadata(slot.name, target.version ? [target.version] : versions, loaded.model));
  }
  if (target.action === 'ready') return sendJson(res, 200, { name: slot.name, ...(target.version ? { version: target.version } : {}), ready: true });
  return infer(req, res, target, { loaded, arm: loaded === slot.candidate ? 'candidate' : 'stable', rollout: null }, context);
}

async function infer(req: IncomingMessage, res: ServerResponse, target: Target, firstRouted: Routed, context: InferenceContext): Promise<void> {
  const started = performance.now();
  const startedMs = context.clock.elapsedMs();
  let routed = firstRouted;
  let version = routed.loaded.ref.version;
  const reply: { requestId?: string } = {};
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    context.metrics.request(target.name, version, target.protocol, (performance.now() - started) / 1000, status === 200 ? null : status);
    const named = { ...headers, ...(reply.requestId ? { [REQUEST_ID_HEADER]: reply.requestId } : {}), ...(routed.rollout ? { [ARM_HEADER]: routed.arm } : {}) };
    if (status === 200) sendJson(res, 200, body, named);
    else sendError(res, status, body as string, named);
  };
  // A present Content-Type must be JSON: a text/plain or form POST is what a web page can send anywhere.
  if (req.headers['content-type'] !== undefined) {
    const wrongType = checkContentType(req, 'application/json');
    if (wrongType) return answer(415, wrongType.error.message);
  }
  const declared = Number(req.headers['content-length']);
  const body = Number.isFinite(declared) && declared > context.maxRequestBytes
    ? refusal(413, 'TOO_LARGE', `The request body is ${declared} bytes; this agent takes at most ${context.maxRequestBytes}.`)
    : await readJsonBody(req, context.maxRequestBytes);
  if ('status' in body) return answer(body.status, body.error.message);
  // Routed now the body is in (an A/B key may be in it): a version switched to while it arrived
  // answers it, and the one switched from is never handed a request after it began to unload.
  routed = context.rollouts.route(target.name, target.version, req.headers, requestKeyOf(body.value)) ?? routed;
  const { loaded } = routed;
  version = loaded.ref.version;
  const parsed = target.protocol === 'v2' ? parseV2Request(body.value, loaded.model) : parseV1Request(body.value, loaded.model);
  if (!parsed.ok) return answer(400, parsed.error);
  const requestId = (reply.requestId = parsed.id ?? randomUUID());
  const told = (predictions: readonly Prediction[] | null, failed: boolean) => {
    const answered = { model: target.name, routed, requestId, rows: parsed.rows, latencyMs: context.clock.elapsedMs() - startedMs, predictions, failed };
    context.rollouts.answered(answered);
    // Recorded after this callback has sent the answer (setImmediate): monitoring never delays or fails a request.
    if (context.monitoring) setImmediate(() => context.monitoring?.observed({ ...answered, version: answered.routed.loaded.ref.version }));
  };
  try {
    const predictions = await loaded.pool.predict(parsed.rows);
    told(predictions, false);
    if (target.protocol === 'v1') return answer(200, v1Reply(predictions));
    const outputs = v2Outputs(loaded.model, predictions).filter((output) => parsed.outputs === undefined || parsed.outputs.includes(output.name));
    answer(200, { model_name: target.name, model_version: version, id: requestId, outputs });
  } catch (error) {
    // Failures of the model (5xx: thrown, timed out, overloaded) count against its arm; a 400 is the client's.
    if (error instanceof Overloaded || error instanceof PredictionTimedOut) {
      told(null, true);
      return error instanceof Overloaded ? answer(503, error.message, { 'Retry-After': String(context.retryAfterSeconds) }) : answer(504, error.message);
    }
    const latheError = toLatheError(error);
    const status = latheError.code === 'INVALID_INPUT' ? 400 : latheError.code === 'UNAVAILABLE' || latheError.code === 'CANCELLED' ? 503 : 500;
    if (status !== 400) told(null, true);
    answer(status, `Model ${target.name} version ${version} could not predict: ${latheError.message}`, status === 503 ? { 'Retry-After': String(context.retryAfterSeconds) } : {});
  }
}

/** An A/B request's sticky key given in the body: `parameters.request_key` (v2). */
function requestKeyOf(body: unknown): unknown {
  const parameters = typeof body === 'object' && body !== null ? (body as { parameters?: unknown }).parameters : undefined;
  return typeof parameters === 'object' && parameters !== null ? (parameters as { request_key?: unknown }).request_key : undefined;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
