import { encodeMetricValue } from '../../../shared/contract/runs.ts';
import type { Handlers } from '../dispatch.ts';
import type { EventHub } from '../events.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { trackingFor } from './open-tracking.ts';

export interface TrackingCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
}

/** Experiments and runs: list, search, read (a run, a metric's history, a text artifact), delete and restore. Writing runs is training's (and, later, MLflow clients'). */
export function trackingCalls({ workspaces, events }: TrackingCallsContext): Handlers {
  const tracking = async (path: string) => trackingFor(await workspaces.at(path), events);
  return {
    'experiments:list': async ({ workspace, includeDeleted }) => (await tracking(workspace)).listExperiments({ includeDeleted }),
    'experiments:create': async ({ workspace, name, tags }) => (await tracking(workspace)).createExperiment(name, tags),
    'runs:search': async ({ workspace, ...query }) => (await tracking(workspace)).searchRuns(query),
    'runs:get': async ({ workspace, runId }) => (await tracking(workspace)).getRun(runId),
    'runs:metric-history': async ({ workspace, runId, key, maxPoints }) => {
      const history = (await tracking(workspace)).metricHistory(runId, key, { maxPoints });
      return {
        key,
        steps: Array.from(history.steps),
        values: Array.from(history.values, encodeMetricValue),
        timestamps: Array.from(history.timestamps),
        stored: history.stored,
        downsampled: history.downsampled,
      };
    },
    'runs:delete': async ({ workspace, runId }) => (await tracking(workspace)).deleteRun(runId),
    'runs:restore': async ({ workspace, runId }) => (await tracking(workspace)).restoreRun(runId),
    'runs:read-artifact': async ({ workspace, runId, path }) => (await tracking(workspace)).readArtifactText(runId, path),
  };
}
