import type { z } from 'zod';
import { calls, isCallName, type CallName, type OutputOf, type ParsedInputOf } from '../../shared/contract/calls.ts';
import type { Result } from '../../shared/contract/result.ts';
import { failure, toLatheError } from './errors.ts';

/** The bytes of an `upload` call, as the front door receives them (HTTP: the request body). */
export interface UploadBody {
  /** The bytes, in order. */
  chunks: AsyncIterable<Uint8Array>;
  /** Content-Length when the client sent one, for progress. */
  declaredBytes: number | null;
  /** Refuse (TOO_LARGE) past this many bytes; nothing is kept. */
  maxBytes: number;
}

/** What travels with a call besides its input. */
export interface CallContext {
  /** For calls whose transport is `upload`. */
  upload?: UploadBody;
}

export type Handler<N extends CallName> = (input: ParsedInputOf<N>, context: CallContext) => Promise<OutputOf<N>>;
export type Handlers = { [N in CallName]?: Handler<N> };

/**
 * The single path from a front door into the core: check the call exists and is offered here,
 * validate its input against the contract, run it, and return a Result — never throw.
 */
export async function dispatch(handlers: Handlers, name: string, rawInput: unknown, context: CallContext = {}): Promise<Result<unknown>> {
  try {
    if (!isCallName(name)) throw failure('NOT_FOUND', `There is no call named "${name}".`);
    const handler = handlers[name] as Handler<CallName> | undefined;
    if (!handler) throw failure('UNAVAILABLE', `"${name}" is not available from this front door.`);
    const input = parseInput(name, rawInput);
    if (calls[name].transport === 'upload' && !context.upload) {
      throw failure('INVALID_INPUT', `"${name}" takes a file's bytes as well as its input; this front door sent none.`);
    }
    return { ok: true, value: await handler(input as never, context) };
  } catch (thrown) {
    return { ok: false, error: toLatheError(thrown) };
  }
}

export function parseInput<N extends CallName>(name: N, rawInput: unknown): ParsedInputOf<N> {
  const parsed = calls[name].input.safeParse(rawInput ?? {});
  if (parsed.success) return parsed.data as ParsedInputOf<N>;
  throw failure('INVALID_INPUT', `Invalid input for ${name}: ${describeIssues(parsed.error)}`, {
    issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(input)', message: issue.message })),
  });
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
}

/**
 * Merge the call tables of the capabilities into one. A name that is not in the contract, or
 * that two tables both answer, is a wiring mistake: it fails when the core is built, not when
 * a user first makes the call.
 */
export function mergeCallTables(...tables: readonly Handlers[]): Handlers {
  const merged: Handlers = {};
  for (const table of tables) {
    for (const [name, handler] of Object.entries(table)) {
      if (!isCallName(name)) throw new Error(`A call table answers "${name}", which the contract does not declare.`);
      if (Object.hasOwn(merged, name)) throw new Error(`Two call tables both answer "${name}".`);
      (merged as Record<string, unknown>)[name] = handler;
    }
  }
  return merged;
}
