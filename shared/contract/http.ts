/**
 * How `lathe serve` carries the contract over HTTP and WebSocket. The browser client
 * (renderer/src/lib/api-http.ts) and the server (main/server) both read these constants.
 *
 *   POST /api/call/<call name>      body: JSON input            → 200 JSON Result
 *   POST /api/upload/<call name>?<input as query string>
 *                                   body: the file's raw bytes (application/octet-stream)
 *                                                               → 200 JSON Result
 *   GET  /api/events                WebSocket; server → client text frames: JSON LatheEvent
 *
 * Every /api request needs the session token: `Authorization: Bearer <token>` for calls and
 * uploads, `?token=<token>` for the WebSocket (browsers cannot set its headers). The UI is
 * opened as `http://127.0.0.1:<port>/?token=<token>`; the page keeps the token in
 * sessionStorage and drops it from the address bar.
 */
export const httpPaths = {
  call: '/api/call/',
  upload: '/api/upload/',
  events: '/api/events',
} as const;

export const TOKEN_QUERY = 'token';
/** Default upload limit: 4 GiB. `lathe serve --max-upload-mb N` changes it. */
export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3;
