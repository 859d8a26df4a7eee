import type { RunDetail } from '../../../shared/contract/runs.ts';
import type { ScriptRunEnd } from '../../../shared/contract/script-runs.ts';
import type { Handlers } from '../dispatch.ts';
import { failure } from '../errors.ts';
import type { EventHub } from '../events.ts';
import { trackingFor } from '../tracking/open-tracking.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { queryNvidiaSmi, type QueryGpus } from './gpu-sampler.ts';
import { readLogPage } from './log-page.ts';
import { defaultScriptRunLimits, liveLogPath, LOG_ARTIFACT, startScriptRun, type ActiveScriptRun, type ScriptRunLimits } from './script-run.ts';
import { mlflowRoutesFor, type MlflowHandler } from './tracking-endpoint.ts';

export interface ScriptRunCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
  /** The front door's MLflow REST handler (main/server/mlflow); absent: scripts get no MLFLOW_TRACKING_URI. */
  mlflowHandler?: MlflowHandler | undefined;
  /** Tests: smaller caps, a shorter grace period, a recorded nvidia-smi, another environment. */
  limits?: Partial<ScriptRunLimits>;
  queryGpus?: QueryGpus;
  env?: NodeJS.ProcessEnv;
}

export interface ScriptRunCalls {
  handlers: Handlers;
  /** Cancel every script run still going (each ends KILLED) and wait for them. */
  close(): Promise<void>;
}

/** Tracked script runs: start (no shell), cancel (the whole process tree), wait, and read the log. */
export function scriptRunCalls({ workspaces, events, mlflowHandler, limits, queryGpus, env }: ScriptRunCallsContext): ScriptRunCalls {
  const active = new Map<string, ActiveScriptRun>();
  const key = (workspace: string, runId: string) => `${workspace}\n${runId}`;
  const context = {
    tracking: (workspace: Workspace) => trackingFor(workspace, events),
    output: (payload: { workspace: string; runId: string; from: number; text: string; pastCap?: boolean }) => events.emit('scripts:output', payload),
    mlflowRoutes: mlflowHandler ? (workspace: Workspace) => mlflowRoutesFor(mlflowHandler, workspace, events) : null,
    limits: { ...defaultScriptRunLimits, ...limits },
    queryGpus: queryGpus ?? queryNvidiaSmi,
    env: env ?? process.env,
  };

  /** A script run's detail; a run Lathe's training (or an MLflow client) made is not one. */
  const scriptRun = (workspace: Workspace, runId: string): RunDetail => {
    const run = trackingFor(workspace, events).getRun(runId);
    if (run.systemTags['lathe.source'] !== 'script') {
      throw failure('INVALID_INPUT', `Run ${runId} is not a script run (it was made by ${run.systemTags['lathe.source'] ?? 'an MLflow client'}); only runs started with lathe run or "Run a script" have a script log.`, {
        location: { field: 'runId' },
      });
    }
    return run;
  };

  const handlers: Handlers = {
    'scripts:start': async (input) => {
      const workspace = await workspaces.at(input.workspace);
      const { started, active: run } = await startScriptRun(context, workspace, input);
      active.set(key(workspace.dir, run.runId), run);
      void run.ended.then(() => active.delete(key(workspace.dir, run.runId)));
      return started;
    },
    'scripts:cancel': async ({ workspace: path, runId, now }) => {
      const workspace = await workspaces.at(path);
      const run = active.get(key(workspace.dir, runId));
      if (run) {
        run.cancel(now === true);
        return { runId, cancelling: true };
      }
      const detail = scriptRun(workspace, runId);
      if (detail.status === 'RUNNING') {
        throw failure('UNAVAILABLE', `Run ${runId} is running in another Lathe process (the one that started it), so this one cannot stop it.`, {
          hint: 'Stop it there: Ctrl-C in the terminal running lathe run, or Cancel in the window that started it.',
          location: { field: 'runId' },
        });
      }
      return { runId, cancelling: false };
    },
    'scripts:wait': async ({ workspace: path, runId }) => {
      const workspace = await workspaces.at(path);
      const run = active.get(key(workspace.dir, runId));
      if (run) return run.ended;
      const detail = scriptRun(workspace, runId);
      if (detail.status === 'RUNNING' || detail.status === 'SCHEDULED') {
        throw failure('UNAVAILABLE', `Run ${runId} is ${detail.status} in another Lathe process, so this one cannot wait for it.`, {
          hint: 'Follow its log (scripts:log, or its run page), or ask again once it has ended.',
          location: { field: 'runId' },
        });
      }
      return endOf(detail);
    },
    'scripts:log': async ({ workspace: path, runId, from }) => {
      const workspace = await workspaces.at(path);
      const running = active.get(key(workspace.dir, runId));
      if (running) return readLogPage({ kind: 'file', path: running.logPath, complete: false }, from ?? 0);
      const detail = scriptRun(workspace, runId);
      const artifact = detail.artifacts.find((candidate) => candidate.path === LOG_ARTIFACT);
      if (artifact) {
        return readLogPage({ kind: 'artifact', blobs: workspace.blobs, hash: artifact.contentHash, bytes: artifact.bytes, what: `the log of run ${runId}` }, from ?? 0);
      }
      // Running in another process (the file grows), or left behind by a process that died.
      return readLogPage({ kind: 'file', path: liveLogPath(workspace, runId), complete: detail.status !== 'RUNNING' }, from ?? 0);
    },
  };

  return {
    handlers,
    async close() {
      const running = [...active.values()];
      for (const run of running) run.cancel();
      await Promise.all(running.map((run) => run.ended));
    },
  };
}

/** How a run that ended (here or in another process) ended, from its tags. */
function endOf(run: RunDetail): ScriptRunEnd {
  const tags = run.systemTags;
  const number = (text: string | undefined) => (text === undefined || text === '' || !Number.isFinite(Number(text)) ? null : Number(text));
  return {
    runId: run.id,
    status: run.status,
    exitCode: number(tags['lathe.exit_code']),
    signal: tags['lathe.signal'] ?? null,
    durationMs: number(tags['lathe.duration_ms']) ?? Math.max(0, (run.endTime ?? run.startTime) - run.startTime),
    logBytes: number(tags['lathe.log.bytes']) ?? 0,
    droppedBytes: number(tags['lathe.log.dropped']) ?? 0,
    message: tags['lathe.failure'] ?? tags['lathe.killed'] ?? null,
  };
}
