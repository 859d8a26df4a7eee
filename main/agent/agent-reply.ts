import type { ServerResponse } from 'node:http';
import type { LatheError } from '../../shared/contract/result.ts';
import type { Refusal } from '../server/json-reply.ts';

/**
 * Answers in the Open Inference Protocol's shapes: a JSON body, and on failure
 * `{"error": "sentence"}` (with Lathe's code and hint beside it, which OIP clients ignore).
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, error: LatheError | string, headers: Record<string, string> = {}): void {
  const body = typeof error === 'string' ? { error } : { error: error.message, code: error.code, ...(error.hint ? { hint: error.hint } : {}) };
  sendJson(res, status, body, headers);
}

export function sendRefused(res: ServerResponse, refused: Refusal): void {
  sendError(res, refused.status, refused.error, refused.headers);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}
