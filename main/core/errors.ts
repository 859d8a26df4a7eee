import type { ErrorCode, ErrorLocation, LatheError } from '../../shared/contract/result.ts';
import { diskError, isSystemError } from './storage/disk-errors.ts';

/**
 * The one exception the core throws on purpose. Front doors turn it into a `Result` with
 * `toLatheError`; anything else that escapes is a bug and becomes INTERNAL.
 */
export class LatheFailure extends Error {
  readonly error: LatheError;
  constructor(error: LatheError) {
    super(error.message);
    this.name = 'LatheFailure';
    this.error = error;
  }
}

export function failure(
  code: ErrorCode,
  message: string,
  extra: { hint?: string; location?: ErrorLocation; issues?: LatheError['issues'] } = {},
): LatheFailure {
  return new LatheFailure({ code, message, ...extra });
}

export function toLatheError(thrown: unknown): LatheError {
  if (thrown instanceof LatheFailure) return thrown.error;
  const disk = isSystemError(thrown) ? diskError(thrown) : null;
  if (disk) return disk;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}`, hint: 'This is a bug in Lathe; please report it with the steps that led here.' };
}

/**
 * The failure of a whole operation, said from the user's side: "Could not import x.csv: the
 * disk is full (…). Nothing was kept." Failures that already speak of the input (a parse error
 * at line 3) pass through unchanged; disk errors and the like get the context they lack.
 */
export function failedTo(doing: string, thrown: unknown, outcome: string): LatheFailure {
  if (thrown instanceof LatheFailure) return thrown;
  const error = toLatheError(thrown);
  if (error.code === 'INTERNAL') return new LatheFailure(error);
  return new LatheFailure({ ...error, message: `Could not ${doing}: ${lowerFirst(error.message)} ${outcome}` });
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
