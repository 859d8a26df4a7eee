import { CONTENT_SECURITY_POLICY } from '../ui-policy/content-security-policy.ts';

/**
 * The headers every UI response carries in the desktop app: the same Content-Security-Policy
 * string `lathe serve` sends, so the UI runs under one policy whichever front door serves it.
 */
export function uiHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}
