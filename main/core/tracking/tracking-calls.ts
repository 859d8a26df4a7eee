import { encodeMetricValue, MAX_ARTIFACT_TEXT_BYTES } from '../../../shared/contract/runs.ts';
import { failure } from '../errors.ts';
import type { Handlers } from '../dispatch.ts';
import type { EventHub } from '../events.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { trackingFor } from './open-tracking.ts';

export interface TrackingCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
}

/** Experiments and runs: list, search, read, delete and restore. Writing runs is training's (and, later, MLflow clients'). */
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
    'runs:read-artifact': async ({ workspace, runId, path }) => {
      const open = await workspaces.at(workspace);
      const run = trackingFor(open, events).getRun(runId);
      const artifact = run.artifacts.find((candidate) => candidate.path === path);
      if (!artifact) {
        const held = run.artifacts.map((candidate) => candidate.path).slice(0, 20);
        throw failure('NOT_FOUND', `Run ${runId} has no artifact ${JSON.stringify(path)}.`, {
          hint: held.length > 0 ? `Its artifacts: ${held.join(', ')}.` : 'This run has logged no artifacts.',
          location: { field: 'path' },
        });
      }
      if (artifact.bytes > MAX_ARTIFACT_TEXT_BYTES) {
        throw failure('TOO_LARGE', `Artifact ${JSON.stringify(path)} is ${artifact.bytes} bytes; it is read as text only up to ${MAX_ARTIFACT_TEXT_BYTES} bytes (5 MB).`, {
          location: { field: 'path' },
        });
      }
      const chunks: Uint8Array[] = [];
      for await (const chunk of open.blobs.readVerified(artifact.contentHash, artifact.bytes, `artifact ${path} of run ${runId}`)) chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      const problem = bytes.includes(0) ? 'it holds NUL bytes' : null;
      let text: string | null = null;
      try {
        text = problem ? null : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        text = null;
      }
      if (text === null) {
        throw failure('UNSUPPORTED_FORMAT', `Artifact ${JSON.stringify(path)} is not text (${problem ?? 'it is not valid UTF-8'}); only text artifacts can be read here.`, {
          location: { field: 'path' },
        });
      }
      return { ...artifact, text };
    },
  };
}
