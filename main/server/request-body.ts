import { formatByteLimit } from '../core/byte-limit.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { failure } from '../core/errors.ts';
import { refusal, type Refusal } from './json-reply.ts';

/** How long a client may send nothing while its body is expected before the server hangs up. */
const BODY_IDLE_MS = 60_000;
/** After answering early (a refusal), how long the rest of a body is read and dropped. */
const LINGER_MS = 5_000;

/**
 * Refuse any Content-Type but `expected` (charset utf-8 allowed). A `text/plain` or form POST
 * is one a web page can send to any origin without a CORS preflight, so only the exact type passes.
 */
export function checkContentType(req: IncomingMessage, expected: 'application/json' | 'application/octet-stream'): Refusal | null {
  const header = req.headers['content-type'] ?? '';
  const [type = '', ...params] = header.split(';').map((part) => part.trim().toLowerCase());
  const charset = params.find((param) => param.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (type === expected && (charset === undefined || charset === 'utf-8')) return null;
  return refusal(415, 'INVALID_INPUT', `Send this request with Content-Type: ${expected}${header ? ` (it was "${header.slice(0, 100)}")` : ' (it had none)'}.`);
}

/** Content-Length as a number, `null` when absent (a chunked body). */
export function declaredLength(req: IncomingMessage): number | null {
  const header = req.headers['content-length'];
  if (header === undefined) return null;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : null;
}

/** Refuse at once a body whose Content-Length is over the limit, before reading any of it. */
export function checkDeclaredLength(req: IncomingMessage, limitBytes: number, what: string, hint?: string): Refusal | null {
  const declared = declaredLength(req);
  return declared !== null && declared > limitBytes ? tooLarge(limitBytes, what, hint) : null;
}

export function tooLarge(limitBytes: number, what: string, hint?: string): Refusal {
  return refusal(413, 'TOO_LARGE', `${what} is larger than the limit of ${formatByteLimit(limitBytes)}.`, hint ? { hint } : {});
}

/** A JSON call body, at most `limitBytes`. Empty means "no input". */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<{ value: unknown } | Refusal> {
  const parts: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of bodyChunks(req)) {
      total += chunk.byteLength;
      if (total > limitBytes) return tooLarge(limitBytes, 'The request body');
      parts.push(Buffer.from(chunk));
    }
  } catch (thrown) {
    return refusal(400, 'INVALID_INPUT', thrown instanceof Error ? thrown.message : 'The request body could not be read.');
  }
  const bytes = Buffer.concat(parts);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refusal(400, 'INVALID_INPUT', 'The request body is not valid UTF-8 text.');
  }
  if (text.trim() === '') return { value: undefined };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (thrown) {
    const detail = thrown instanceof Error ? `: ${thrown.message}` : '';
    return refusal(400, 'INVALID_INPUT', `The request body is not valid JSON${detail}.`);
  }
}

/**
 * The body's bytes, in order. Stopping early leaves the request open (so the server can still
 * answer); a client that goes away or stalls mid-body ends the iteration with a failure.
 */
export async function* bodyChunks(req: IncomingMessage): AsyncGenerator<Uint8Array> {
  let stalled = false;
  req.setTimeout(BODY_IDLE_MS, () => {
    stalled = true;
    req.destroy();
  });
  try {
    for await (const chunk of req.iterator({ destroyOnReturn: false })) yield chunk as Uint8Array;
    if (!req.complete) throw new Error('incomplete body');
  } catch {
    const why = stalled ? `No bytes arrived for ${BODY_IDLE_MS / 1000} s.` : 'The connection closed mid-transfer.';
    throw failure('INVALID_INPUT', `The request body was cut off before it was complete. ${why}`, {
      hint: 'Nothing from this request was kept. Try again.',
    });
  } finally {
    req.setTimeout(0);
  }
}

/**
 * A client that sent `Expect: 100-continue` waits for this before sending its body: the server
 * says it only once the request has passed every check, so a refused upload is never sent.
 */
export function askForBody(req: IncomingMessage, res: ServerResponse): void {
  if (/\b100-continue\b/i.test(req.headers.expect ?? '') && !res.headersSent) res.writeContinue();
}

/**
 * After answering before the body was read in full, read and drop the rest for a while so the
 * client sees the answer rather than a reset connection; then hang up if it is still sending.
 */
export function discardRestOfBody(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return;
  const hangUp = setTimeout(() => req.socket.destroy(), LINGER_MS);
  hangUp.unref();
  const stop = (): void => clearTimeout(hangUp);
  req.once('end', stop);
  req.once('close', stop);
  req.on('error', () => {});
  req.resume();
}

