import type { z } from 'zod';
import { failure, type LatheFailure } from '../../errors.ts';

/**
 * Reading back what a statistic saved (a detector's window, a fitted calibration): the agent
 * persists these and restores them after a restart, so a file that was altered, truncated or
 * written by another version is refused with the field that is wrong, never half-used.
 */
export function parseSavedState<T>(schema: z.ZodType<T>, state: unknown, what: string, whatToDo: string): T {
  const parsed = schema.safeParse(state);
  if (parsed.success) return parsed.data;
  throw unreadable(what, parsed.error.issues[0]?.path.join('.') ?? '', parsed.error.issues[0]?.message ?? 'invalid', whatToDo);
}

export function unreadable(what: string, field: string, problem: string, whatToDo: string): LatheFailure {
  return failure('PARSE_ERROR', `The saved ${what} is not one this Lathe wrote: ${field ? `${field}: ` : ''}${problem}.`, {
    hint: whatToDo,
    location: { field },
  });
}

/** Checks options against their schema, naming the option that is wrong. */
export function parseOptions<T>(schema: z.ZodType<T>, options: unknown, what: string, hint: string): T {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  throw failure('INVALID_INPUT', `${what} options: ${field ? `${field}: ` : ''}${issue?.message ?? 'invalid'}.`, { hint, location: { field } });
}

/** A short, safe description of a value that was not what was expected. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value).slice(0, 40)}`;
}
