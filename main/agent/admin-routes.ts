import { createHash, randomUUID } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { reachPhase } from '../core/base/phases.ts';
import { failedTo, failure, LatheFailure, toLatheError } from '../core/errors.ts';
import { formatByteLimit } from '../core/byte-limit.ts';
import { statusForErrorCode } from '../server/json-reply.ts';
import { askForBody, bodyChunks, checkContentType, checkDeclaredLength, discardRestOfBody, tooLarge } from '../server/request-body.ts';
import { MODEL_NAME } from './agent-state.ts';
import { sendError, sendJson, sendRefused } from './agent-reply.ts';
import type { ModelSlot, ModelSlots } from './model-slots.ts';
import { handleMonitoring, isMonitoringPath, type MonitoringRoutesContext } from './monitoring/monitoring-routes.ts';
import type { RolloutController } from './rollouts/rollout-controller.ts';
import { handleRollouts, isRolloutPath } from './rollouts/rollout-routes.ts';

/**
 * The admin API, behind the admin token (its shapes: shared/contract/agent-admin.ts):
 * `PUT /admin/models/{name}` with a signed bundle as the body loads it as that model's version
 * (verified against the trusted keys, loaded, checked, then switched to: *replace*),
 * `PUT /admin/models/{name}/candidate` loads one beside it for a rollout (weight 0),
 * `GET /admin/models` lists what is loaded, `DELETE /admin/models/{name}[/candidate]` unloads,
 * and /admin/rollouts runs rollouts (rollouts/rollout-routes.ts).
 */
export interface AdminContext {
  slots: ModelSlots;
  rollouts: RolloutController;
  checkToken: (given: string | undefined) => boolean;
  uploadsDir: string;
  maxBundleBytes: number;
  /** /admin/models/{name}/reference|monitoring and /admin/monitoring/{name} (monitoring/monitoring-routes.ts). */
  monitoring?: MonitoringRoutesContext['monitoring'] | undefined;
}

const PATH = /^\/admin\/models(?:\/([^/]+)(\/candidate)?)?$/;

export function isAdminPath(path: string): boolean {
  return path === '/admin' || path.startsWith('/admin/');
}

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string, context: AdminContext): Promise<void> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!context.checkToken(bearer)) {
    sendError(res, 401, { code: 'UNAUTHORIZED', message: bearer ? 'The admin token is wrong.' : 'The admin API needs the admin token: send `Authorization: Bearer <token>`.', hint: 'The agent printed its admin token at its first start. Lost it? Stop the agent, delete admin-token.json in its --data-dir, and start it again for a new one.' }, { 'WWW-Authenticate': 'Bearer' });
    return discardRestOfBody(req);
  }
  const url = new URL(req.url ?? '/', 'http://agent');
  if (isRolloutPath(path)) return handleRollouts(req, res, url, context.rollouts);
  if (context.monitoring && isMonitoringPath(path)) return handleMonitoring(req, res, url, { monitoring: context.monitoring, serves: (name) => context.slots.get(name) !== undefined });
  const match = PATH.exec(path);
  if (!match) return sendError(res, 404, `There is no admin resource at ${path.slice(0, 100)}; the admin API has /admin/models, /admin/models/{name}[/candidate] and /admin/rollouts.`);
  let name: string | undefined;
  try {
    name = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
  } catch {
    return sendError(res, 400, `The model name in ${path.slice(0, 100)} is not valid percent-encoding.`);
  }
  const { slots, rollouts } = context;
  const describe = (slot: ModelSlot) => ({ ...slots.summary(slot), rollout: rollouts.activeId(slot.name) });
  try {
    if (name === undefined) {
      if (req.method !== 'GET') return sendError(res, 405, `${req.method} is not allowed on /admin/models; use GET.`, { Allow: 'GET' });
      return sendJson(res, 200, {
        models: slots.all().map(describe),
        notLoaded: [...slots.notRestored].map(([model, error]) => ({ name: model, error: error.message })),
      });
    }
    if (!MODEL_NAME.test(name)) return sendError(res, 400, `${JSON.stringify(name.slice(0, 100))} is not a model name the agent can serve: use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit).`);
    const candidate = match[2] !== undefined;
    if (req.method === 'PUT' || req.method === 'DELETE') refuseDuringRollout(rollouts, name, candidate ? 'change its candidate' : req.method === 'PUT' ? 'replace its stable version' : 'unload it');
    if (candidate) {
      if (req.method === 'PUT') return await putModel(req, res, name, context, url.searchParams.get('version'));
      if (req.method === 'DELETE') {
        const dropped = await slots.dropCandidate(name);
        return dropped === null ? sendError(res, 404, `Model ${name} has no candidate loaded.`) : sendJson(res, 200, { unloaded: { name, version: dropped } });
      }
      return sendError(res, 405, `${req.method} is not allowed on /admin/models/${name}/candidate; use PUT or DELETE.`, { Allow: 'PUT, DELETE' });
    }
    if (req.method === 'PUT') return await putModel(req, res, name, context);
    if (req.method === 'DELETE') {
      const unloaded = await slots.remove(name);
      return sendJson(res, 200, { unloaded: unloaded && { ...unloaded, rollout: null } });
    }
    if (req.method === 'GET') {
      const slot = slots.get(name);
      return slot ? sendJson(res, 200, describe(slot)) : sendError(res, 404, `No model named ${name} is loaded.`);
    }
    return sendError(res, 405, `${req.method} is not allowed on /admin/models/${name}; use GET, PUT or DELETE.`, { Allow: 'GET, PUT, DELETE' });
  } catch (error) {
    const latheError = toLatheError(error);
    sendError(res, uploadStatus(latheError.code), latheError);
  } finally {
    discardRestOfBody(req);
  }
}

function refuseDuringRollout(rollouts: RolloutController, name: string, doing: string): void {
  const running = rollouts.activeId(name);
  if (running) throw failure('CONFLICT', `Model ${name} has rollout ${running} running; the agent will not ${doing} under it.`, { hint: `Promote or abort it first: POST /admin/rollouts/${running}/promote or …/abort.` });
}

/** `candidateVersion`: undefined for *replace*; for a candidate, the version the caller expects (or null: any). */
async function putModel(req: IncomingMessage, res: ServerResponse, name: string, context: AdminContext, candidateVersion?: string | null): Promise<void> {
  const hint = `Bundles up to ${formatByteLimit(context.maxBundleBytes)} are accepted; start the agent with a larger --max-bundle-mb for bigger ones.`;
  const refused = checkContentType(req, 'application/octet-stream') ?? checkDeclaredLength(req, context.maxBundleBytes, 'The bundle', hint);
  if (refused) return sendRefused(res, refused);
  askForBody(req, res);
  // The client's name for the file is never used: uploads get a fresh name of ours.
  const upload = join(context.uploadsDir, `${randomUUID()}.part`);
  const hash = createHash('sha256');
  try {
    const handle = await open(upload, 'wx', 0o600);
    try {
      let total = 0;
      for await (const chunk of bodyChunks(req)) {
        total += chunk.byteLength;
        if (total > context.maxBundleBytes) throw new LatheFailure(tooLarge(context.maxBundleBytes, 'The bundle', hint).error);
        hash.update(chunk);
        // A nearly full disk takes part of a write without an error; the next write says ENOSPC.
        for (let at = 0; at < chunk.byteLength; ) at += (await handle.write(chunk, at, chunk.byteLength - at)).bytesWritten;
        if (total === chunk.byteLength) await reachPhase('agent:upload-receiving');
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(upload, { force: true });
    await reachPhase('agent:upload-discarded');
    throw failedTo(`receive the bundle for model ${name}`, error, 'Nothing of it was kept; the model that was serving goes on serving.');
  }
  if (candidateVersion === undefined) {
    const summary = await context.slots.install(name, upload, hash.digest('hex'));
    return sendJson(res, 200, { loaded: { ...summary, rollout: null } });
  }
  const summary = await context.slots.installCandidate(name, upload, hash.digest('hex'), candidateVersion ?? undefined);
  sendJson(res, 200, { candidate: { ...summary, rollout: null } });
}

/** DATA_DAMAGED here is the client's bundle failing its check, not our store: 422, not 500. */
function uploadStatus(code: keyof typeof statusForErrorCode): number {
  if (code === 'DATA_DAMAGED' || code === 'PARSE_ERROR') return 422;
  if (code === 'FAILED_PRECONDITION') return 422;
  return statusForErrorCode[code];
}
