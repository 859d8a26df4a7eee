import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dispatch } from '../../core/dispatch.ts';
import { coreOnNewWorkspace } from '../../core/testing/core-fixture.ts';
import { startServer, type RunningServer } from '../start-server.ts';
import { sendRequest, type Reply } from '../test-support/test-server.ts';

/**
 * A real `lathe serve` (real core, fresh workspace) for MLflow conformance tests, spoken to
 * with raw HTTP: `post('runs/create', {...})`, `get('runs/get', { run_id })`.
 */
export interface MlflowTestServer {
  server: RunningServer;
  port: number;
  token: string;
  workspace: string;
  /** The core's own calls (what the UI makes), e.g. `call('runs:search', {...})`. */
  call(name: string, input: Record<string, unknown>): Promise<unknown>;
  post(endpoint: string, body: unknown): Promise<MlflowReply>;
  get(endpoint: string, query?: Record<string, string | string[]>): Promise<MlflowReply>;
  /** Any request with Host and token set: `send({ method: 'PUT', path, body })`. */
  send(options: { method?: string; path: string; body?: string | Buffer; headers?: Record<string, string>; host?: string }): Promise<MlflowReply>;
  close(): Promise<void>;
}

export interface MlflowReply extends Omit<Reply, 'json'> {
  json: Record<string, unknown> & { error_code?: string; message?: string };
}

export async function startMlflowServer(options: { maxUploadBytes?: number } = {}): Promise<MlflowTestServer> {
  const root = await mkdtemp(path.join(tmpdir(), 'lathe-mlflow-'));
  const { core, workspace } = await coreOnNewWorkspace(root);
  const server = await startServer({ core, uiDir: path.join(root, 'no-ui'), port: 0, workspace, ...options });
  const send: MlflowTestServer['send'] = async ({ method = 'GET', path: requestPath, body, headers = {}, host }) => {
    const reply = await sendRequest(server.port, { method, path: requestPath, body, host, headers: { authorization: `Bearer ${server.token}`, ...headers } });
    return reply as unknown as MlflowReply;
  };
  return {
    server,
    port: server.port,
    token: server.token,
    workspace,
    async call(name, input) {
      const result = await dispatch(core.handlers, name as never, { workspace, ...input } as never);
      if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
      return result.value;
    },
    post: (endpoint, body) =>
      send({ method: 'POST', path: `/api/2.0/mlflow/${endpoint}`, body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    get: (endpoint, query = {}) => {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) for (const one of [value].flat()) search.append(key, one);
      return send({ path: `/api/2.0/mlflow/${endpoint}${search.size > 0 ? `?${search}` : ''}` });
    },
    send,
    async close() {
      await server.close();
      await core.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
