import type { ErrorCode, ErrorLocation, LatheError } from '../../shared/contract/result.ts';

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
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}`, hint: 'This is a bug in Lathe; please report it with the steps that led here.' };
}
