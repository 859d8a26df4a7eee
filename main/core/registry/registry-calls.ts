import type { Handlers } from '../dispatch.ts';
import type { EventHub } from '../events.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { listModels, showModel } from './model-listing.ts';
import { resolveModelVersion } from './resolve-model-version.ts';

export interface RegistryCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
}

/** The model registry: models, versions, aliases, cards, the audit log and promotion. */
export function registryCalls({ workspaces }: RegistryCallsContext): Handlers {
  return {
    'models:list': async ({ workspace }) => listModels(await workspaces.at(workspace)),
    'models:show': async ({ workspace, name }) => showModel(await workspaces.at(workspace), name),
    'models:get-version': async ({ workspace, ref }) => resolveModelVersion(await workspaces.at(workspace), ref),
  };
}
