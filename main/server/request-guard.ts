import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { TOKEN_QUERY } from '../../shared/contract/http.ts';
import { failure } from '../core/errors.ts';
import { refusal, type Refusal } from './json-reply.ts';

/**
 * Who may talk to `lathe serve`. Any web page in the user's browser can reach a loopback port,
 * so every request must name this server in its Host header (DNS rebinding), come from this
 * server's own origin when it names one (cross-site requests, WebSocket hijacking), and /api
 * requests must carry the session token.
 */
export interface RequestGuard {
  /** Host, then Origin. `null` when the request may go on. */
  checkSender(req: IncomingMessage): Refusal | null;
  /** `Authorization: Bearer <token>`, for calls and uploads. */
  checkBearer(req: IncomingMessage): Refusal | null;
  /** `?token=<token>`, for the WebSocket (browsers cannot set its headers). */
  checkQueryToken(query: URLSearchParams): Refusal | null;
}

export interface GuardSettings {
  bindHost: string;
  port: number;
  token: string;
  allowedHosts: readonly string[];
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

export function createRequestGuard(settings: GuardSettings): RequestGuard {
  const hosts = allowedHostHeaders(settings);
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  const expectedToken = digest(settings.token);
  const hint = `Open Lathe at the address \`lathe serve\` printed, e.g. http://127.0.0.1:${settings.port}/.`;

  const tokenMatches = (given: string | null | undefined): boolean =>
    typeof given === 'string' && given.length > 0 && timingSafeEqual(digest(given), expectedToken);

  return {
    checkSender(req) {
      const host = req.headers.host?.toLowerCase();
      if (!host || !hosts.has(host)) {
        return refusal(403, 'FORBIDDEN', `This server does not answer to the host name ${quote(host)}.`, {
          hint: `${hint} To reach it by another name, start it with that name among the allowed hosts.`,
        });
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !origins.has(origin.toLowerCase())) {
        return refusal(403, 'FORBIDDEN', `Requests from the web page at ${quote(origin)} are not allowed.`, { hint });
      }
      return null;
    },
    checkBearer(req) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      if (tokenMatches(match?.[1])) return null;
      return refusal(401, 'UNAUTHORIZED', 'This request needs the session token: send `Authorization: Bearer <token>`.', { hint });
    },
    checkQueryToken(query) {
      if (tokenMatches(query.get(TOKEN_QUERY))) return null;
      return refusal(401, 'UNAUTHORIZED', `The event socket needs the session token: add ?${TOKEN_QUERY}=<token> to its address.`, { hint });
    },
  };
}

/** Every `Host` header value this server answers to, lower-case, with the port. */
export function allowedHostHeaders({ bindHost, port, allowedHosts }: Pick<GuardSettings, 'bindHost' | 'port' | 'allowedHosts'>): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  const bind = hostNameForUrl(bindHost);
  if (WILDCARD_HOSTS.has(bind)) {
    // Bound to every interface: the machine's own addresses are fine (an IP literal cannot be
    // rebound by DNS); the wildcard itself is not a name a page should be using.
    for (const address of Object.values(networkInterfaces()).flat()) {
      if (address) names.add(hostNameForUrl(address.address.replace(/%.*$/, '')));
    }
  } else {
    names.add(bind);
  }
  for (const extra of allowedHosts) names.add(checkedExtraHost(extra));
  const headers = new Set<string>();
  for (const name of names) {
    headers.add(`${name}:${port}`);
    if (port === 80) headers.add(name);
  }
  return headers;
}

/** `::1` → `[::1]`; names and IPv4 addresses unchanged; lower-case. */
export function hostNameForUrl(host: string): string {
  const lower = host.toLowerCase();
  return isIP(lower) === 6 ? `[${lower}]` : lower;
}

function checkedExtraHost(extra: string): string {
  const name = hostNameForUrl(extra.trim());
  const isName = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(name);
  const isBracketedIp = name.startsWith('[') && isIP(name.slice(1, -1)) === 6;
  if (!isName && !isBracketedIp) {
    throw failure('INVALID_INPUT', `"${extra}" is not a host name the server can allow.`, {
      hint: 'Give a plain host name or IP address, without a port, a scheme or wildcards.',
    });
  }
  return name;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function quote(value: string | undefined): string {
  if (value === undefined) return '(none)';
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}
