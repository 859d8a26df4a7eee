import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { AgentModelName, Feedback, ROLLOUT_ACTIONS, RolloutActionBody, StartRollout, type FeedbackAccepted, type FeedbackLabel, type RolloutAction } from '../../../shared/contract/agent-admin.ts';
import { failure, LatheFailure, toLatheError } from '../../core/errors.ts';
import { statusForErrorCode, type Refusal } from '../../server/json-reply.ts';
import { checkContentType, checkDeclaredLength, readJsonBody } from '../../server/request-body.ts';
import { sendError, sendJson, sendRefused } from '../agent-reply.ts';
import type { RolloutController } from './rollout-controller.ts';

/**
 * The HTTP side of rollouts: the admin routes under /admin/rollouts (the caller has shown the
 * admin token already) and the feedback route under /v2/models/{name}/feedback (no token, as
 * inference). Bodies are JSON, small, and checked against shared/contract/agent-admin.ts.
 */
export const MAX_ADMIN_JSON_BYTES = 64 * 1024;
/** Room for one label per row of the largest request (10,000 rows of labels up to ~100 characters). */
export const MAX_FEEDBACK_BYTES = 1024 * 1024;

const ROLLOUTS = /^\/admin\/rollouts(?:\/([^/]+)(?:\/([^/]+))?)?$/;
export const FEEDBACK = /^\/v2\/models\/([^/]+)\/feedback$/;

export function isRolloutPath(path: string): boolean {
  return path === '/admin/rollouts' || path.startsWith('/admin/rollouts/');
}

export async function handleRollouts(req: IncomingMessage, res: ServerResponse, url: URL, rollouts: RolloutController): Promise<void> {
  const match = ROLLOUTS.exec(url.pathname);
  if (!match) return sendError(res, 404, `There is no rollout resource at ${url.pathname.slice(0, 100)}; see /admin/rollouts and /admin/rollouts/{id}[/promote|abort|pause|resume].`);
  const [, id, action] = match;
  try {
    if (id === undefined) {
      if (req.method === 'GET') {
        const model = url.searchParams.get('model');
        if (model !== null && !AgentModelName.safeParse(model).success) return sendError(res, 400, `?model=${JSON.stringify(model.slice(0, 100))} is not a model name.`);
        return sendJson(res, 200, { rollouts: rollouts.list(model ?? undefined) });
      }
      if (req.method !== 'POST') return sendError(res, 405, `${req.method} is not allowed on /admin/rollouts; use GET or POST.`, { Allow: 'GET, POST' });
      const spec = await readBody(req, StartRollout, 'The rollout spec');
      return sendJson(res, 201, await rollouts.start(spec));
    }
    if (action === undefined) {
      if (req.method !== 'GET') return sendError(res, 405, `${req.method} is not allowed on /admin/rollouts/{id}; use GET.`, { Allow: 'GET' });
      const status = rollouts.get(id);
      return status ? sendJson(res, 200, status) : sendError(res, 404, `There is no rollout ${JSON.stringify(id.slice(0, 100))} on this agent.`);
    }
    if (!(ROLLOUT_ACTIONS as readonly string[]).includes(action)) return sendError(res, 404, `${JSON.stringify(action.slice(0, 40))} is not a rollout action; use ${ROLLOUT_ACTIONS.join(', ')}.`);
    if (req.method !== 'POST') return sendError(res, 405, `${req.method} is not allowed here; use POST.`, { Allow: 'POST' });
    const body = await readBody(req, RolloutActionBody, 'The action body', true);
    return sendJson(res, 200, await rollouts.act(id, action as RolloutAction, body.reason));
  } catch (error) {
    sendFailure(res, error);
  }
}

/** What the feedback route joins labels through: the monitoring hub, which records every prediction. */
export interface LabelJoiner {
  labelled(model: string, id: string, label: FeedbackLabel | readonly FeedbackLabel[]): { version: string; correct: boolean | null; late: boolean };
}

/**
 * POST /v2/models/{name}/feedback: a label joins the recorded prediction however late it comes
 * (through the monitoring hub, durably), and still counts for a running A/B rollout that answered
 * the request; a reward counts only for the rollout. Unknown, expired, twice, or a label of the
 * wrong kind are refused with a sentence saying which.
 */
export async function handleFeedback(req: IncomingMessage, res: ServerResponse, encodedModel: string, rollouts: RolloutController, monitoring: LabelJoiner | null = null): Promise<void> {
  let model: string;
  try {
    model = decodeURIComponent(encodedModel);
  } catch {
    return sendError(res, 400, `The model name in the feedback path is not valid percent-encoding.`);
  }
  if (req.method !== 'POST') return sendError(res, 405, `${req.method} is not allowed on feedback; use POST.`, { Allow: 'POST' });
  try {
    const feedback = await readBody(req, Feedback, 'The feedback', false, MAX_FEEDBACK_BYTES, FEEDBACK_SHAPES);
    sendJson(res, 200, joinFeedback(model, feedback, rollouts, monitoring));
  } catch (error) {
    sendFailure(res, error);
  }
}

const FEEDBACK_SHAPES = 'Send {"id": REQUEST_ID, "label": TRUE_LABEL}, {"id": REQUEST_ID, "labels": [ONE, PER, ROW]} or {"id": REQUEST_ID, "reward": NUMBER}.';

function joinFeedback(model: string, feedback: Feedback, rollouts: RolloutController, monitoring: LabelJoiner | null): FeedbackAccepted {
  if ('reward' in feedback) return { id: feedback.id, ...rollouts.feedback(model, feedback.id, { reward: feedback.reward }), recorded: false };
  const label = 'label' in feedback ? feedback.label : feedback.labels;
  // A rollout joins only a one-row label; the monitoring hub joins every recorded request.
  const single = 'label' in feedback ? feedback.label : feedback.labels.length === 1 ? feedback.labels[0]! : null;
  if (monitoring === null) {
    if (single === null) throw failure('INVALID_INPUT', `This agent joins "labels" only for recorded predictions, and it records none; send one "label" for a one-row request.`, { location: { field: 'labels' } });
    return { id: feedback.id, ...rollouts.feedback(model, feedback.id, { label: single }), recorded: false };
  }
  let recorded: ReturnType<LabelJoiner['labelled']> | null = null;
  let unrecorded: unknown = null;
  try {
    recorded = monitoring.labelled(model, feedback.id, label);
  } catch (error) {
    // Only an id the recorder never had (sampled out, or recorded before monitoring) may still be a rollout's.
    if (!(error instanceof LatheFailure) || error.error.code !== 'NOT_FOUND') throw error;
    unrecorded = error;
  }
  let rollout: ReturnType<RolloutController['feedback']> | null = null;
  if (single !== null) {
    try {
      rollout = rollouts.feedback(model, feedback.id, { label: single });
    } catch (error) {
      // Once the label is kept, the rollout's refusal (it never answered this request, it has
      // ended, it measures rewards) is the rollout's alone: the label stands, the answer says so
      // with rollout: null. Without a kept label, the recorder's "not found" says most.
      if (recorded === null) throw error instanceof LatheFailure && error.error.code === 'NOT_FOUND' ? unrecorded : error;
    }
  }
  if (recorded === null && rollout === null) throw unrecorded;
  return {
    id: feedback.id,
    arm: rollout?.arm ?? 'stable',
    version: rollout?.version ?? recorded!.version,
    rollout: rollout?.rollout ?? null,
    correct: recorded?.correct ?? rollout?.correct ?? null,
    recorded: recorded !== null,
    late: recorded?.late ?? false,
  };
}

/** A body refused before it was read, with its own status (413, 415). */
class RefusedBody extends LatheFailure {
  readonly refusal: Refusal;
  constructor(refused: Refusal, hint?: string) {
    super({ ...refused.error, ...(hint ? { hint } : {}) });
    this.refusal = { ...refused, error: this.error };
  }
}

function sendFailure(res: ServerResponse, error: unknown): void {
  if (error instanceof RefusedBody) return sendRefused(res, error.refusal);
  const latheError = toLatheError(error);
  sendError(res, statusForErrorCode[latheError.code], latheError);
}

async function readBody<S extends z.ZodType>(req: IncomingMessage, schema: S, what: string, optional = false, limit = MAX_ADMIN_JSON_BYTES, hint?: string): Promise<z.infer<S>> {
  const refused = (req.headers['content-type'] === undefined && optional ? null : checkContentType(req, 'application/json')) ?? checkDeclaredLength(req, limit, what);
  if (refused) throw new RefusedBody(refused, hint);
  const body = await readJsonBody(req, limit);
  if ('status' in body) throw new RefusedBody(body, hint);
  const parsed = schema.safeParse(body.value === undefined && optional ? {} : body.value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    throw failure('INVALID_INPUT', `${what} is not valid: ${issues}`, { ...(hint ? { hint } : {}), issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message })) });
  }
  return parsed.data;
}
