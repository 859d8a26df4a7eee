import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCallName, transportOf } from '../../shared/contract/calls.ts';
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

/** Which calls HTTP offers as plain JSON calls. */
function checkCallRoute(name: string): Refusal | null {
  if (!isCallName(name)) return refusal(404, 'NOT_FOUND', `There is no call named "${name.slice(0, 100)}".`);
  if (transportOf(name) === 'path') {
    return refusal(403, 'FORBIDDEN', `"${name}" reads a file by its path, and this server never opens a path a web page names.`, {
      hint: `Upload the file's bytes instead: POST ${httpPaths.upload}<call>?<input>.`,
    });
  }
  if (transportOf(name) === 'upload') {
    return refusal(400, 'INVALID_INPUT', `"${name}" takes the file's bytes as the request body, not JSON.`, {
      hint: `POST them to ${httpPaths.upload}${name}?<input as a query string> with Content-Type: application/octet-stream.`,
    });
  }
  return null;
}
