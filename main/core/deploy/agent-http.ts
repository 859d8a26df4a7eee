import { createReadStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { z } from 'zod';
import { ErrorCode, type LatheError } from '../../../shared/contract/result.ts';
import { failure, LatheFailure } from '../errors.ts';

/**
 * The desktop's side of an agent's HTTP API: JSON requests with the admin token, and a bundle
 * streamed from disk. Every way an agent can fail to answer becomes a Lathe error that names the
 * target and its URL: not reachable (UNAVAILABLE), the token refused (UNAUTHORIZED), a reply
 * that is not what the agent's contract says (UNAVAILABLE, naming the path), and the agent's own
 * refusals with its sentence and code. Nothing here retries: a deploy must not upload twice.
 */
export interface AgentAddress {
  name: string;
  url: string;
  token: string | null;
}

export interface AgentRequestOptions {
  method?: string;
  body?: unknown;
  timeoutMs?: number;
  /** Send the admin token (default true when there is one). */
  admin?: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** A reply larger than this is not an agent's JSON. */
const MAX_REPLY_BYTES = 16 * 1024 * 1024;

export interface AgentReply {
  status: number;
  text: string;
}

/** One request; the raw status and text (network failures thrown as UNAVAILABLE). */
export function agentFetch(target: AgentAddress, path: string, options: AgentRequestOptions = {}): Promise<AgentReply> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (target.token && options.admin !== false) headers.Authorization = `Bearer ${target.token}`;
  return new Promise((resolve, reject) => {
    const req = send(target, path, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS }, (res) => {
      readReply(res).then(
        (text) => resolve({ status: res.statusCode ?? 0, text }),
        (error: unknown) => reject((error as NodeJS.ErrnoException).code === 'EMSGSIZE' ? failure('UNAVAILABLE', `Target ${target.name} (${target.url}) answered ${path} with more than ${MAX_REPLY_BYTES / 1024 / 1024} MiB; no Lathe agent sends that much, so Lathe stopped reading.`, { hint: 'Is that address a Lathe agent? `lathe agent` prints the URL to use.' }) : unreachable(target, error)),
      );
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s`), { code: 'ETIMEDOUT' })));
    req.on('error', (error) => reject(unreachable(target, error)));
    req.end(body);
  });
}

/** A JSON request whose 2xx reply must match `schema`; anything else is thrown as a Lathe error. */
export async function agentJson<S extends z.ZodType>(target: AgentAddress, path: string, schema: S, options: AgentRequestOptions = {}): Promise<z.output<S>> {
  const reply = await agentFetch(target, path, options);
  if (reply.status < 200 || reply.status > 299) throw agentRefusal(target, path, reply);
  return parseReply(target, path, reply.text, schema);
}

export function parseReply<S extends z.ZodType>(target: AgentAddress, path: string, text: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw failure('UNAVAILABLE', `Target ${target.name} (${target.url}) answered ${path} with something that is not JSON.`, { hint: 'Is that address a Lathe agent? `lathe agent` prints the URL to use.' });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw failure('UNAVAILABLE', `Target ${target.name} (${target.url}) answered ${path} in a shape this Lathe does not know (${issue?.path.join('.') || 'root'}: ${issue?.message}).`, {
      hint: 'The agent may be from another Lathe version: run the same version on both sides (`lathe agent pack` writes one).',
    });
  }
  return parsed.data;
}

/** The agent's error reply as a Lathe error: its sentence, code and hint, with the target named. */
export function agentRefusal(target: AgentAddress, path: string, reply: AgentReply): LatheFailure {
  let body: { error?: unknown; code?: unknown; hint?: unknown; message?: unknown } = {};
  try {
    body = JSON.parse(reply.text) as typeof body;
  } catch {
    // not JSON: said below by status alone
  }
  const said = typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : typeof (body.error as { message?: unknown } | undefined)?.message === 'string' ? String((body.error as { message: string }).message) : null;
  if (reply.status === 401) {
    return failure('UNAUTHORIZED', `Target ${target.name} (${target.url}) refused the admin token${said ? `: ${said}` : '.'}`, {
      hint: `Add it again with the token the agent printed: \`lathe targets add ${target.name} ${target.url} --token-file F --replace\`.`,
      location: { field: 'token' },
    });
  }
  const given = ErrorCode.safeParse(body.code ?? (body.error as { code?: unknown } | undefined)?.code);
  const code = given.success ? given.data : codeForStatus(reply.status);
  const hint = typeof body.hint === 'string' ? body.hint : typeof (body.error as { hint?: unknown } | undefined)?.hint === 'string' ? String((body.error as { hint: string }).hint) : undefined;
  return failure(code, `Target ${target.name} (${target.url}) refused ${path}: ${said ?? `HTTP ${reply.status}`}`, hint ? { hint } : {});
}

function codeForStatus(status: number): LatheError['code'] {
  if (status === 400 || status === 422) return 'INVALID_INPUT';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'TOO_LARGE';
  if (status === 503 || status === 502 || status === 504) return 'UNAVAILABLE';
  if (status === 507) return 'DISK_ERROR';
  return 'UNAVAILABLE';
}

/** Why a target could not be reached, in words. */
export function unreachable(target: AgentAddress, error: unknown): LatheFailure {
  if (error instanceof LatheFailure) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const why: Record<string, string> = {
    ECONNREFUSED: 'nothing is listening there (connection refused)',
    ENOTFOUND: 'its host name does not resolve',
    EAI_AGAIN: 'its host name could not be resolved now',
    EHOSTUNREACH: 'its host cannot be reached',
    ENETUNREACH: 'the network is unreachable',
    ETIMEDOUT: 'it did not answer in time',
    ECONNRESET: 'it dropped the connection',
    EPIPE: 'it dropped the connection',
  };
  const reason = why[code] ?? (error as Error).message;
  return failure('UNAVAILABLE', `Could not reach target ${target.name} at ${target.url}: ${reason}.`, {
    hint: 'Is `lathe agent` running there, and is this the address it printed? A firewall may block the port.',
  });
}

export interface UploadResult {
  reply: AgentReply;
  sentBytes: number;
}

/**
 * PUT a file to the agent, streamed from disk with its length declared. A target that drops the
 * connection mid-upload (or answers before the body is whole) fails with UNAVAILABLE saying how
 * much was sent; the caller records nothing as deployed.
 */
export function uploadFile(target: AgentAddress, path: string, file: string, bytes: number, options: { timeoutMs?: number; onProgress?: (sent: number) => void } = {}): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let settled = false;
    const done = (error: unknown, result?: UploadResult) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(result!);
    };
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes), Accept: 'application/json' };
    if (target.token) headers.Authorization = `Bearer ${target.token}`;
    const req = send(target, path, { method: 'PUT', headers, timeout: options.timeoutMs ?? 120_000 }, (res) => {
      readReply(res).then(
        (text) => done(null, { reply: { status: res.statusCode ?? 0, text }, sentBytes: sent }),
        (error: unknown) => done(cutOff(target, sent, bytes, error)),
      );
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (error) => done(sent === 0 && (error as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? unreachable(target, error) : cutOff(target, sent, bytes, error)));
    const stream = createReadStream(file);
    stream.on('data', (chunk) => {
      sent += chunk.length;
      options.onProgress?.(sent);
    });
    stream.on('error', (error) => {
      req.destroy();
      done(error);
    });
    stream.pipe(req);
  });
}

function cutOff(target: AgentAddress, sent: number, bytes: number, error: unknown): LatheFailure {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const why = code === 'ETIMEDOUT' ? 'it stopped answering' : 'it dropped the connection';
  const progress = sent < bytes ? `after ${sent} of ${bytes} bytes` : `before confirming it (all ${bytes} bytes were sent; the agent did not say it received them)`;
  return failure('UNAVAILABLE', `The upload to target ${target.name} (${target.url}) was cut off: ${why} ${progress}.`, {
    hint: 'The agent keeps nothing of a cut-off upload, and what it served before serves on. Check the target (lathe targets list) and deploy again.',
  });
}

function send(target: AgentAddress, path: string, options: RequestOptions, onReply: (res: IncomingMessage) => void) {
  const url = new URL(path, `${target.url}/`);
  const make = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return make(url, { ...options, agent: false }, onReply);
}

async function readReply(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_REPLY_BYTES) {
      res.destroy();
      throw Object.assign(new Error('the reply was too large'), { code: 'EMSGSIZE' });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
