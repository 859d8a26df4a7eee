import { formatByteLimit } from '../../byte-limit.ts';
import type { ErrorCode, ErrorLocation } from '../../../../shared/contract/result.ts';
import { failure, type LatheFailure } from '../../errors.ts';

/** Failures of a table scan always say which file, and where in it when known. */
export function scanFailure(
  code: ErrorCode,
  file: string,
  message: string,
  location: Omit<ErrorLocation, 'file'> = {},
  hint?: string,
): LatheFailure {
  const extra = hint === undefined ? { location: { file, ...location } } : { location: { file, ...location }, hint };
  return failure(code, message, extra);
}

/** How a field is named in messages: `field 3 ("price")`. */
export function fieldLabel(index: number, name: string | undefined): string {
  return name === undefined ? `field ${index + 1}` : `field ${index + 1} ("${name}")`;
}

/** The common TOO_LARGE failure for a field or record over the limit. */
export function tooLarge(file: string, what: string, limit: number, location: Omit<ErrorLocation, 'file'>): LatheFailure {
  return scanFailure(
    'TOO_LARGE',
    file,
    `${what} in ${file} is larger than ${formatByteLimit(limit)}, the most Lathe reads as one value.`,
    location,
    'A value this large is usually a sign of a missing closing quote or bracket; check the file there.',
  );
}
