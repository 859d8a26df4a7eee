import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhookAttempt } from '../../../shared/contract/alerts.ts';
import { checkAddress } from './webhook-address.ts';

/**
 * POST an alert to the user's webhook, and nowhere else:
 *
 * 1. the URL is http(s), without a user or password;
 * 2. its host is one the user allowed (exactly, case aside);
 * 3. the name is resolved here, every address it has is checked (webhook-address.ts), and the
 *    connection goes to the checked address — Node is handed a `lookup` that returns it — so a
 *    second DNS answer cannot rebind the request to another address (TLS still checks the name);
 * 4. a redirect is not followed: a 3xx is a failed delivery that says where it pointed;
 * 5. the whole attempt has a deadline, and at most a few KiB of the answer are read.
 *
 * Nothing throws: every way it can go wrong is an attempt with `ok: false` and a sentence.
 */
export interface WebhookTarget {
  url: string;
  allowedHosts: readonly string[];
  allowPrivate: boolean;
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

export interface PostOptions {
  /** Resolves a host name to all its addresses; default dns.promises.lookup with `all`. */
  resolve?: Resolver;
  timeoutMs?: number;
  now?: () => Date;
}

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** What is read of the receiver's answer, at most (enough for an error sentence). */
export const MAX_ANSWER_BYTES = 4 * 1024;

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

export async function postWebhook(target: WebhookTarget, body: unknown, options: PostOptions = {}): Promise<WebhookAttempt> {
  const at = (options.now ?? (() => new Date()))().toISOString();
  const failed = (reason: string, host: string | null, address: string | null = null, status: number | null = null): WebhookAttempt => ({ ok: false, host, address, status, reason, at });

  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    return failed('the webhook URL is not a valid URL', null);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return failed(`a webhook is sent over http or https, not ${url.protocol}`, null);
  if (url.username || url.password) return failed('the webhook URL holds a user name or password; set it again without them', null);
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const allowed = target.allowedHosts.map((name) => name.toLowerCase());
  if (!allowed.includes(host)) return failed(`${host} is not one of the hosts you allowed (${allowed.join(', ') || 'none'}); set the webhook again with --allow-host ${host}`, host);

  const deadline = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await withDeadline((options.resolve ?? systemResolver)(host), deadline, `${host} did not resolve within ${seconds(deadline)}`);
  } catch (error) {
    return failed(`${host} could not be resolved: ${(error as Error).message}`, host);
  }
  if (addresses.length === 0) return failed(`${host} resolved to no address`, host);
  for (const { address } of addresses) {
    const verdict = checkAddress(address, target.allowPrivate);
    if (!verdict.allowed) return failed(isIP(host) ? `${host} ${verdict.reason}` : `${host} resolves to ${address}, which ${verdict.reason}`, host, address);
  }
  const chosen = addresses[0]!;
  try {
    const { status, location, text } = await send(url, host, chosen, JSON.stringify(body), deadline);
    if (status >= 300 && status < 400) {
      return failed(`${host} answered HTTP ${status}, a redirect${location ? ` to ${redirectHost(location, url)}` : ''}; redirects are not followed, so set the webhook to the final URL`, host, chosen.address, status);
    }
    if (status < 200 || status > 299) return failed(`${host} answered HTTP ${status}${text ? `: ${oneLine(text)}` : ''}`, host, chosen.address, status);
    return { ok: true, host, address: chosen.address, status, reason: null, at };
  } catch (error) {
    return failed(`${host} (${chosen.address}) ${networkWords(error as NodeJS.ErrnoException, deadline)}`, host, chosen.address);
  }
}

function send(url: URL, host: string, chosen: { address: string; family: number }, body: string, deadlineMs: number): Promise<{ status: number; location: string | null; text: string }> {
  // Node asks this instead of DNS: the one address that was checked, whatever the name says now.
  const pinned: LookupFunction = (_name, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [chosen]);
    else callback(null, chosen.address, chosen.family);
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        lookup: pinned,
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'User-Agent': 'Lathe-Alerts/1' },
        ...(url.protocol === 'https:' && !isIP(host) ? { servername: host } : {}),
      },
      (res) => {
        readSome(res).then(
          (text) => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, location: typeof res.headers.location === 'string' ? res.headers.location : null, text });
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(error as Error);
          },
        );
      },
    );
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), deadlineMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}

/** The first few KiB of an answer; the rest is not read (the socket is closed). */
function readSome(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
      if (bytes >= MAX_ANSWER_BYTES) {
        res.destroy();
        resolve(Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8'));
      }
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function withDeadline<T>(work: Promise<T>, ms: number, words: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(words)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

function networkWords(error: NodeJS.ErrnoException, deadlineMs: number): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'refused the connection (nothing listens on that port)';
    case 'ETIMEDOUT':
      return `did not answer within ${seconds(deadlineMs)}`;
    case 'ECONNRESET':
      return 'closed the connection without answering';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'cannot be reached from this machine';
    default:
      return `could not be reached: ${error.message}`;
  }
}

function redirectHost(location: string, base: URL): string {
  try {
    const target = new URL(location, base);
    return `${target.protocol}//${target.host}/…`;
  } catch {
    return 'an address that is not a URL';
  }
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
