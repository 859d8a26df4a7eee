import type { z } from 'zod';

/** A request that any front door (Electron IPC, HTTP, CLI) can make of the core. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly input: I;
  readonly output: O;
  readonly summary: string;
}

/** Something the core tells every listening front door about, unasked. */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly payload: P;
}

export function defineCall<I extends z.ZodType, O extends z.ZodType>(
  name: string,
  summary: string,
  input: I,
  output: O,
): CallSpec<I, O> {
  return { name, summary, input, output };
}

export function defineEvent<P extends z.ZodType>(name: string, payload: P): EventSpec<P> {
  return { name, payload };
}

export type CallInput<C extends CallSpec> = z.input<C['input']>;
export type CallOutput<C extends CallSpec> = z.output<C['output']>;
export type EventPayload<E extends EventSpec> = z.output<E['payload']>;
