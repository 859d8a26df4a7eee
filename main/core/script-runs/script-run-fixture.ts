// Test support for script runs: a core of just the calls a script run needs (workspace,
// tracking, script runs), called through the contract as every front door calls it, with
// small limits, a recorded nvidia-smi, and a stand-in for MLflow's REST handler that takes
// log-metric and log-parameter (the real handler, main/server/mlflow, is tested through lathe run).
import { writeFile, chmod } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { CallName, InputOf, LatheEvent, OutputOf } from '../../../shared/contract/calls.ts';
import { dispatch, mergeCallTables } from '../dispatch.ts';
import { LatheFailure } from '../errors.ts';
import { EventHub } from '../events.ts';
import { trackingFor } from '../tracking/open-tracking.ts';
import { trackingCalls } from '../tracking/tracking-calls.ts';
import { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { workspaceCalls } from '../workspace/workspace-calls.ts';
import type { QueryGpus } from './gpu-sampler.ts';
import { scriptRunCalls } from './script-run-calls.ts';
import type { ScriptRunLimits } from './script-run.ts';
import type { MlflowHandler } from './tracking-endpoint.ts';

export const standInMlflow: MlflowHandler = async (req, res, { workspace, events }) => {
  const tracking = trackingFor(workspace, events);
  const body = JSON.parse((await text(req)) || '{}') as Record<string, unknown>;
  const runId = String(body.run_id);
  if (req.url === '/api/2.0/mlflow/runs/log-metric') tracking.logMetrics(runId, [{ key: String(body.key), value: Number(body.value), timestamp: Number(body.timestamp), step: Number(body.step ?? 0) }]);
  else if (req.url === '/api/2.0/mlflow/runs/log-parameter') tracking.logParams(runId, { [String(body.key)]: String(body.value) });
  else return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error_code":"ENDPOINT_NOT_FOUND","message":"not in the stand-in"}');
  res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
};

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

export interface ScriptRunFixture {
  workspace: string;
  call: <N extends CallName>(name: N, input: InputOf<N>) => Promise<OutputOf<N>>;
  /** Resolves with the log text once it holds a line that `wanted` accepts (from scripts:output events). */
  output: (runId: string, wanted: (text: string) => boolean) => Promise<string>;
  /** Write a file into the workspace (executable when asked). */
  file: (name: string, content: string, executable?: boolean) => Promise<string>;
  close: () => Promise<void>;
}

export async function scriptRunFixture(root: string, options: { limits?: Partial<ScriptRunLimits>; queryGpus?: QueryGpus; mlflow?: boolean } = {}): Promise<ScriptRunFixture> {
  const workspaces = new OpenWorkspaces();
  const events = new EventHub();
  const scripts = scriptRunCalls({
    workspaces,
    events,
    mlflowHandler: options.mlflow === false ? undefined : standInMlflow,
    limits: { graceMs: 300, gpuIntervalMs: 60_000, ...options.limits },
    queryGpus: options.queryGpus ?? (async () => null),
  });
  const handlers = mergeCallTables(
    workspaceCalls({ workspaces, lastWorkspace: null, defaultWorkspace: join(root, 'default'), describe: async (workspace) => workspace.info(0) }),
    trackingCalls({ workspaces, events }),
    scripts.handlers,
  );
  const call = async <N extends CallName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> => {
    const result = await dispatch(handlers, name, input);
    if (!result.ok) throw new LatheFailure(result.error);
    return result.value as OutputOf<N>;
  };
  const logs = new Map<string, string>();
  const waiters: { runId: string; wanted: (text: string) => boolean; resolve: (text: string) => void }[] = [];
  events.on((event: LatheEvent) => {
    if (event.name !== 'scripts:output') return;
    const log = (logs.get(event.payload.runId) ?? '') + event.payload.text;
    logs.set(event.payload.runId, log);
    for (const waiter of waiters.splice(0)) {
      if (waiter.runId === event.payload.runId && waiter.wanted(log)) waiter.resolve(log);
      else waiters.push(waiter);
    }
  });
  const { path: workspace } = await call('workspace:create', { path: join(root, 'ws') });
  return {
    workspace,
    call,
    output: (runId, wanted) =>
      new Promise((resolve) => {
        const log = logs.get(runId) ?? '';
        if (wanted(log)) resolve(log);
        else waiters.push({ runId, wanted, resolve });
      }),
    file: async (name, content, executable = false) => {
      const path = join(workspace, name);
      await writeFile(path, content);
      if (executable) await chmod(path, 0o755);
      return path;
    },
    close: async () => {
      await scripts.close();
      await workspaces.closeAll();
    },
  };
}
