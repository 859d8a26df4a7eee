import { realpath, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { APP_ENTRY, APP_HOST, APP_SCHEME } from './app-origin.ts';
import { uiHeaders } from './ui-headers.ts';
import { contentTypeFor } from '../ui-policy/content-types.ts';

/**
 * Serving the built UI (renderer/dist) on `lathe://app/…`. No electron import: the protocol
 * handler in app-protocol.ts is a one-line adapter over `serveUiFile`, and this file is tested
 * in plain Node.
 */

export type UiPath = { ok: true; path: string } | { ok: false; status: 400 | 404; reason: string };

const refuse = (reason: string): UiPath => ({ ok: false, status: 400, reason });

/**
 * The file under `uiDir` that `requestUrl` names, or why it is refused. Refuses other schemes and
 * hosts, `..`/`.` segments (also percent-encoded), encoded separators, backslashes, NUL, empty
 * segments (`//etc/passwd`) and anything that would still land outside `uiDir`.
 */
export function resolveUiPath(uiDir: string, requestUrl: string): UiPath {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return refuse('not a URL');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port !== '') {
    return { ok: false, status: 404, reason: `not served here: ${url.protocol}//${url.host}` };
  }
  const rawPath = url.pathname === '/' || url.pathname === '' ? `/${APP_ENTRY}` : url.pathname;
  const segments: string[] = [];
  for (const raw of rawPath.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return refuse('malformed percent-encoding');
    }
    if (segment === '') return refuse('empty path segment');
    if (segment === '.' || segment === '..') return refuse('dot segment');
    if (/[/\\\0]/.test(segment)) return refuse('separator or NUL inside a segment');
    if (/^[A-Za-z]:/.test(segment)) return refuse('drive letter');
    segments.push(segment);
  }
  const resolved = path.resolve(uiDir, ...segments);
  if (!isInside(uiDir, resolved)) return refuse('outside the UI folder');
  return { ok: true, path: resolved };
}

/** True when `candidate` is strictly below `root` (not `root` itself). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(candidate));
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}



function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: uiHeaders('text/plain; charset=utf-8') });
}

/**
 * The response for one request on `lathe://app/`: the file with the CSP, or 400/404/405. A
 * symlink inside the folder that points outside it is refused like `..`.
 */
export async function serveUiFile(uiDir: string, requestUrl: string, method = 'GET'): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD') return plain(405, 'Method not allowed');
  const target = resolveUiPath(uiDir, requestUrl);
  if (!target.ok) return plain(target.status, target.status === 404 ? 'Not found' : 'Bad request');
  try {
    const [root, real] = await Promise.all([realpath(uiDir), realpath(target.path)]);
    if (!isInside(root, real)) return plain(400, 'Bad request');
    if (!(await stat(real)).isFile()) return plain(404, 'Not found');
    const body = method === 'HEAD' ? null : await readFile(real);
    return new Response(body, { status: 200, headers: uiHeaders(contentTypeFor(real)) });
  } catch {
    return plain(404, 'Not found');
  }
}
