import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { refusal, sendRefusal } from './json-reply.ts';
import { contentTypeFor } from '../ui-policy/content-types.ts';
import { securityHeaders } from './security-headers.ts';


const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lathe is not built yet</title></head>
<body><h1>Lathe's interface has not been built yet</h1>
<p>Run <code>npm run build</code> in the Lathe folder, then reload this page.</p></body></html>
`;

/**
 * The built UI: files under `uiDir` and nothing else (no `..`, no encoded variants, no hidden
 * files, no symlink out), `index.html` for `/` and for any other path without a file extension
 * (the UI routes itself). Static files need no token: the page carries it in its address.
 */
export async function serveStaticUi(req: IncomingMessage, res: ServerResponse, uiDir: string, rawPath: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendRefusal(res, refusal(405, 'INVALID_INPUT', `Use GET for the UI's files.`, { headers: { Allow: 'GET, HEAD' } }));
  }
  const segments = pathSegments(rawPath);
  if (!segments) return sendRefusal(res, refusal(400, 'INVALID_INPUT', 'That address does not name a file inside the UI.'));
  if (segments.some((segment) => segment.startsWith('.'))) return notFound(res);

  const root = await realpath(uiDir).catch(() => null);
  if (!root) return notBuilt(req, res);
  if (segments.length > 0) {
    const file = await fileInside(root, segments);
    // Vite names what it puts in assets/ by content hash, so those never change under one name.
    if (file) return sendFile(req, res, file, segments[0] === 'assets' ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (path.extname(segments.at(-1) ?? '') !== '') return notFound(res);
  }
  const index = await fileInside(root, ['index.html']);
  if (!index) return notBuilt(req, res);
  return sendFile(req, res, index, 'no-store');
}

/** The decoded, non-empty segments of a path, or `null` when it cannot name a file inside the UI. */
function pathSegments(rawPath: string): string[] | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || /[\0\\]/.test(decoded)) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.some((segment) => segment === '..' || segment.includes(':'))) return null;
  return segments;
}

interface UiFile {
  path: string;
  size: number;
}

/** A regular file under `root` (by its real path), or `null`; symlinks that lead out do not count. */
async function fileInside(root: string, segments: string[]): Promise<UiFile | null> {
  try {
    const real = await realpath(path.join(root, ...segments));
    const relative = path.relative(root, real);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size } : null;
  } catch {
    return null;
  }
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: UiFile, cacheControl: string): Promise<void> {
  res.writeHead(200, {
    ...securityHeaders,
    'Content-Type': contentTypeFor(file.path),
    'Content-Length': file.size,
    'Cache-Control': cacheControl,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(file.path), res).catch(() => res.destroy());
}

function notFound(res: ServerResponse): void {
  sendRefusal(res, refusal(404, 'NOT_FOUND', 'There is no such file in the UI.'));
}

function notBuilt(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, {
    ...securityHeaders,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(NOT_BUILT_PAGE),
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : NOT_BUILT_PAGE);
}
