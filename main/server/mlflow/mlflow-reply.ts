import type { ServerResponse } from 'node:http';
import type { ErrorCode, LatheError } from '../../../shared/contract/result.ts';
import { toLatheError } from '../../core/errors.ts';
import { securityHeaders } from '../security-headers.ts';

/**
 * Answers in MLflow's shape: a JSON message on success, `{"error_code", "message"}` on failure
 * with MLflow's status for the code (INVALID_PARAMETER_VALUE 400, RESOURCE_DOES_NOT_EXIST 404,
 * RESOURCE_ALREADY_EXISTS 400). Lathe's codes without an MLflow twin keep their meaning: a full
 * disk is 507 (not 500/503, which MLflow's client would retry against a disk that stays full).
 */
const mlflowCodes: Partial<Record<ErrorCode, { code: string; status: number }>> = {
  INVALID_INPUT: { code: 'INVALID_PARAMETER_VALUE', status: 400 },
  PARSE_ERROR: { code: 'INVALID_PARAMETER_VALUE', status: 400 },
  ENCODING_ERROR: { code: 'INVALID_PARAMETER_VALUE', status: 400 },
  UNSUPPORTED_FORMAT: { code: 'INVALID_PARAMETER_VALUE', status: 400 },
  NOT_FOUND: { code: 'RESOURCE_DOES_NOT_EXIST', status: 404 },
  CONFLICT: { code: 'RESOURCE_ALREADY_EXISTS', status: 400 },
  FAILED_PRECONDITION: { code: 'INVALID_STATE', status: 400 },
  TOO_LARGE: { code: 'INVALID_PARAMETER_VALUE', status: 413 },
  UNAUTHORIZED: { code: 'UNAUTHENTICATED', status: 401 },
  FORBIDDEN: { code: 'PERMISSION_DENIED', status: 403 },
  DISK_ERROR: { code: 'INTERNAL_ERROR', status: 507 },
  DATA_DAMAGED: { code: 'DATA_LOSS', status: 500 },
};

export function sendMlflowJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...securityHeaders,
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** A thrown failure (or anything thrown) as MLflow's error JSON; Lathe's hint, when there is one, follows the message. */
export function sendMlflowError(res: ServerResponse, thrown: unknown, status?: number, headers?: Record<string, string>): void {
  const error: LatheError = toLatheError(thrown);
  const mapped = mlflowCodes[error.code] ?? { code: 'INTERNAL_ERROR', status: 500 };
  const message = error.code === 'INVALID_INPUT' || error.code === 'NOT_FOUND' || error.code === 'CONFLICT' || !error.hint ? error.message : `${error.message} ${error.hint}`;
  sendMlflowJson(res, status ?? mapped.status, { error_code: mapped.code, message }, headers);
}
