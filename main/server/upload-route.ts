import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCallName, transportOf, type CallName } from '../../shared/contract/calls.ts';
import { httpPaths } from '../../shared/contract/http.ts';
import { dispatch, parseInput, type Handlers } from '../core/dispatch.ts';
import { failure, LatheFailure } from '../core/errors.ts';
import { checkMethod } from './call-route.ts';
import { refusal, sendRefusal, sendResult, statusForErrorCode, type Refusal } from './json-reply.ts';
import { askForBody, bodyChunks, checkContentType, checkDeclaredLength, declaredLength, discardRestOfBody, tooLarge } from './request-body.ts';

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
  handlers: Handlers,
  maxBytes: number,
): Promise<void> {
  const checked = checkUpload(req, callName, query, maxBytes);
  if ('status' in checked) {
    sendRefusal(res, checked);
    discardRestOfBody(req);
    return;
  }
  askForBody(req, res);
  try {
    const upload = { chunks: capped(bodyChunks(req), maxBytes), declaredBytes: declaredLength(req), maxBytes };
    sendResult(res, await dispatch(handlers, checked.name, checked.fields, { upload }));
  } finally {
    discardRestOfBody(req);
  }
}

/** Everything about an upload that can be refused before a byte of its body is read. */
function checkUpload(req: IncomingMessage, name: string, query: string, maxBytes: number): Refusal | { name: CallName; fields: Record<string, string> } {
  const refused = checkMethod(req, 'POST') ?? checkUploadName(name) ?? checkContentType(req, 'application/octet-stream');
  if (refused) return refused;
  let fields: Record<string, string>;
  try {
    fields = queryFields(query);
    parseInput(name as CallName, fields);
  } catch (thrown) {
    if (!(thrown instanceof LatheFailure)) throw thrown;
    return { status: statusForErrorCode[thrown.error.code], error: thrown.error };
  }
  return checkDeclaredLength(req, maxBytes, 'The upload', TOO_LARGE_HINT) ?? { name: name as CallName, fields };
}

function checkUploadName(name: string): Refusal | null {
  if (!isCallName(name)) return refusal(404, 'NOT_FOUND', `There is no call named "${name.slice(0, 100)}".`);
  if (transportOf(name) === 'upload') return null;
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
