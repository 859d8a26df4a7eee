import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode, LatheError, Result } from '../../shared/contract/result.ts';
import { securityHeaders } from './security-headers.ts';

/** The HTTP status that carries each error code; the JSON Result is the body either way. */
export const statusForErrorCode: Readonly<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  PARSE_ERROR: 400,
  ENCODING_ERROR: 400,
  UNSUPPORTED_FORMAT: 400,
  NOT_FOUND: 404,
  NOT_A_WORKSPACE: 404,
  CONFLICT: 409,
  FAILED_PRECONDITION: 409,
  TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  UNAVAILABLE: 501,
  DISK_ERROR: 507,
  DATA_DAMAGED: 500,
  CANCELLED: 409,
  INTERNAL: 500,
};

/** A refusal decided by the server itself, with a status more precise than the code's default. */
export interface Refusal {
  status: number;
  error: LatheError;
  /** Extra response headers, e.g. `Allow` for 405. */
  headers?: Record<string, string>;
}

export function refusal(status: number, code: ErrorCode, message: string, extra: Partial<LatheError> & { headers?: Record<string, string> } = {}): Refusal {
  const { headers, ...rest } = extra;
  return { status, error: { ...rest, code, message }, ...(headers ? { headers } : {}) };
}

export function sendResult(res: ServerResponse, result: Result<unknown>): void {
  sendJson(res, result.ok ? 200 : statusForErrorCode[result.error.code], result);
}

export function sendRefusal(res: ServerResponse, { status, error, headers }: Refusal): void {
  sendJson(res, status, { ok: false, error }, headers);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // The client may have gone (a dropped upload): there is no one left to answer.
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...securityHeaders,
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** Refuse a WebSocket upgrade with a plain HTTP answer on the raw socket, then hang up. */
export function rejectUpgrade(socket: Duplex, { status, error }: Refusal): void {
  const text = JSON.stringify({ ok: false, error });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    ...Object.entries(securityHeaders).map(([name, value]) => `${name}: ${value}`),
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Cache-Control: no-store',
    'Connection: close',
  ];
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`${head.join('\r\n')}\r\n\r\n${text}`, () => socket.destroy());
}
