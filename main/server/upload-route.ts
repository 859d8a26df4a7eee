import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCallName, uploadCalls, type CallName } from '../../shared/contract/calls.ts';
import { httpPaths } from '../../shared/contract/http.ts';
import { parseInput } from '../core/dispatch.ts';
import { failure, LatheFailure, toLatheError } from '../core/errors.ts';
import type { LatheCore, UploadBody } from '../core/lathe-core.ts';
import { checkMethod } from './call-route.ts';
import { refusal, sendRefusal, sendResult, statusForErrorCode, type Refusal } from './json-reply.ts';
import { askForBody, bodyChunks, checkContentType, checkDeclaredLength, declaredLength, discardRestOfBody, tooLarge } from './request-body.ts';

type StartUpload = (body: UploadBody) => Promise<unknown>;

const TOO_LARGE_HINT = 'Start `lathe serve` with a larger --max-upload-mb, or import the file with the CLI.';

/**
 * `POST /api/upload/<name>?<input>` with the file's raw bytes as the body. The input is checked
 * before a byte of the body is read; the body then streams to the core, which stores it where it
 * chooses (the client's file name is only data) and keeps nothing when the limit is passed.
 */
export async function handleUpload(
  req: IncomingMessage,
  res: ServerResponse,
  callName: string,
  query: string,
  core: LatheCore,
  maxBytes: number,
): Promise<void> {
  const checked = checkUpload(req, callName, query, core, maxBytes);
  if ('status' in checked) {
    sendRefusal(res, checked);
    discardRestOfBody(req);
    return;
  }
  askForBody(req, res);
  try {
    const value = await checked.start({ chunks: capped(bodyChunks(req), maxBytes), declaredBytes: declaredLength(req), maxBytes });
    sendResult(res, { ok: true, value });
  } catch (thrown) {
    sendResult(res, { ok: false, error: toLatheError(thrown) });
  } finally {
    discardRestOfBody(req);
  }
}

function checkUpload(req: IncomingMessage, name: string, query: string, core: LatheCore, maxBytes: number): Refusal | { start: StartUpload } {
  const refused = checkMethod(req, 'POST') ?? checkUploadName(name) ?? checkContentType(req, 'application/octet-stream');
  if (refused) return refused;
  let start: StartUpload | null;
  try {
    start = uploadStarter(name as CallName, queryFields(query), core);
  } catch (thrown) {
    if (!(thrown instanceof LatheFailure)) throw thrown;
    return { status: statusForErrorCode[thrown.error.code], error: thrown.error };
  }
  if (!start) return refusal(501, 'UNAVAILABLE', `"${name}" is not available from this server.`);
  return checkDeclaredLength(req, maxBytes, 'The upload', TOO_LARGE_HINT) ?? { start };
}

/** Validate the input now, so a bad request is refused before its body is read. */
function uploadStarter(name: CallName, fields: Record<string, string>, core: LatheCore): StartUpload | null {
  switch (name) {
    case 'datasets:import-upload': {
      const input = parseInput(name, fields);
      return (body) => core.importUpload(input, body);
    }
    default:
      return null;
  }
}

function checkUploadName(name: string): Refusal | null {
  if (!isCallName(name)) return refusal(404, 'NOT_FOUND', `There is no call named "${name.slice(0, 100)}".`);
  if (uploadCalls.includes(name)) return null;
  return refusal(400, 'INVALID_INPUT', `"${name}" is not an upload.`, { hint: `POST its input as JSON to ${httpPaths.call}${name}.` });
}

function queryFields(query: string): Record<string, string> {
  const fields = Object.create(null) as Record<string, string>;
  for (const [key, value] of new URLSearchParams(query)) {
    if (Object.hasOwn(fields, key)) {
      throw failure('INVALID_INPUT', `The query string gives "${key.slice(0, 100)}" more than once.`, { issues: [{ path: key, message: 'given more than once' }] });
    }
    fields[key] = value;
  }
  return fields;
}

/** Stop a body without Content-Length (chunked) once it passes the limit. */
async function* capped(chunks: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new LatheFailure(tooLarge(maxBytes, 'The upload', TOO_LARGE_HINT).error);
    yield chunk;
  }
}
