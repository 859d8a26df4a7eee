import type { ErrorLocation, LatheError } from './result.ts';

// Words for a failure, apart from result.ts so that printing an error does not load its schemas.

/** One line a person can read: "PARSE_ERROR at data.csv:3:7 — ..." */
export function describeError(error: LatheError): string {
  const where = formatLocation(error.location);
  const head = where ? `${error.message} (${where})` : error.message;
  return error.hint ? `${head}\n${error.hint}` : head;
}

export function formatLocation(location: ErrorLocation | undefined): string {
  if (!location) return '';
  const parts: string[] = [];
  if (location.file) {
    let at = location.file;
    if (location.line !== undefined) at += `:${location.line}`;
    if (location.line !== undefined && location.column !== undefined) at += `:${location.column}`;
    parts.push(at);
  } else if (location.line !== undefined) {
    parts.push(location.column !== undefined ? `line ${location.line}, column ${location.column}` : `line ${location.line}`);
  }
  if (location.field !== undefined) parts.push(`field "${location.field}"`);
  return parts.join(', ');
}
