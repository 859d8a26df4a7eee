import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallName, InputOf, OutputOf } from '../../../shared/contract/calls.ts';
import { dispatch, type CallContext } from '../dispatch.ts';
import { LatheFailure } from '../errors.ts';
import { createLatheCore, type LatheCore } from '../lathe-core.ts';

/** A core on a fresh workspace, called through the contract as every front door calls it. */
export async function coreOnNewWorkspace(root: string): Promise<{ core: LatheCore; workspace: string; file: (name: string, text: string | Uint8Array) => Promise<string>; call: <N extends CallName>(name: N, input: InputOf<N>, context?: CallContext) => Promise<OutputOf<N>> }> {
  const core = createLatheCore({ frontDoor: 'cli', version: 'test', stateDir: join(root, 'state'), defaultWorkspace: join(root, 'default') });
  const call = async <N extends CallName>(name: N, input: InputOf<N>, context: CallContext = {}): Promise<OutputOf<N>> => {
    const result = await dispatch(core.handlers, name, input, context);
    if (!result.ok) throw new LatheFailure(result.error);
    return result.value as OutputOf<N>;
  };
  const { path: workspace } = await call('workspace:create', { path: join(root, 'ws') });
  const file = async (name: string, text: string | Uint8Array) => {
    const path = join(root, name);
    await writeFile(path, text);
    return path;
  };
  return { core, workspace, file, call };
}
