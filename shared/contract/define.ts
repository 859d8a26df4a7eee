import type { z } from 'zod';

/**
 * How a call's input travels:
 * - `json`: the input is all there is (every front door);
 * - `path`: the input names a file on the machine that runs the core, so only front doors with
 *   a trusted source of paths offer it (the CLI, Electron's dialogs and drops), never HTTP;
 * - `upload`: the input comes with a stream of bytes (HTTP's request body).
 */
export type CallTransport = 'json' | 'path' | 'upload';

/** A request that any front door (Electron IPC, HTTP, CLI) can make of the core. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly input: I;
  readonly output: O;
  readonly summary: string;
  readonly transport: CallTransport;
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
  options: { transport?: CallTransport } = {},
): CallSpec<I, O> {
  return { name, summary, input, output, transport: options.transport ?? 'json' };
}

export function defineEvent<P extends z.ZodType>(name: string, payload: P): EventSpec<P> {
  return { name, payload };
}

export type CallInput<C extends CallSpec> = z.input<C['input']>;
export type CallOutput<C extends CallSpec> = z.output<C['output']>;
export type EventPayload<E extends EventSpec> = z.output<E['payload']>;
