import { calls, events, type CallName, type EventName, type OutputOf, type PayloadOf } from '../../../shared/contract/calls.ts';
import { resultSchema, type LatheError, type Result } from '../../../shared/contract/result.ts';

/**
 * Main owns the data, but a window can outlive an upgrade of main (or talk to a different
 * `lathe serve`): check every answer against the contract before the UI trusts it. Cheap at
 * the sizes the UI asks for (a preview is at most 100 rows).
 */
export function checkResult<N extends CallName>(name: N, raw: unknown): Result<OutputOf<N>> {
  const parsed = resultSchema(calls[name].output).safeParse(raw);
  if (parsed.success) return parsed.data as Result<OutputOf<N>>;
  return {
    ok: false,
    error: {
      code: 'INTERNAL',
      message: `Lathe answered "${name}" with data this window does not understand.`,
      hint: 'The window and the Lathe process may be different versions: reload the window. If it persists, report it.',
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(answer)', message: issue.message })),
    },
  };
}

export type CheckedEvent = { [E in EventName]: { name: E; payload: PayloadOf<E> } }[EventName];

/** An event from main, checked; `null` for unknown names or payloads that fail their schema. */
export function checkEvent(raw: unknown): CheckedEvent | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { name, payload } = raw as { name?: unknown; payload?: unknown };
  if (typeof name !== 'string' || !Object.hasOwn(events, name)) return null;
  const eventName = name as EventName;
  const parsed = events[eventName].payload.safeParse(payload);
  return parsed.success ? ({ name: eventName, payload: parsed.data } as CheckedEvent) : null;
}

export function unavailable(message: string, hint?: string): { ok: false; error: LatheError } {
  return { ok: false, error: hint ? { code: 'UNAVAILABLE', message, hint } : { code: 'UNAVAILABLE', message } };
}

