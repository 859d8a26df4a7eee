import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCallName, transportOf, type CallName } from '../../shared/contract/calls.ts';
import { httpPaths } from '../../shared/contract/http.ts';
import { dispatch, type Handlers } from '../core/dispatch.ts';
import { refusal, sendRefusal, sendResult, type Refusal } from './json-reply.ts';
import { askForBody, checkContentType, checkDeclaredLength, discardRestOfBody, readJsonBody } from './request-body.ts';

/** The largest JSON input a call accepts. */
export const CALL_BODY_LIMIT_BYTES = 1024 * 1024;

/** `POST /api/call/<name>` with the call's input as JSON → the call's Result as JSON. */
export async function handleCall(req: IncomingMessage, res: ServerResponse, callName: string, handlers: Handlers): Promise<void> {
  const refused =
    checkMethod(req, 'POST') ??
    checkCallRoute(callName) ??
    checkContentType(req, 'application/json') ??
    checkDeclaredLength(req, CALL_BODY_LIMIT_BYTES, 'The request body');
  if (refused) {
    sendRefusal(res, refused);
    discardRestOfBody(req);
    return;
  }
  askForBody(req, res);
  const body = await readJsonBody(req, CALL_BODY_LIMIT_BYTES);
  if ('status' in body) {
    sendRefusal(res, body);
    discardRestOfBody(req);
    return;
  }
  sendResult(res, await dispatch(handlers, callName, body.value));
}

export function checkMethod(req: IncomingMessage, allowed: 'POST'): Refusal | null {
  if (req.method === allowed) return null;
  // OPTIONS lands here too: no CORS preflight is ever answered positively.
  return refusal(405, 'INVALID_INPUT', `Use ${allowed} for ${req.method ?? 'this'} requests to this address.`, {
    headers: { Allow: allowed },
  });
}

/** Path calls that have an upload call doing the same with the file's bytes. */
const uploadTwins: Partial<Record<CallName, CallName>> = { 'datasets:import-file': 'datasets:import-upload' };

/** Which calls HTTP offers as plain JSON calls. */
function checkCallRoute(name: string): Refusal | null {
  if (!isCallName(name)) return refusal(404, 'NOT_FOUND', `There is no call named "${name.slice(0, 100)}".`);
  if (transportOf(name) === 'path') {
    const twin = uploadTwins[name];
    return refusal(403, 'FORBIDDEN', `"${name}" opens a file on this machine by its path, and this server never opens a path a web page names.`, {
      hint: twin ? `Upload the file's bytes instead: POST ${httpPaths.upload}${twin}?<input>.` : 'Run it from the command line (lathe …) or the desktop app, which open the files you name.',
    });
  }
  if (transportOf(name) === 'upload') {
    return refusal(400, 'INVALID_INPUT', `"${name}" takes the file's bytes as the request body, not JSON.`, {
      hint: `POST them to ${httpPaths.upload}${name}?<input as a query string> with Content-Type: application/octet-stream.`,
    });
  }
  return null;
}
