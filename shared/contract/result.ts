import { z } from 'zod';

/**
 * Every failure crosses a boundary as data, never as a thrown exception: Electron keeps only
 * the message of a thrown error, and HTTP would turn it into a bare 500.
 */
export const errorCodes = [
  'INVALID_INPUT', // a call's input failed its schema, or a flag is wrong
  'NOT_FOUND', // no such workspace, dataset or version
  'NOT_A_WORKSPACE', // the folder exists but is not a Lathe workspace
  'UNSUPPORTED_FORMAT', // a file type Lathe does not import
  'PARSE_ERROR', // a data file is malformed: details say where
  'ENCODING_ERROR', // a data file is not UTF-8 text
  'TOO_LARGE', // an upload, a field or a request is over a limit
  'CONFLICT', // someone else changed the workspace at the same time
  'FAILED_PRECONDITION', // the request is fine but what it acts on is not ready for it (a run not finished, a failed check)
  'UNAUTHORIZED', // token missing or wrong
  'FORBIDDEN', // Host, Origin or sender not allowed
  'UNAVAILABLE', // the feature needs something this front door or machine lacks
  'DISK_ERROR', // the disk refused a read or write: full, read-only, over quota, failing
  'DATA_DAMAGED', // stored bytes no longer match their content hash (altered or truncated)
  'CANCELLED', // the user stopped it (a job); nothing half-done was kept
  'INTERNAL', // a bug: the message says what happened
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Where in an input the problem is; every field optional, most specific wins. */
export const ErrorLocation = z.object({
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  row: z.number().int().nonnegative().optional(),
  field: z.string().optional(),
  byteOffset: z.number().int().nonnegative().optional(),
});
export type ErrorLocation = z.infer<typeof ErrorLocation>;

export const LatheError = z.object({
  code: ErrorCode,
  message: z.string(),
  /** What the user can do about it, when there is something to do. */
  hint: z.string().optional(),
  location: ErrorLocation.optional(),
  /** Schema issues for INVALID_INPUT: one per offending path. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type LatheError = z.infer<typeof LatheError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: LatheError };

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: LatheError }),
  ]);
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: LatheError): Result<never> => ({ ok: false, error });
