import type { CallName, InputOf, OutputOf } from '../../../../shared/contract/calls.ts';
import type { CardEdit } from '../../../../shared/contract/registry.ts';
import type { Result } from '../../../../shared/contract/result.ts';
import type { LatheApi } from '../../lib/api-types.ts';
import type { LatheStore } from '../../state/store.ts';

export type ModelCommands = ReturnType<typeof createModelCommands>;

type WithoutWorkspace<N extends CallName> = Omit<InputOf<N>, 'workspace'>;

/**
 * What the Models area asks of main's registry, always in the workspace this window has open.
 * Main owns the registry (git commits under models/); the pages ask again after each change.
 */
export function createModelCommands({ api, store }: { api: Pick<LatheApi, 'call'>; store: LatheStore }) {
  const noWorkspace = { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'No workspace is open.', hint: 'Open a workspace from the workspace menu first.' } };

  function inWorkspace<N extends CallName>(name: N, input: WithoutWorkspace<N>): Promise<Result<OutputOf<N>>> {
    const workspace = store.getState().workspace?.path;
    if (!workspace) return Promise.resolve(noWorkspace);
    return api.call(name, { ...input, workspace } as InputOf<N>);
  }

  return {
    list: () => inWorkspace('models:list', {}),
    show: (name: string) => inWorkspace('models:show', { name }),
    version: (ref: string) => inWorkspace('models:get-version', { ref }),
    log: (name: string) => inWorkspace('models:log', { name }),
    card: (ref: string) => inWorkspace('models:card', { ref }),
    register: (runId: string, name: string, description: string) => inWorkspace('models:register', { runId, name, ...(description.trim() ? { description } : {}) }),
    setAlias: (ref: string, alias: string) => inWorkspace('models:set-alias', { ref, alias }),
    removeAlias: (name: string, alias: string) => inWorkspace('models:remove-alias', { name, alias }),
    editModel: (name: string, change: { description: string }) => inWorkspace('models:edit', { name, ...change }),
    editVersion: (name: string, version: number, change: { description?: string; card?: CardEdit }) => inWorkspace('models:edit', { name, version, ...change }),
    promote: (ref: string, overrideReason?: string) => inWorkspace('models:promote', { ref, alias: 'champion', ...(overrideReason !== undefined ? { override: { reason: overrideReason } } : {}) }),
  };
}
