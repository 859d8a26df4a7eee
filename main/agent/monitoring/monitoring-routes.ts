import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { MonitoringSettingsPatch, ReferenceProfile } from '../../../shared/contract/monitoring.ts';
import { formatByteLimit } from '../../core/byte-limit.ts';
import { failure, LatheFailure, toLatheError } from '../../core/errors.ts';
import { statusForErrorCode, type Refusal } from '../../server/json-reply.ts';
import { checkContentType, checkDeclaredLength, readJsonBody } from '../../server/request-body.ts';
import { MODEL_NAME } from '../agent-state.ts';
import { sendError, sendJson, sendRefused } from '../agent-reply.ts';
import type { MonitoringHub } from './monitoring-hub.ts';

/**
 * The monitoring side of the admin API (the caller has shown the admin token already):
 *
 *   PUT /admin/models/{name}/reference     a version's training reference (ReferenceProfile JSON)
 *   PUT /admin/models/{name}/monitoring    change how the model is recorded and windowed
 *   GET /admin/monitoring/{name}[?after=N] its windows (after index N; else the last 50), recorder, detectors
 *
 * Bodies are JSON, size-capped, and checked field by field: a malformed one is a 400 that names
 * the field. A model the agent neither serves nor has monitoring data for is a 404.
 */
export interface MonitoringRoutesContext {
  monitoring: MonitoringHub;
  /** Whether the agent serves a model by this name now. */
  serves: (model: string) => boolean;
}

/** A reference carries up to ~2,000 quantile points per column; 64 MiB is room for thousands of columns. */
export const MAX_REFERENCE_BYTES = 64 * 1024 * 1024;
const MAX_SETTINGS_BYTES = 64 * 1024;

const MODEL_PATH = /^\/admin\/models\/([^/]+)\/(reference|monitoring)$/;
const STATE_PATH = /^\/admin\/monitoring\/([^/]+)$/;

export function isMonitoringPath(path: string): boolean {
  return MODEL_PATH.test(path) || STATE_PATH.test(path) || path === '/admin/monitoring';
}

export async function handleMonitoring(req: IncomingMessage, res: ServerResponse, url: URL, context: MonitoringRoutesContext): Promise<void> {
  try {
    const byModel = MODEL_PATH.exec(url.pathname);
    const byState = STATE_PATH.exec(url.pathname);
    if (!byModel && !byState) throw failure('NOT_FOUND', 'Name the model: GET /admin/monitoring/{name}.');
    const model = modelName((byModel ?? byState)![1]!);
    if (!context.serves(model) && !context.monitoring.knows(model)) {
      throw failure('NOT_FOUND', `No model named ${model} is loaded on this agent, and it holds no monitoring data for one.`, { hint: `Load its bundle first: PUT /admin/models/${model}.` });
    }
    if (byState) {
      allow(req, 'GET');
      return sendJson(res, 200, context.monitoring.state(model, afterOf(url)));
    }
    allow(req, 'PUT');
    if (byModel![2] === 'reference') {
      const profile = await readBody(req, ReferenceProfile, 'The training reference', MAX_REFERENCE_BYTES);
      return sendJson(res, 200, { reference: await context.monitoring.setReference(model, profile) });
    }
    const patch = await readBody(req, MonitoringSettingsPatch, 'The monitoring settings', MAX_SETTINGS_BYTES);
    sendJson(res, 200, await context.monitoring.configure(model, patch));
  } catch (error) {
    if (error instanceof RefusedBody) return sendRefused(res, error.refusal);
    const latheError = toLatheError(error);
    sendError(res, statusForErrorCode[latheError.code], latheError);
  }
}

function modelName(segment: string): string {
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    throw failure('INVALID_INPUT', 'The model name in the path is not valid percent-encoding.', { location: { field: 'name' } });
  }
  if (!MODEL_NAME.test(name)) throw failure('INVALID_INPUT', `${JSON.stringify(name.slice(0, 100))} is not a model name the agent can serve: use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit).`, { location: { field: 'name' } });
  return name;
}

function allow(req: IncomingMessage, method: 'GET' | 'PUT'): void {
  if (req.method !== method) throw new MethodNotAllowed(req.method ?? '(none)', method);
}

function afterOf(url: URL): number | undefined {
  const after = url.searchParams.get('after');
  if (after === null) return undefined;
  if (!/^\d{1,15}$/.test(after)) throw failure('INVALID_INPUT', `?after=${after.slice(0, 40)} is not a window index: give a whole number of 0 or more (windows after it are returned).`, { location: { field: 'after' } });
  return Number(after);
}

async function readBody<S extends z.ZodType>(req: IncomingMessage, schema: S, what: string, limit: number): Promise<z.infer<S>> {
  const hint = `Send it as JSON (Content-Type: application/json), at most ${formatByteLimit(limit)}.`;
  const refused = checkContentType(req, 'application/json') ?? checkDeclaredLength(req, limit, what, hint);
  if (refused) throw new RefusedBody(refused);
  const body = await readJsonBody(req, limit);
  if ('status' in body) throw new RefusedBody(body);
  if (body.value === undefined) throw failure('INVALID_INPUT', `${what} is missing: the request body is empty.`, { hint });
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 10).map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
    throw failure('INVALID_INPUT', `${what} is not valid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}.`, { issues, location: { field: issues[0]!.path } });
  }
  return parsed.data;
}

class RefusedBody extends LatheFailure {
  readonly refusal: Refusal;
  constructor(refused: Refusal) {
    super(refused.error);
    this.refusal = refused;
  }
}

class MethodNotAllowed extends RefusedBody {
  constructor(method: string, allowed: string) {
    super({ status: 405, error: { code: 'INVALID_INPUT', message: `${method} is not allowed here; use ${allowed}.` }, headers: { Allow: allowed } });
  }
}
