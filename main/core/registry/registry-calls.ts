import type { Handlers } from '../dispatch.ts';
import type { EventHub } from '../events.ts';
import { trackingFor } from '../tracking/open-tracking.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { removeAlias, setAlias } from './model-aliases.ts';
import { modelCard, type SliceSource } from './model-card.ts';
import { editModel } from './model-edits.ts';
import { listModels, showModel } from './model-listing.ts';
import { modelLog } from './model-log.ts';
import { promoteModel } from './promote-model.ts';
import { finishedWithEvaluation, type PromotionCheck } from './promotion-check.ts';
import { registerModel } from './register-model.ts';
import { resolveModelVersion } from './resolve-model-version.ts';

export interface RegistryCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
  /**
   * What must pass before `models:promote` moves an alias. The gates supply theirs; until they
   * are wired the default is `finishedWithEvaluation` (the run FINISHED and has an evaluation).
   */
  checkBeforePromote?: PromotionCheck | undefined;
  /** Per-slice metrics for model cards (the gates'); without it the card says where they come from. */
  sliceMetrics?: SliceSource | undefined;
}

/** The model registry: models, versions, aliases, cards, the audit log and promotion. */
export function registryCalls({ workspaces, events, checkBeforePromote, sliceMetrics }: RegistryCallsContext): Handlers {
  const check = checkBeforePromote ?? finishedWithEvaluation;
  return {
    'models:list': async ({ workspace }) => listModels(await workspaces.at(workspace)),
    'models:show': async ({ workspace, name }) => showModel(await workspaces.at(workspace), name),
    'models:get-version': async ({ workspace, ref }) => resolveModelVersion(await workspaces.at(workspace), ref),
    'models:register': async ({ workspace, runId, name, description }) => {
      const open = await workspaces.at(workspace);
      return registerModel(open, trackingFor(open, events), { runId, name, description }, events);
    },
    'models:set-alias': async ({ workspace, ref, alias }) => setAlias(await workspaces.at(workspace), ref, alias, events),
    'models:remove-alias': async ({ workspace, name, alias }) => removeAlias(await workspaces.at(workspace), name, alias, events),
    'models:edit': async ({ workspace, name, version, description, card }) => editModel(await workspaces.at(workspace), { name, version, description, card }, events),
    'models:log': async ({ workspace, name }) => modelLog(await workspaces.at(workspace), name),
    'models:card': async ({ workspace, ref }) => {
      const open = await workspaces.at(workspace);
      const version = await resolveModelVersion(open, ref);
      return { name: version.name, version: version.version, markdown: await modelCard(open, version, sliceMetrics ?? null) };
    },
    'models:promote': async ({ workspace, ref, alias, against, override }) => promoteModel(await workspaces.at(workspace), check, { ref, alias, against, override }, events),
  };
}
