import { encodeMetricValue } from '../../../shared/contract/runs.ts';
import type { Handlers } from '../dispatch.ts';
import type { EventHub } from '../events.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { toLatheError } from '../errors.ts';
import { trackingFor } from './open-tracking.ts';
import type { TrackingStore } from './tracking-store.ts';

export interface TrackingCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
}

/** A metric's points in columns, as the contract carries them (NaN and infinities as strings). */
function historyOf(store: TrackingStore, runId: string, key: string, maxPoints: number | undefined, withTimestamps: boolean) {
  const history = store.metricHistory(runId, key, { maxPoints });
  return {
    key,
    steps: Array.from(history.steps),
    values: Array.from(history.values, encodeMetricValue),
    timestamps: withTimestamps ? Array.from(history.timestamps) : [],
    stored: history.stored,
    downsampled: history.downsampled,
  };
}

/** Experiments and runs: list, search, read (a run, a metric's history, a text artifact), delete and restore. Writing runs is training's (and, later, MLflow clients'). */
export function trackingCalls({ workspaces, events }: TrackingCallsContext): Handlers {
  const tracking = async (path: string) => trackingFor(await workspaces.at(path), events);
  return {
    'experiments:list': async ({ workspace, includeDeleted }) => (await tracking(workspace)).listExperiments({ includeDeleted }),
    'experiments:create': async ({ workspace, name, tags }) => (await tracking(workspace)).createExperiment(name, tags),
    'runs:search': async ({ workspace, ...query }) => (await tracking(workspace)).searchRuns(query),
    'runs:get': async ({ workspace, runId }) => (await tracking(workspace)).getRun(runId),
    'runs:metric-history': async ({ workspace, runId, key, maxPoints }) => historyOf(await tracking(workspace), runId, key, maxPoints, true),
    'runs:metric-histories': async ({ workspace, curves, maxPoints, withoutTimestamps }) => {
      const store = await tracking(workspace);
      return curves.map(({ runId, key }) => {
        try {
          return { runId, ...historyOf(store, runId, key, maxPoints, !withoutTimestamps) };
        } catch (error) {
          return { runId, key, error: toLatheError(error) };
        }
      });
    },
    'runs:delete': async ({ workspace, runId }) => (await tracking(workspace)).deleteRun(runId),
    'runs:restore': async ({ workspace, runId }) => (await tracking(workspace)).restoreRun(runId),
    'runs:read-artifact': async ({ workspace, runId, path }) => (await tracking(workspace)).readArtifactText(runId, path),
  };
}
