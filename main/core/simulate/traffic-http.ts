import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { REQUEST_ID_HEADER } from '../../../shared/contract/agent-admin.ts';

/**
 * The simulator's client for a model's own endpoints (no admin token): v2 inference and
 * feedback, over kept-alive connections so a steady rate does not open a socket per request.
 * Never throws: every outcome is a status, or "timeout" / "unreachable" when none came back.
 */
export interface Outcome {
  /** HTTP status as text ("200", "404"), or "timeout" / "unreachable". */
  status: string;
  ok: boolean;
  /** The request id the reply carried (X-Request-Id, else the body's id). */
  requestId: string | null;
}

const MAX_REPLY_BYTES = 1024 * 1024;

export class TrafficHttp {
  readonly #base: URL;
  readonly #agent: HttpAgent;
  readonly #timeoutMs: number;

  constructor(url: string, options: { maxSockets: number; timeoutMs: number }) {
    this.#base = new URL(url.endsWith('/') ? url : `${url}/`);
    this.#agent = this.#base.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets }) : new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets });
    this.#timeoutMs = options.timeoutMs;
  }

  infer(model: string, body: unknown): Promise<Outcome> {
    return this.#post(`v2/models/${encodeURIComponent(model)}/infer`, body);
  }

  feedback(model: string, body: unknown): Promise<Outcome> {
    return this.#post(`v2/models/${encodeURIComponent(model)}/feedback`, body);
  }

  close(): void {
    this.#agent.destroy();
  }

  #post(path: string, body: unknown): Promise<Outcome> {
    const url = new URL(path, this.#base);
    const make = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const text = JSON.stringify(body);
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: Outcome) => {
        if (!settled) resolve(outcome);
        settled = true;
      };
      const req = make(url, { method: 'POST', agent: this.#agent, timeout: this.#timeoutMs, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) } }, (res) => {
        readReply(res).then(
          (reply) => settle({ status: String(res.statusCode ?? 0), ok: res.statusCode === 200, requestId: requestIdOf(res, reply) }),
          () => settle({ status: 'unreachable', ok: false, requestId: null }),
        );
      });
      req.on('timeout', () => {
        settle({ status: 'timeout', ok: false, requestId: null });
        req.destroy();
      });
      req.on('error', () => settle({ status: 'unreachable', ok: false, requestId: null }));
      req.end(text);
    });
  }
}

async function readReply(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_REPLY_BYTES) {
      res.destroy();
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function requestIdOf(res: IncomingMessage, text: string): string | null {
  const header = res.headers[REQUEST_ID_HEADER.toLowerCase()];
  if (typeof header === 'string' && header !== '') return header;
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}
