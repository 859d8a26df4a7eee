/**
 * The Content-Security-Policy of Lathe's UI, wherever it is shown: `lathe serve` sends it as a
 * header and the Electron app applies the same string to its windows. Everything comes from the
 * UI's own origin; no inline script or style, no plugins, no framing, no form posts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
