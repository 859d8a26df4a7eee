import { failure } from '../core/errors.ts';
import type { CliContext } from './cli-command.ts';
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

/** A text flag's value; undefined when not given. */
export function stringOption(context: CliContext, flag: string): string | undefined {
  const value = context.values[flag];
  return typeof value === 'string' ? value : undefined;
}

/** A positional argument the command cannot do without (`Name the version, like NAME@3: USAGE`). */
export function requiredArgument(value: string | undefined, what: string, usage: string): string {
  if (!value) throw failure('INVALID_INPUT', `Name ${what}: ${usage}`);
  return value;
}
