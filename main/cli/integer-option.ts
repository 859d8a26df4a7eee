import { failure } from '../core/errors.ts';
import { visible } from './terminal-text.ts';

/** A whole-number flag (`--max 20`), checked on the command line before the core is asked; undefined when not given. */
export function integerOption(value: unknown, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < min || n > max) {
    throw failure('INVALID_INPUT', `${flag} takes a whole number from ${min} to ${max}; got "${visible(String(value))}".`, { location: { field: flag.replace(/^--/, '') } });
  }
  return n;
}
