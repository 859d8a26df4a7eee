import type { CallName, InputOf, OutputOf } from '../../shared/contract/calls.ts';
import { LatheFailure } from '../core/errors.ts';
import type { CliContext } from './cli-command.ts';

/** The CLI calls the core exactly as the other front doors do: through the contract. */
export async function callCore<N extends CallName>(context: CliContext, name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  // Loaded here, not at the top: the contract's schemas are only needed once a call is made.
  const [core, { dispatch }] = await Promise.all([context.core(), import('../core/dispatch.ts')]);
  const result = await dispatch(core.handlers, name, input);
  if (!result.ok) throw new LatheFailure(result.error);
  return result.value as OutputOf<N>;
}
