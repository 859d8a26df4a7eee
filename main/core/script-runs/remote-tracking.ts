import { z } from 'zod';
import { failure, LatheFailure } from '../errors.ts';

/**
 * A small client of MLflow's tracking REST API as `lathe serve` answers it (main/server/mlflow),
 * for `lathe run --server URL` on a machine without the workspace: each call has a timeout, and
 * every failure is a sentence naming the server — unreachable (UNAVAILABLE), the token refused
 * (UNAUTHORIZED), or an answer that is not MLflow's (FAILED_PRECONDITION). The token goes in the
 * Authorization header only, never in a URL.
 */
export interface RemoteTrackingOptions {
  /** The server's address as given: http(s)://host:port, with no path, query or credentials. */
  url: string;
  token: string;
  timeoutMs?: number;
}

export type RemoteStatus = 'FINISHED' | 'FAILED' | 'KILLED';

const ExperimentReply = z.object({ experiment: z.object({ experiment_id: z.string() }) });
const CreateExperimentReply = z.object({ experiment_id: z.string() });
const RunReply = z.object({ run: z.object({ info: z.object({ run_id: z.string(), experiment_id: z.string(), run_name: z.string().optional() }) }) });
/** No answer the run needs is near this; a bigger one is not from Lathe. */
const MAX_REPLY_BYTES = 16 * 1024 * 1024;
const MlflowError = z.object({ error_code: z.string(), message: z.string() });

/** The server's address, checked: a plain http(s) origin. */
export function serverOrigin(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw failure('INVALID_INPUT', `--server ${url.slice(0, 200)} is not a URL; give the address lathe serve printed, like http://10.0.0.5:8080.`, { location: { field: 'server' } });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw failure('INVALID_INPUT', `--server ${url.slice(0, 200)}: only http:// and https:// servers are supported.`, { location: { field: 'server' } });
  if (parsed.username || parsed.password || parsed.search || parsed.hash)
    throw failure('INVALID_INPUT', `--server ${parsed.origin}: give the address alone, with no user, password, query or #part; the token goes in --token-file or LATHE_SERVER_TOKEN.`, { location: { field: 'server' } });
  if (parsed.pathname !== '/' && parsed.pathname !== '') throw failure('INVALID_INPUT', `--server ${url.slice(0, 200)}: give the server's address without a path (${parsed.origin}).`, { location: { field: 'server' } });
  return parsed.origin;
}

export class RemoteTracking {
  readonly origin: string;
  readonly #token: string;
  readonly #timeoutMs: number;

  constructor(options: RemoteTrackingOptions) {
    this.origin = serverOrigin(options.url);
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The experiment's id by name, made when it is not there yet. */
  async experimentId(name: string): Promise<string> {
    const found = await this.#call('GET', `experiments/get-by-name?${new URLSearchParams({ experiment_name: name })}`, undefined, { missingOk: true });
    if (found !== null) return ExperimentReply.parse(found).experiment.experiment_id;
    return CreateExperimentReply.parse(await this.#mlflow('experiments/create', { name }, CreateExperimentReply)).experiment_id;
  }

  async createRun(input: { experimentId: string; runName: string; tags: Record<string, string>; startTime: number }): Promise<{ runId: string; experimentId: string; runName: string }> {
    const reply = await this.#mlflow(
      'runs/create',
      { experiment_id: input.experimentId, run_name: input.runName, start_time: input.startTime, tags: Object.entries(input.tags).map(([key, value]) => ({ key, value })) },
      RunReply,
    );
    return { runId: reply.run.info.run_id, experimentId: reply.run.info.experiment_id, runName: reply.run.info.run_name ?? input.runName };
  }

  async logMetrics(runId: string, points: readonly { key: string; value: number; step: number }[], timestamp = Date.now()): Promise<void> {
    await this.#mlflow('runs/log-batch', { run_id: runId, metrics: points.map((point) => ({ ...point, timestamp })) }, z.unknown());
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    await this.#mlflow('runs/log-batch', { run_id: runId, tags: Object.entries(tags).map(([key, value]) => ({ key, value: value.slice(0, 5000) })) }, z.unknown());
  }

  async endRun(runId: string, status: RemoteStatus, endTime: number): Promise<void> {
    await this.#mlflow('runs/update', { run_id: runId, status, end_time: endTime }, z.unknown());
  }

  /** A file into the run's artifacts, through MLflow's artifact proxy. */
  async uploadArtifact(run: { runId: string; experimentId: string }, path: string, bytes: Uint8Array): Promise<void> {
    const address = `/api/2.0/mlflow-artifacts/artifacts/${encodeURIComponent(run.experimentId)}/${encodeURIComponent(run.runId)}/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`;
    await this.#request('PUT', address, bytes, 'application/octet-stream');
  }

  async #mlflow<T extends z.ZodType>(endpoint: string, body: unknown, schema: T): Promise<z.infer<T>> {
    const reply = await this.#call('POST', endpoint, body);
    const parsed = schema.safeParse(reply);
    if (!parsed.success) throw notMlflow(this.origin, `its answer to ${endpoint} is not MLflow's`);
    return parsed.data as z.infer<T>;
  }

  async #call(method: 'GET' | 'POST', endpoint: string, body: unknown, options: { missingOk?: boolean } = {}): Promise<unknown> {
    return this.#request(method, `/api/2.0/mlflow/${endpoint}`, body === undefined ? undefined : JSON.stringify(body), 'application/json', options);
  }

  async #request(method: string, path: string, body: string | Uint8Array | undefined, type: string, options: { missingOk?: boolean } = {}): Promise<unknown> {
    const where = `${this.origin}${path.split('?')[0]}`;
    let response: Response;
    try {
      response = await fetch(`${this.origin}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.#token}`, ...(body === undefined ? {} : { 'content-type': type }) },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(this.#timeoutMs),
        redirect: 'error',
      });
    } catch (thrown) {
      const cause = (thrown as { cause?: { code?: string; message?: string } }).cause;
      const why = (thrown as Error).name === 'TimeoutError' ? `no answer within ${this.#timeoutMs / 1000} s` : (cause?.code ?? cause?.message ?? (thrown as Error).message);
      throw failure('UNAVAILABLE', `Could not reach the Lathe server at ${this.origin} (${why}).`, {
        hint: 'Check that `lathe serve` runs there, that this machine can reach its address and port, and that --server names it.',
        location: { field: 'server' },
      });
    }
    if (Number(response.headers.get('content-length') ?? 0) > MAX_REPLY_BYTES) {
      await response.body?.cancel().catch(() => undefined);
      throw notMlflow(this.origin, `${where} answered HTTP ${response.status} with more than ${MAX_REPLY_BYTES / 1024 / 1024} MB`);
    }
    const text = await response.text().catch(() => '');
    if (response.status === 401 || response.status === 403) {
      throw failure('UNAUTHORIZED', `The Lathe server at ${this.origin} refused the token (HTTP ${response.status}).`, {
        hint: 'Give the token `lathe serve` printed there, in --token-file FILE or LATHE_SERVER_TOKEN.',
        location: { field: 'token' },
      });
    }
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      throw notMlflow(this.origin, `${where} answered HTTP ${response.status} with something that is not JSON`);
    }
    if (response.ok) return json;
    const error = MlflowError.safeParse(json);
    if (!error.success) throw notMlflow(this.origin, `${where} answered HTTP ${response.status} without an MLflow error`);
    if (options.missingOk && error.data.error_code === 'RESOURCE_DOES_NOT_EXIST') return null;
    const code = response.status === 413 ? 'TOO_LARGE' : response.status >= 500 ? 'UNAVAILABLE' : 'INVALID_INPUT';
    throw failure(code, `The Lathe server at ${this.origin} refused ${method} ${path.split('?')[0]}: ${error.data.message.slice(0, 1000)} (${error.data.error_code}).`, { location: { field: 'server' } });
  }
}

function notMlflow(origin: string, why: string): LatheFailure {
  return failure('FAILED_PRECONDITION', `${origin} does not look like a Lathe server with MLflow's tracking API: ${why}.`, {
    hint: 'Give the address `lathe serve` printed (the same host and port), not another web server.',
    location: { field: 'server' },
  });
}

/** Whether a failure is the server being out of reach (worth trying again), not a refusal. */
export function unreachable(thrown: unknown): boolean {
  return thrown instanceof LatheFailure && thrown.error.code === 'UNAVAILABLE';
}
