import type { ServerResponse } from 'node:http';
import { CONTENT_SECURITY_POLICY } from '../ui-policy/content-security-policy.ts';

/**
 * Headers on every answer, API and static alike. There is deliberately no
 * Access-Control-Allow-* header anywhere: the UI is same-origin and nothing else may read it.
 */
export const securityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
}
