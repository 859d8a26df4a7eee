import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AbRouting } from '../../../shared/contract/agent-admin.ts';

/**
 * A/B assignment that sticks: the request's key — `parameters.request_key` in the body, else the
 * header or cookie the rollout names — hashed with SHA-256 into a bucket 0..99. The candidate
 * takes the buckets below its weight, so one user lands on one arm for the whole test, and the
 * key itself is never stored or logged.
 */
export const MAX_KEY_LENGTH = 256;

export function requestKey(routing: AbRouting, headers: IncomingHttpHeaders, bodyKey: unknown): string | undefined {
  if ((typeof bodyKey === 'string' && bodyKey.length > 0) || (typeof bodyKey === 'number' && Number.isFinite(bodyKey))) return String(bodyKey).slice(0, MAX_KEY_LENGTH);
  if (routing.kind === 'header') {
    const value = headers[routing.name.toLowerCase()];
    const text = Array.isArray(value) ? value[0] : value;
    return text ? text.slice(0, MAX_KEY_LENGTH) : undefined;
  }
  if (routing.kind === 'cookie') return cookie(headers.cookie, routing.name)?.slice(0, MAX_KEY_LENGTH);
  return undefined;
}

function cookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      const value = part.slice(at + 1).trim();
      return value.length > 0 ? value : undefined;
    }
  }
  return undefined;
}

/** 0..99, the same for the same key and rollout (salted by the rollout id, so tests do not share assignments). */
export function bucketOf(key: string, salt: string): number {
  return createHash('sha256').update(salt).update('\0').update(key).digest().readUInt32BE(0) % 100;
}
