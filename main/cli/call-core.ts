import type { CallName, InputOf, OutputOf } from '../../shared/contract/calls.ts';
import { dispatch } from '../core/dispatch.ts';
import { LatheFailure } from '../core/errors.ts';
import type { CliContext } from './cli-command.ts';

/** The CLI calls the core exactly as the other front doors do: through the contract. */
export async function callCore<N extends CallName>(context: CliContext, name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const result = await dispatch(context.core().handlers, name, input);
  if (!result.ok) throw new LatheFailure(result.error);
  return result.value as OutputOf<N>;
}
