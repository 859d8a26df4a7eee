import type { Handlers } from '../dispatch.ts';
import type { EventHub } from '../events.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { trackingFor } from './open-tracking.ts';
import { compareRuns } from './run-comparison.ts';

/** `runs:compare`: why did these runs differ. */
export function comparisonCalls({ workspaces, events }: { workspaces: OpenWorkspaces; events: EventHub }): Handlers {
  return {
    'runs:compare': async ({ workspace: path, runIds }) => {
      const workspace = await workspaces.at(path);
      const tracking = trackingFor(workspace, events);
      return compareRuns(workspace, runIds.map((runId) => tracking.getRun(runId)));
    },
  };
}
